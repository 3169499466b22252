import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import type { importsInputs } from '../../../preload/contract/schemas/imports'
import type { ImportPreview, JobStatus } from '../../../preload/contract'
import type { ServiceContext } from '../../services/context'
import * as imports from '../../services/imports'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/** Starts taking back the imports cut off while they ran (the app or the machine stopped), in the worker; null when there is none. */
export async function startInterruptedImportRollBack(jobs: HandlerOptions['jobs'], ctx: ServiceContext): Promise<JobStatus | null> {
  const staleBefore = imports.cutOffBefore(ctx.db)
  if (!(await imports.hasInterruptedImports(ctx, staleBefore))) return null
  return jobs.start(
    'importRollBack',
    { staleBefore },
    { ...startedBy(ctx), label: 'Taking back an import that was cut off', cancellable: false, note: 'Changes are saved once it is done.' },
  )
}

/**
 * Customers in: the open dialog runs in main, reading the file in the job
 * worker; the check reads only, the import writes in turns at the end (the
 * desk's saves go on while the file is read and between two turns).
 */
export function importsHandlers({ jobs, dialogs, rejectsDir }: HandlerOptions): DomainHandlers<typeof importsInputs> {
  const chosen = new imports.ChosenFiles()
  const rejects = new imports.RejectFiles()

  const preview = async (ctx: ServiceContext, sourceId: string, sheet: string | null): Promise<ImportPreview> => {
    const file = chosen.get(sourceId)
    const started = jobs.start('importPreview', { file, sourceId, sheet }, { ...startedBy(ctx), label: `Reading ${basename(file)}`, writes: 'never', cancellable: false })
    const finished = await jobs.whenFinished(started.id)
    if (finished.state !== 'done' || !finished.result) throw imports.jobFailure(finished)
    return finished.result as ImportPreview
  }

  const startImport = async (ctx: ServiceContext, request: imports.ImportRequest, dryRun: boolean) => {
    const file = chosen.get(request.sourceId)
    const rejectsFile = join(rejectsDir, `${randomBytes(8).toString('hex')}.csv`)
    const status = jobs.start(
      dryRun ? 'importCheck' : 'import',
      { file, sheet: request.sheet, mapping: request.mapping, match: request.match, includeErased: request.includeErased, rejectsFile },
      { ...startedBy(ctx), label: imports.describeImport(basename(file), dryRun), writes: dryRun ? 'never' : 'onRequest', note: await imports.importNote(ctx, dryRun) },
    )
    rejects.set(status.id, rejectsFile)
    return status
  }

  return {
    'imports:choose': async (ctx) => {
      const file = await dialogs.chooseImportFile()
      return file ? preview(ctx, chosen.add(file), null) : null
    },
    'imports:preview': (ctx, { sourceId, sheet }) => preview(ctx, sourceId, sheet),
    'imports:check': (ctx, request) => startImport(ctx, request, true),
    'imports:run': (ctx, request) => startImport(ctx, request, false),
    'imports:saveRejects': async (ctx, { jobId }) => {
      const file = rejects.get(jobId)
      const target = await dialogs.chooseRejectsFile(imports.rejectsFileName(jobs.get(jobId).label, ctx.clock()))
      if (!target) return null
      await imports.copyWhole(file, target)
      return basename(target)
    },
    'imports:list': (ctx) => imports.listImports(ctx),
    'imports:undo': (ctx, { id }) => {
      return jobs.start('importUndo', { id }, { ...startedBy(ctx), label: 'Undoing an import' })
    },
  }
}
