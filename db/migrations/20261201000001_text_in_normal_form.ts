import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * Text typed before every input was normalised may be stored in another
 * Unicode form (an accent as a separate mark, marks in keyboard order): the
 * same name then compares and indexes as different text. This rewrites the
 * text people typed into NFC, and the normalised email with it. The change
 * log and consent evidence stay exactly as recorded.
 */
const TEXT_COLUMNS: Record<string, string[]> = {
  customers: ['first_name', 'last_name', 'display_name', 'company', 'email', 'status_reason'],
  phones: ['label', 'number'],
  addresses: ['line1', 'line2', 'city', 'region', 'postcode', 'country'],
  tags: ['name'],
  customer_groups: ['name', 'description'],
  notes: ['body'],
  custom_field_definitions: ['label', 'options'],
  customer_custom_values: ['value'],
  saved_filters: ['name'],
  catalogue_items: ['name', 'description', 'location'],
  price_options: ['name'],
  catalogue_sessions: ['location'],
  customer_plans: ['name'],
  bookings: ['note'],
  booking_lines: ['description'],
  payments: ['reference'],
}


const BATCH = 2000

export async function up(knex: Knex): Promise<void> {
  // Only text with a character beyond ASCII can be in another normal form.
  const { beyondAsciiSql: beyondAscii } = dialectOf(knex)
  for (const [table, columns] of Object.entries(TEXT_COLUMNS)) {
    const key = table === 'customer_custom_values' ? ['customer_id', 'field_id'] : ['id']
    let after: number[] | null = null
    for (;;) {
      const query = knex(table)
        .select([...key, ...columns])
        .where((q) => {
          for (const column of columns) q.orWhereRaw(beyondAscii(column))
        })
        .orderBy(key)
        .limit(BATCH)
      if (after) query.andWhereRaw(`(${key.join(', ')}) > (${key.map(() => '?').join(', ')})`, after)
      const rows = (await query) as Array<Record<string, unknown>>
      for (const row of rows) {
        const changed: Record<string, string> = {}
        for (const column of columns) {
          const value = row[column]
          if (typeof value === 'string' && value !== value.normalize('NFC')) changed[column] = value.normalize('NFC')
        }
        if (table === 'customers' && changed['email'] !== undefined) changed['email_normalized'] = changed['email'].trim().toLowerCase()
        if (Object.keys(changed).length) await knex(table).where(Object.fromEntries(key.map((k) => [k, row[k]]))).update(changed)
      }
      if (rows.length < BATCH) break
      const last = rows[rows.length - 1]!
      after = key.map((k) => Number(last[k]))
    }
  }
}

/** NFC text is the same text: there is nothing to undo. */
export async function down(): Promise<void> {}
