import type { Knex } from 'knex'
import { groupedDigitRuns } from '../search/digits'
import { indexAgainWhereRecordText } from './customerBatches'

/*
 * Digits written in groups in a name or company ("118 118 Money") are found
 * as they are typed: the digit index holds each group of them joined into
 * one run. Only the customers who have such groups are indexed again; every
 * other customer's documents are the same as before.
 */

export async function up(knex: Knex): Promise<void> {
  await indexAgainWhereRecordText(knex, groupedDigitRuns)
}

export async function down(): Promise<void> {
  // The joined runs are more pieces of the same documents: the searches of before find what they found.
}
