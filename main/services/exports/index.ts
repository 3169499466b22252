import { basename } from 'node:path'
import type { ExportColumn, ExportFormat, ExportInput, ExportResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import type { Progress } from '../progress'
import { allColumns, describeColumn } from './columns'
import { allowedColumns, prepareExport } from './chosen'
import { exportRowPages } from './rows'
import { resolveScope } from './scope'
import { openCsv } from './csv'
import { openXlsx } from './xlsx'
import { writeWhole } from './file'
import { dialectOf } from '../../../db/dialects'
import { exportCsvInHalves } from './halves'

/*
 * Customers out to a spreadsheet (CSV or Excel): the whole address book, the
 * list as filtered, or the ticked customers, never those in the recycle bin.
 * The file is read in one snapshot of the database, a page at a time, and
 * appears under its name only when whole.
 */

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel' }

/** Every column the desk can choose, record fields then custom fields; notes only for administrators. */
export async function exportColumns(ctx: ServiceContext): Promise<ExportColumn[]> {
  return (await allColumns(ctx.db)).map(describeColumn)
}

/** Refuses unknown columns (ValidationFailed) before any dialog opens; who may export at all is the access table's rule (administrators). */
export async function assertMayExport(ctx: ServiceContext, input: ExportInput): Promise<void> {
  await allowedColumns(ctx, input)
}

/** "customers-2026-12-01.csv" */
export function suggestedFileName(format: ExportFormat, now: Date): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
  return `customers-${day}.${format}`
}

/** The job's label: "Exporting all customers to Excel", "Exporting 120 customers to CSV". */
export function describeExport(input: ExportInput): string {
  const format = FORMAT_NAMES[input.format]
  switch (input.scope.kind) {
    case 'all':
      return `Exporting all customers to ${format}`
    case 'filter':
      return `Exporting the filtered list to ${format}`
    case 'ids': {
      const count = new Set(input.scope.ids).size
      return `Exporting ${count.toLocaleString('en-GB')} ${count === 1 ? 'customer' : 'customers'} to ${format}`
    }
  }
}

/** Writes the file (temporary name, renamed when whole), with progress and Cancel. Runs in the job worker. */
export async function exportCustomers(ctx: ServiceContext, input: ExportInput, file: string, progress: Progress): Promise<ExportResult> {
  return (await exportCsvInHalves(ctx, input, file, progress)) ?? exportInOneGo(ctx, input, file, progress)
}

async function exportInOneGo(ctx: ServiceContext, input: ExportInput, file: string, progress: Progress): Promise<ExportResult> {
  // One read transaction: every page comes from the same snapshot while the desk goes on saving.
  return ctx.db.transaction(
    (trx) =>
      // Everything is read once (the count, then each page): a small page cache spares some 60 MB at a million customers, no slower.
      dialectOf(trx).withSmallCache(trx, async () => {
        const { columns, currency, money } = await prepareExport(trx, input)
        const scope = await resolveScope(trx, input.scope)
        progress.report(0, scope.total, 'Writing customers')
        const { result: rows, bytes } = await writeWhole(file, async (out) => {
          const sheet = input.format === 'csv' ? openCsv({ out, columns, money }) : await openXlsx({ out, columns, money })
          let written = 0
          try {
            for await (const page of exportRowPages(trx, scope, columns, currency)) {
              progress.checkCancelled()
              await sheet.writeRows(page)
              written += page.length
              progress.report(written, scope.total, 'Writing customers')
            }
            await sheet.finish()
            return written
          } catch (error) {
            sheet.abort()
            throw error
          }
        })
        return { fileName: basename(file), rows, bytes }
      }),
    { readOnly: true },
  )
}
