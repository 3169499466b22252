import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/** Customers read at a time by a migration that goes through every one of them. */
const BATCH = 5000

/**
 * Reads every customer in id order, a batch at a time, with these columns besides the id: the
 * migrations that index some customers again look at each without holding them all.
 */
export async function forEachCustomerBatch<Row extends { id: number }>(knex: Knex, columns: readonly string[], each: (rows: Row[]) => Promise<void>): Promise<void> {
  for (let after = 0; ; ) {
    const rows = (await knex('customers')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', ...columns)) as Row[]
    if (!rows.length) return
    after = rows.at(-1)!.id
    await each(rows)
  }
}

/** The record's own texts a customer's digits are read from (name, email, company), as the search documents join them. */
const RECORD_TEXT_COLUMNS = ['display_name', 'first_name', 'last_name', 'email', 'company'] as const
type RecordTexts = { id: number } & Record<(typeof RECORD_TEXT_COLUMNS)[number], string>

function recordTextOf(row: RecordTexts): string {
  return RECORD_TEXT_COLUMNS.map((column) => row[column]).join(' ')
}

/** Indexes again for search every customer whose record text (recordTextOf) passes the test; no other. */
export async function indexAgainWhereRecordText(knex: Knex, test: (recordText: string) => unknown): Promise<void> {
  const dialect = dialectOf(knex)
  await forEachCustomerBatch<RecordTexts>(knex, RECORD_TEXT_COLUMNS, async (rows) => {
    const ids = rows.filter((row) => test(recordTextOf(row))).map((row) => row.id)
    if (ids.length) await dialect.refreshSearch(knex, ids)
  })
}
