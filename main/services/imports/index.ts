import type { ApiError, ImportPreview, JobStatus } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { DomainError } from '../errors'
import type { Progress } from '../progress'
import { importFile, rememberedMapping, type ImportJobInput } from './engine'
import { customFieldTargets, fieldChoices } from './fields'
import { recogniseLayout } from './layouts'
import { openSource } from './sources'
import { cellText } from './values'
import { basename } from 'node:path'

export type { ImportJobInput } from './engine'
export { cutOffBefore, hasInterruptedImports, listImports, rollBackInterruptedImports, undoImport } from './undo'
export { ChosenFiles, RejectFiles, copyWhole } from './chosenFiles'
export type ImportRequest = Omit<ImportJobInput, 'file' | 'rejectsFile'> & { sourceId: string }

const SAMPLE_ROWS = 8

export function describeImport(fileName: string, dryRun: boolean): string {
  return dryRun ? `Checking ${fileName}` : `Importing ${fileName}`
}

/** What the desk should know while it runs. */
export async function importNote(ctx: ServiceContext, dryRun: boolean): Promise<string> {
  if (dryRun) return 'Nothing is changed by a check. The desk keeps working meanwhile.'
  // Into a book without customers the import writes in one go (see importFile).
  const firstLoad = !(await ctx.db('customers').first('id'))
  return firstLoad
    ? 'All or nothing: if it stops, nothing is changed. The desk keeps working while the file is read; a customer added meanwhile is saved once the customers are written.'
    : 'All or nothing: if it stops, what it wrote is taken back. The desk keeps working meanwhile; a save waits at most a moment for the import’s turn to end.'
}

export function rejectsFileName(label: string, now: Date): string {
  const name = label.replace(/^(Checking|Importing) /, '').replace(/\.[^.]+$/, '')
  return `${name} - not imported ${now.toISOString().slice(0, 10)}.csv`
}

/** A job that ended without its answer, as the error the window shows. */
export function jobFailure(status: JobStatus): DomainError {
  const error: ApiError = status.error ?? { code: 'INTERNAL', message: 'The file could not be read.' }
  return new DomainError(error.code, error.message)
}

/** The file's columns, its first rows and the mapping Frontdesk suggests for them. */
export async function previewImport(ctx: ServiceContext, input: { file: string; sourceId: string; sheet: string | null }): Promise<ImportPreview> {
  const source = await openSource(input.file, input.sheet ? { sheet: input.sheet } : undefined)
  const custom = await customFieldTargets(ctx.db)
  const remembered = await rememberedMapping(ctx.db, source.headers, custom)
  const recognised = recogniseLayout(source.format, source.headers, custom)
  const sampleRows: string[][] = []
  for await (const row of source.rows()) {
    sampleRows.push(source.headers.map((_, i) => preview(cellText(row.cells[i]))))
    if (sampleRows.length >= SAMPLE_ROWS) break
  }
  return {
    sourceId: input.sourceId,
    fileName: basename(input.file),
    format: source.format,
    description: source.description,
    sheets: source.sheets,
    sheet: source.sheet,
    headers: source.headers,
    sampleRows,
    layout: remembered ? 'remembered' : recognised.layout,
    layoutLabel: remembered ? 'The columns as you matched them the last time you imported a file like this' : recognised.label,
    mapping: remembered ?? recognised.mapping,
    fields: fieldChoices(custom),
  }
}

/** A picture in a cell is shown as such, and long text is shortened, in the preview. */
function preview(text: string): string {
  if (text.startsWith('data:image/')) return '(picture)'
  return text.length > 120 ? `${text.slice(0, 119)}…` : text
}

/** The dry run: every count the import would give, nothing written. */
export function checkImport(ctx: ServiceContext, input: ImportJobInput, progress: Progress) {
  return importFile(ctx, input, progress, true)
}

export function runImport(ctx: ServiceContext, input: ImportJobInput, progress: Progress) {
  return importFile(ctx, input, progress, false)
}
