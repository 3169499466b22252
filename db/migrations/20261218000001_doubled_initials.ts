import type { Knex } from 'knex'
import { dialectOf } from '../dialects'
import type { NameAndCompany } from '../dialects/types'
import { foldForSearch } from '../../preload/contract/fold'
import { doubledInitials, initialsOf } from '../search/initials'
import { forEachCustomerBatch } from './customerBatches'

/*
 * An initial that comes twice in a customer's name and company ("Jane Jones")
 * is held doubled as well, so "j j" finds the customers with two. Only those
 * customers are indexed again; every other customer's documents are the same
 * as before.
 */

export async function up(knex: Knex): Promise<void> {
  const doubled: NameAndCompany[] = []
  await forEachCustomerBatch<NameAndCompany>(knex, ['display_name', 'display_name_is_custom', 'first_name', 'last_name', 'company'], async (rows) => {
    doubled.push(...rows.filter(hasDoubledInitial))
  })
  if (doubled.length) await dialectOf(knex).indexDoubledInitials(knex, doubled)
}

/** Whether the initials of the name and company, as either engine's index takes them, hold one twice. */
function hasDoubledInitial(row: NameAndCompany): boolean {
  const name = row.display_name + (row.display_name_is_custom ? ` ${row.first_name} ${row.last_name}` : '')
  // The server's index also folds final sigma into sigma: a customer doubled only there is indexed again too.
  const initials = initialsOf(foldForSearch(`${name} ${row.company}`)).replace(/ς/g, 'σ').split(' ').filter(Boolean)
  return doubledInitials(initials).length > 0
}

export async function down(): Promise<void> {
  // The doubled initials are more words of the same documents: the searches of before find what they found.
}
