import type { Knex } from 'knex'
import { joinedDigitGroups } from '../search/digits'
import { indexAgainWhereRecordText } from './customerBatches'

/*
 * Three or four digits typed are found where a name or company writes them
 * in groups ("2020" in "20 20 Vision", "8118" in "118 118 Money"): the text
 * indexes hold each group joined beside the phones' digits. Only the
 * customers who have such groups are indexed again.
 */

export async function up(knex: Knex): Promise<void> {
  await indexAgainWhereRecordText(knex, joinedDigitGroups)
}

export async function down(): Promise<void> {
  // The joined runs are more text in the same documents: the searches of before find what they found.
}
