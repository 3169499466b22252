import type { Knex } from 'knex'

/** When the whole book was last checked (ISO UTC), or null: the start-up and daily check use it to decide whether one is due. */
export async function lastCheckedAt(db: Knex): Promise<string | null> {
  const row = (await db('quality_checks').where({ id: 1 }).first('checked_at')) as { checked_at: string } | undefined
  return row?.checked_at ?? null
}
