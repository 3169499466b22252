import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { allRows } from '../../db/queries/customerList'

async function schemaOf(db: Knex): Promise<string[]> {
  const rows = allRows<{ type: string; name: string; sql: string | null }>(
    await db.raw(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`),
  )
  return rows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`)
}

/**
 * Cached databases are migrated forward when opened, but an edit to a migration they already ran
 * (allowed before a release) leaves them behind. Says which objects differ from a fresh database,
 * so figures are never quietly measured on an old schema.
 */
export async function warnIfSchemaDiffers(db: Knex, label: string): Promise<void> {
  const fresh = openDatabase(':memory:')
  try {
    await migrateToLatest(fresh)
    const expected = await schemaOf(fresh)
    const actual = new Set(await schemaOf(db))
    const differing = expected.filter((line) => !actual.has(line)).map((line) => line.slice(0, line.indexOf(':')))
    if (differing.length) {
      console.log(`  WARNING: the ${label} cache's schema differs from the migrations (${differing.join(', ')}); run with --rebuild`)
    }
  } finally {
    await closeDatabase(fresh)
  }
}
