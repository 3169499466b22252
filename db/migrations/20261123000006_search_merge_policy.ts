import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/** Search-index merging moves from the desk's writes to idle time (see db/maintenance.ts). */
export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).setSearchMergePolicy(knex, 'background')
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).setSearchMergePolicy(knex, 'default')
}
