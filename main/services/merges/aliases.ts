import type { Knex } from 'knex'

/** Where a merged record's number leads now: the survivor's id, following merges of merges; null if it was never merged. */
export async function survivorOf(db: Knex, customerId: number): Promise<{ survivorId: number; mergeId: number; at: string } | null> {
  const row = (await db('customer_aliases as a').join('merges as m', 'm.id', 'a.merge_id').where('a.customer_id', customerId).first('a.survivor_id', 'a.merge_id', 'm.at')) as
    | { survivor_id: number; merge_id: number; at: string }
    | undefined
  return row ? { survivorId: row.survivor_id, mergeId: row.merge_id, at: row.at } : null
}

/** The old numbers that now find this customer. */
export async function aliasesOf(db: Knex, survivorId: number): Promise<number[]> {
  return ((await db('customer_aliases').where({ survivor_id: survivorId }).select('customer_id')) as Array<{ customer_id: number }>).map((r) => r.customer_id)
}
