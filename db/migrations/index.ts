import type { Knex } from 'knex'
import * as addressBook from './20261123000001_address_book'
import * as searchAndCounters from './20261123000002_search_and_counters'
import * as defaults from './20261123000003_defaults'
import * as recordExtras from './20261123000004_record_extras'
import * as organising from './20261123000005_organising'
import * as searchMergePolicy from './20261123000006_search_merge_policy'
import * as bookings from './20261123000007_bookings'
import * as textInNormalForm from './20261201000001_text_in_normal_form'
import * as foldedSearch from './20261201000002_folded_search'
import * as digitSearch from './20261201000003_digit_search'
import * as initialsSearch from './20261201000004_initials_search'
import * as imports from './20261201000005_imports'
import * as brochureRequests from './20261201000006_brochure_requests'
import * as reportTotals from './20261201000007_report_totals'
import * as letterTemplates from './20261201000008_letter_templates'
import * as moneyRules from './20261202000001_money_rules'
import * as bookingsList from './20261202000002_bookings_list'
import * as staffAndSafety from './20261203000001_staff_and_safety'
import * as duplicates from './20261204000001_duplicates'
import * as merges from './20261204000002_merges'
import * as erasure from './20261204000003_erasure'
import * as dataQuality from './20261204000004_data_quality'
import * as messages from './20261205000001_messages'
import * as emailTemplates from './20261205000002_email_templates'
import * as recordVersions from './20261206000001_record_versions'
import * as searchStatus from './20261207000001_search_status'
import * as customersNotActive from './20261207000002_customers_not_active'
import * as initialsInTextSearch from './20261207000003_initials_in_text_search'
import * as customersIdName from './20261207000004_customers_id_name'
import * as initialsInWordStarts from './20261208000001_initials_in_word_starts'
import * as wordStartLists from './20261209000001_word_start_lists'
import * as reportTotalsPerStatement from './20261210000001_report_totals_per_statement'
import * as initialPairs from './20261211000001_initial_pairs'
import * as wordStartsOnly from './20261212000001_word_starts_only'
import * as searchPendingLists from './20261213000001_search_pending_lists'
import * as serverInitialPairs from './20261214000001_server_initial_pairs'
import * as firstCharacterLists from './20261215000001_first_character_lists'
import * as importCreatedRuns from './20261216000001_import_created_runs'
import * as groupedDigits from './20261217000001_grouped_digits'
import * as doubledInitials from './20261218000001_doubled_initials'
import * as joinedDigitGroups from './20261219000001_joined_digit_groups'
import * as searchSortNames from './20261220000001_search_sort_names'
import * as searchRowsByName from './20261221000001_search_rows_by_name'
import * as searchTermsInOneIndex from './20261222000001_search_terms_in_one_index'

interface Migration {
  up: (knex: Knex) => Promise<void>
  down: (knex: Knex) => Promise<void>
}

/**
 * Every migration, in order. Listed here rather than scanned from a folder
 * because the main process is bundled (Knex's folder scan breaks there).
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261123000001_address_book', addressBook],
  ['20261123000002_search_and_counters', searchAndCounters],
  ['20261123000003_defaults', defaults],
  ['20261123000004_record_extras', recordExtras],
  ['20261123000005_organising', organising],
  ['20261123000006_search_merge_policy', searchMergePolicy],
  ['20261123000007_bookings', bookings],
  ['20261201000001_text_in_normal_form', textInNormalForm],
  ['20261201000002_folded_search', foldedSearch],
  ['20261201000003_digit_search', digitSearch],
  ['20261201000004_initials_search', initialsSearch],
  ['20261201000005_imports', imports],
  ['20261201000006_brochure_requests', brochureRequests],
  ['20261201000007_report_totals', reportTotals],
  ['20261201000008_letter_templates', letterTemplates],
  ['20261202000001_money_rules', moneyRules],
  ['20261202000002_bookings_list', bookingsList],
  ['20261203000001_staff_and_safety', staffAndSafety],
  ['20261204000001_duplicates', duplicates],
  ['20261204000002_merges', merges],
  ['20261204000003_erasure', erasure],
  ['20261204000004_data_quality', dataQuality],
  ['20261205000001_messages', messages],
  ['20261205000002_email_templates', emailTemplates],
  ['20261206000001_record_versions', recordVersions],
  ['20261207000001_search_status', searchStatus],
  ['20261207000002_customers_not_active', customersNotActive],
  ['20261207000003_initials_in_text_search', initialsInTextSearch],
  ['20261207000004_customers_id_name', customersIdName],
  ['20261208000001_initials_in_word_starts', initialsInWordStarts],
  ['20261209000001_word_start_lists', wordStartLists],
  ['20261210000001_report_totals_per_statement', reportTotalsPerStatement],
  ['20261211000001_initial_pairs', initialPairs],
  ['20261212000001_word_starts_only', wordStartsOnly],
  ['20261213000001_search_pending_lists', searchPendingLists],
  ['20261214000001_server_initial_pairs', serverInitialPairs],
  ['20261215000001_first_character_lists', firstCharacterLists],
  ['20261216000001_import_created_runs', importCreatedRuns],
  ['20261217000001_grouped_digits', groupedDigits],
  ['20261218000001_doubled_initials', doubledInitials],
  ['20261219000001_joined_digit_groups', joinedDigitGroups],
  ['20261220000001_search_sort_names', searchSortNames],
  ['20261221000001_search_rows_by_name', searchRowsByName],
  ['20261222000001_search_terms_in_one_index', searchTermsInOneIndex],
]

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name)
    if (!found) throw new Error(`Unknown migration ${name}`)
    return found[1]
  },
}

const config: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' }

/** Runs pending migrations; each runs in its own transaction and rolls back whole on failure. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]]
  return applied
}

/** Runs pending migrations up to and including `name` (files as an earlier release left them, in tests). */
export async function migrateUpTo(db: Knex, name: string): Promise<void> {
  const target = migrations.findIndex(([n]) => n === name)
  if (target < 0) throw new Error(`Unknown migration ${name}`)
  const { applied } = await migrationStatus(db)
  for (let i = applied.length; i <= target; i++) await db.migrate.up(config)
}

/** Undoes the migrations back to `name`, it included, newest first (each later one was made on what it left; in tests). */
export async function migrateDownThrough(db: Knex, name: string): Promise<void> {
  const target = migrations.findIndex(([n]) => n === name)
  if (target < 0) throw new Error(`Unknown migration ${name}`)
  const { applied } = await migrationStatus(db)
  for (let i = applied.length - 1; i >= target; i--) await db.migrate.down(config)
}

export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true)
}

export async function migrationStatus(db: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = (await db.migrate.list(config)) as [Array<{ name: string } | string>, Array<{ file: string } | string>]
  const name = (m: { name: string } | { file: string } | string) =>
    typeof m === 'string' ? m : 'name' in m ? m.name : m.file
  return { applied: applied.map(name), pending: pending.map(name) }
}
