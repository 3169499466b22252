import type { Knex } from 'knex'
import { dialectOf } from '../dialects'
import { joinedDigitGroups } from '../search/digits'

/*
 * Three or four digits typed are found where a name or company writes them
 * in groups ("2020" in "20 20 Vision", "8118" in "118 118 Money"): the text
 * indexes hold each group joined beside the phones' digits. Only the
 * customers who have such groups are indexed again.
 */

const BATCH = 5000

interface RecordTexts {
  id: number
  display_name: string
  first_name: string
  last_name: string
  email: string
  company: string
}

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex)
  for (let after = 0; ; ) {
    const rows = (await knex('customers')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'display_name', 'first_name', 'last_name', 'email', 'company')) as RecordTexts[]
    if (!rows.length) return
    after = rows.at(-1)!.id
    const grouped = rows.filter((r) => joinedDigitGroups([r.display_name, r.first_name, r.last_name, r.email, r.company].join(' '))).map((r) => r.id)
    if (grouped.length) await dialect.refreshSearch(knex, grouped)
  }
}

export async function down(): Promise<void> {
  // The joined runs are more text in the same documents: the searches of before find what they found.
}
