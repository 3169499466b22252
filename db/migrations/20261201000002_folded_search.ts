import type { Knex } from 'knex'
import { dialectOf } from '../dialects'
import { foldForSearch } from '../../preload/contract/fold'
import { rebuildCustomerSearch } from '../search'

/**
 * Searches fold the letters Unicode does not decompose (ł, ø, đ, ß, æ…) and
 * drop apostrophes, on both sides: the sort name (which one-letter searches
 * read) is folded again, and the search index rebuilt from folded documents.
 */
const BATCH = 5000

async function refold(knex: Knex, fold: (value: string) => string): Promise<void> {
  const dialect = dialectOf(knex)
  let after = 0
  for (;;) {
    // Only names beyond plain ASCII, or with an apostrophe, fold differently.
    const rows = (await knex('customers')
      .select('id', 'display_name', 'sort_name')
      .where('id', '>', after)
      .andWhere((q) => q.whereRaw(dialect.beyondAsciiSql('display_name')).orWhereRaw(dialect.apostropheSql('display_name')))
      .orderBy('id')
      .limit(BATCH)) as Array<{ id: number; display_name: string; sort_name: string }>
    for (const row of rows) {
      const folded = fold(row.display_name)
      if (folded !== row.sort_name) await knex('customers').where({ id: row.id }).update({ sort_name: folded })
    }
    if (rows.length < BATCH) break
    after = rows[rows.length - 1]!.id
  }
}

export async function up(knex: Knex): Promise<void> {
  await refold(knex, (name) => foldForSearch(name).trim())
  await rebuildCustomerSearch(knex)
}

export async function down(knex: Knex): Promise<void> {
  await refold(knex, (name) => name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim())
  await rebuildCustomerSearch(knex)
}
