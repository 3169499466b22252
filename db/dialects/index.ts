import type { Knex } from 'knex'
import { sqliteDialect } from './sqlite'
import { postgresDialect } from './postgres'
import type { Dialect } from './types'

export type { Dialect, SearchPlan } from './types'

/** The SQL that differs by database, for this connection's database. */
export function dialectOf(knex: Knex): Dialect {
  // Knex names the dialect on the client, whether it was given by name or as a class.
  const dialect = String((knex.client as { dialect?: unknown }).dialect)
  if (dialect === 'sqlite3') return sqliteDialect
  if (dialect === 'postgresql') return postgresDialect
  throw new Error(`Database dialect ${dialect} is not supported yet`)
}
