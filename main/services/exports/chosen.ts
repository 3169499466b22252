import type { Knex } from 'knex'
import type { ExportInput } from '../../../preload/contract'
import { ValidationFailed } from '../errors'
import { getSettings } from '../app/settings'
import { chooseColumns, type ColumnSpec } from './columns'
import { moneyFormatOf, type MoneyFormat } from './values'

/** The columns asked for, refused by name when one no longer exists (a custom field deleted meanwhile). */
export async function allowedColumns(ctx: { db: Knex }, input: ExportInput): Promise<ColumnSpec[]> {
  const { columns, unknown } = await chooseColumns(ctx.db, input.columns)
  if (unknown.length) {
    throw ValidationFailed.field('columns', `There is no column ${unknown.join(', ')} any more (a custom field may have been deleted). Reload the columns.`)
  }
  return columns
}

/** What an export writes with: the columns, checked again (the job may start a while after it was asked for), and the money. */
export async function prepareExport(db: Knex, input: ExportInput): Promise<{ columns: ColumnSpec[]; currency: string; money: MoneyFormat }> {
  const columns = await allowedColumns({ db }, input)
  const { currency } = await getSettings({ db })
  return { columns, currency, money: moneyFormatOf(currency) }
}
