import { access, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SavedSubjectAccessFile, SubjectAccessFormat, SubjectAccessResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import { keepPrintout, printoutPaths } from '../../pdf/printouts'
import { writeWhole } from '../exports/file'
import { recordChange } from '../changeLog'
import { NO_PROGRESS, type Progress } from '../progress'
import { collectSubjectData } from './subjectData'
import { renderSubjectAccess } from './subjectPdf'

export interface SubjectAccessJob {
  customerId: number
  printoutsDir: string
}

/** The data files live beside the printouts, in a folder of their own (the printouts folder's .json files describe PDFs). */
const dataPath = (dir: string, id: string) => join(dir, 'subject-access', `${id}.json`)

/** What the desk sees while it is made: "Collecting the data held about C-000042". */
export async function describeSubjectAccess(ctx: ServiceContext, customerId: number): Promise<string> {
  const row = (await ctx.db('customers').where({ id: customerId }).first('id')) as { id: number } | undefined
  if (!row) throw new NotFound('This customer does not exist.')
  return `Collecting the data held about ${formatCustomerNumber(customerId)}`
}

/**
 * Collects everything held about one customer from one snapshot, writes the
 * data file and the PDF into the session's printouts, and logs that their
 * data was given.
 */
export async function makeSubjectAccess(ctx: ServiceContext, input: SubjectAccessJob, progress: Progress = NO_PROGRESS): Promise<SubjectAccessResult> {
  const data = await collectSubjectData(ctx, input.customerId, progress)
  // Contents and the other headings: one step each.
  const steps = data.sections.length + 3
  let step = 0
  const made = await renderSubjectAccess(ctx, data, () => {
    progress.checkCancelled()
    progress.report(Math.min(step++, steps), steps, 'Making the PDF')
  })
  progress.checkCancelled()
  const base = `Subject access ${data.customer.number} ${data.customer.name}`.trim()
  const printout = await keepPrintout(input.printoutsDir, made.bytes, { fileName: `${base}.pdf`, pages: made.pages, unprintable: made.unprintable })
  const json = `${JSON.stringify(data, null, 2)}\n`
  await mkdir(join(input.printoutsDir, 'subject-access'), { recursive: true, mode: 0o700 })
  await writeFile(dataPath(input.printoutsDir, printout.id), json, { flag: 'wx', mode: 0o600 })
  progress.report(1, 1, 'Recording the request')
  await progress.waitForWriteTurn()
  await ctx.db.transaction((trx) =>
    recordChange(trx, ctx, {
      customerId: input.customerId,
      entityType: 'customer',
      entityId: input.customerId,
      action: 'subject_access',
      summary: 'Subject access data given',
      changes: [
        {
          field: 'Given',
          before: null,
          after: `A PDF of ${made.pages} ${made.pages === 1 ? 'page' : 'pages'} and a data file: ${data.sections
            .filter((s) => s.count > 0)
            .map((s) => `${s.title} ${s.count.toLocaleString('en-GB')}`)
            .join(', ')}`,
        },
      ],
    }),
  )
  return {
    customerId: input.customerId,
    customerNumber: data.customer.number,
    printout,
    dataFileName: printout.fileName.replace(/\.pdf$/, '.json'),
    dataBytes: Buffer.byteLength(json),
    sections: data.sections,
  }
}

/** The name the save dialog suggests for one of a request's files. */
export async function subjectAccessFileName(dir: string, id: string, format: SubjectAccessFormat): Promise<string> {
  const printout = await findRequest(dir, id)
  return format === 'pdf' ? printout.fileName : printout.fileName.replace(/\.pdf$/, '.json')
}

/** Copies one of the request's files to the chosen file: a temporary name first, renamed when whole. */
export async function saveSubjectAccessFile(dir: string, id: string, format: SubjectAccessFormat, target: string): Promise<SavedSubjectAccessFile> {
  await findRequest(dir, id)
  const bytes = await readFile(format === 'pdf' ? printoutPaths(dir, id).pdf : dataPath(dir, id)).catch(() => {
    throw new NotFound(GONE)
  })
  await writeWhole(target, async (out) => {
    await new Promise<void>((resolve, reject) => out.end(bytes, (error?: Error | null) => (error ? reject(error) : resolve())))
  })
  return { fileName: target.split(/[\\/]/).pop() ?? target }
}

const GONE = 'This subject access request is no longer available; make it again.'

async function findRequest(dir: string, id: string): Promise<{ fileName: string }> {
  try {
    await access(dataPath(dir, id))
    return JSON.parse(await readFile(printoutPaths(dir, id).meta, 'utf8')) as { fileName: string }
  } catch {
    throw new NotFound(GONE)
  }
}
