import type { Knex } from 'knex'
import type { ErasurePreview, ErasureResult } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import { dialectOf } from '../../../db/dialects'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { requireAdmin } from '../permissions'
import { NO_PROGRESS, type Progress } from '../progress'
import { loadCustomer } from '../customers/records'
import { formatCustomerNumber } from '../customers/normalize'
import { redactChangeLog } from './redaction'
import { writeTombstones } from './tombstones'
import { erasedOn } from './erased'

/** The name an erased customer is shown under, with their bookings and money. */
export const ERASED_NAME = 'Erased customer'

/** Rows removed with the person, table by table, each with the words the preview uses. */
const REMOVED: Array<{ table: string; label: string; column?: string }> = [
  { table: 'phones', label: 'Phone numbers' },
  { table: 'addresses', label: 'Addresses' },
  { table: 'notes', label: 'Notes' },
  { table: 'customer_custom_values', label: 'Custom field values' },
  { table: 'customer_photos', label: 'Photo' },
  { table: 'payment_methods', label: 'Saved payment methods (card references)' },
  { table: 'customer_tags', label: 'Tags' },
  { table: 'customer_group_members', label: 'Group memberships' },
  { table: 'brochure_requests', label: 'Brochure requests' },
  // What was written to them is personal data too; removing the rows also stops anything still waiting in the outbox.
  { table: 'messages', label: 'Emails sent to them or waiting to be sent' },
  { table: 'consent_events', label: 'Consent records and their wording' },
  { table: 'import_keys', label: 'Import matching keys' },
  { table: 'import_changes', label: 'Import undo records' },
  { table: 'site_account_tokens', label: 'Online booking site links (confirm account, reset password)' },
]

/** Tables that arrived with other features of the same release: cleared when the file has them. */
const PAIRS = ['duplicate_pairs', 'duplicate_dismissals'] as const

async function count(db: Knex, table: string, where: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<number> {
  const [row] = (await where(db(table)).count({ n: '*' })) as Array<{ n: number | string }>
  return Number(row?.n ?? 0)
}

async function hasTable(db: Knex, table: string): Promise<boolean> {
  return db.schema.hasTable(table)
}

/** Ids whose change-log entries are this person's: their own, and those of records merged into them. */
async function personIds(db: Knex, id: number): Promise<number[]> {
  const ids = [id]
  if (await hasTable(db, 'customer_aliases')) {
    ids.push(...((await db('customer_aliases').where({ survivor_id: id }).pluck('customer_id')) as number[]))
  }
  return ids
}

/** What an erasure would remove and what stays (bookings, money, the entries of the change log, redacted). */
export async function previewErasure(ctx: ServiceContext, customerId: number): Promise<ErasurePreview> {
  requireAdmin(ctx, 'Only an administrator can erase a person\'s data.')
  const customer = await loadCustomer(ctx.db, customerId)
  const row = (await ctx.db('customers').where({ id: customerId }).first('erased_at', 'first_name', 'last_name', 'company', 'email')) as {
    erased_at: string | null
  }
  const byCustomer = (q: Knex.QueryBuilder) => q.where({ customer_id: customerId })
  const removed: ErasurePreview['removed'] = [{ label: 'Name, email, company and other details of the record', count: 1 }]
  for (const { table, label } of REMOVED) removed.push({ label, count: await count(ctx.db, table, byCustomer) })
  const ids = await personIds(ctx.db, customerId)
  const bookings = await count(ctx.db, 'bookings', byCustomer)
  const payments = await count(ctx.db, 'payments', (q) => q.whereIn('booking_id', ctx.db('bookings').where({ customer_id: customerId }).select('id')))
  const kept: ErasurePreview['kept'] = [
    { label: 'Bookings (notes on them are cleared)', count: bookings },
    { label: 'Payments and refunds', count: payments },
    { label: 'Plans, passes and memberships', count: await count(ctx.db, 'customer_plans', byCustomer) },
    { label: 'Rewards entries', count: await count(ctx.db, 'reward_entries', byCustomer) },
    { label: 'Change-log entries (personal values redacted)', count: await count(ctx.db, 'change_log', (q) => q.whereIn('customer_id', ids)) },
  ]
  return {
    customerId,
    number: customer.number,
    displayName: customer.displayName,
    status: customer.status,
    erasedAt: row.erased_at,
    removed: removed.filter((r) => r.count > 0),
    kept,
    confirmWith: customer.number,
  }
}

/**
 * The job's label, checked before it starts: an administrator, the number
 * typed right, someone not erased already (the job checks again inside its
 * transaction).
 */
export async function describeErasure(ctx: ServiceContext, input: { customerId: number; confirm: string }): Promise<string> {
  requireAdmin(ctx, 'Only an administrator can erase a person\'s data.')
  assertConfirmed(input)
  const row = (await ctx.db('customers').where({ id: input.customerId }).first('erased_at')) as { erased_at: string | null } | undefined
  if (!row) throw new NotFound(`Customer ${formatCustomerNumber(input.customerId)} does not exist.`)
  if (row.erased_at) throw new Conflict(`${formatCustomerNumber(input.customerId)}'s personal data was already erased on ${erasedOn(row.erased_at)}.`)
  return `Erasing the personal data of ${formatCustomerNumber(input.customerId)}`
}

function assertConfirmed(input: { customerId: number; confirm: string }): void {
  const number = formatCustomerNumber(input.customerId)
  if (input.confirm.trim().toUpperCase() !== number) {
    throw ValidationFailed.field('confirm', `Type the customer number ${number} to confirm the erasure.`)
  }
}

/** The person's values as held today, for the redaction of summaries that name them. */
async function personalValues(trx: Knex, id: number): Promise<string[]> {
  const c = (await trx('customers').where({ id }).first('first_name', 'last_name', 'display_name', 'company', 'email', 'status_reason')) as Record<string, string>
  const values: string[] = [c.first_name, c.last_name, c.display_name, c.company, c.email, c.status_reason, `${c.first_name} ${c.last_name}`].filter(Boolean) as string[]
  const phones = (await trx('phones').where({ customer_id: id }).select('number', 'e164')) as Array<{ number: string; e164: string | null }>
  for (const p of phones) values.push(p.number, p.e164 ?? '')
  const addresses = (await trx('addresses').where({ customer_id: id }).select('line1', 'line2', 'city', 'region', 'postcode')) as Array<Record<string, string>>
  for (const a of addresses) values.push(a.line1!, a.line2!, a.city!, a.region!, a.postcode!)
  values.push(...((await trx('notes').where({ customer_id: id }).pluck('body')) as string[]))
  values.push(...((await trx('customer_custom_values').where({ customer_id: id }).pluck('value')) as string[]))
  values.push(...((await trx('brochure_requests').where({ customer_id: id }).pluck('note')) as string[]))
  return values.filter(Boolean)
}

/**
 * Removes a person's personal data and keeps their accounts: the record stays
 * (its number, bookings, payments, plans and rewards) as "Erased customer",
 * archived, with the time of erasure; contacts, addresses, notes, photo,
 * card references, custom values, tags, groups, brochure requests, emails and consent
 * records go; the personal values in their change-log entries are redacted;
 * tombstones remember the email and phones by keyed hash. One transaction.
 * `removePersonRows` is shared with purging from the recycle bin.
 */
export async function eraseCustomer(ctx: ServiceContext, input: { customerId: number; confirm: string }, progress: Progress = NO_PROGRESS): Promise<ErasureResult> {
  requireAdmin(ctx, 'Only an administrator can erase a person\'s data.')
  const started = Date.now()
  const id = input.customerId
  const number = formatCustomerNumber(id)
  assertConfirmed(input)
  const result = await ctx.db.transaction(async (trx) => {
    const before = await loadCustomer(trx, id)
    const row = (await trx('customers').where({ id }).first('erased_at')) as { erased_at: string | null }
    if (row.erased_at) throw new Conflict(`${before.number}'s personal data was already erased on ${erasedOn(row.erased_at)}.`)
    if (before.status === 'deleted') {
      throw new Conflict(`${before.displayName} (${before.number}) is in the recycle bin. Restore them first, or remove them for good from the bin.`)
    }
    progress.report(0, 3, 'Removing personal data')
    const at = ctx.clock().toISOString()
    const tombstones = await writeTombstones(trx, { email: before.email, phones: before.phones.map((p) => p.e164 ?? p.number) }, at)
    const redacted = await removePersonRows(trx, [id], at)
    progress.checkCancelled()
    progress.report(1, 3, 'Redacting the change log')
    const now = at
    await trx('customers')
      .where({ id })
      .update({
        first_name: '',
        last_name: '',
        display_name: ERASED_NAME,
        display_name_is_custom: false,
        sort_name: ERASED_NAME.toLowerCase(),
        company: '',
        email: '',
        email_normalized: '',
        status: 'archived',
        status_reason: '',
        marketing_consent: false,
        unsubscribed: true,
        referred_by_id: null,
        household_payer_id: null,
        ...(before.status === 'archived' ? {} : { archived_at: now }),
        erased_at: now,
        updated_at: now,
      })
    await refreshCustomerSearch(trx, [id])
    progress.checkCancelled()
    progress.report(2, 3, 'Rewriting the search index')
    await dialectOf(trx).rewriteSearchIndex(trx)
    await recordChange(trx, ctx, {
      customerId: id,
      entityType: 'customer',
      entityId: id,
      action: 'customer.erased',
      summary: `Erased the personal data of ${number}; bookings and payments kept under "${ERASED_NAME}"`,
    })
    return { customerId: id, number, erasedAt: at, redactedEntries: redacted, tombstones }
  })
  progress.report(3, 3, 'Clearing the write-ahead log')
  const checkpointed = await clearWriteAheadLog(ctx.db)
  return { ...result, checkpointed, ms: Date.now() - started }
}

/**
 * Everything personal about these customers goes, inside the caller's
 * transaction, and their change-log entries are redacted: the shared part of
 * erasing a person and of removing them for good from the recycle bin. The
 * customer rows themselves are left for the caller (emptied or deleted).
 */
export async function removePersonRows(trx: Knex, ids: readonly number[], at: string): Promise<number> {
  let redacted = 0
  for (const id of ids) {
    const values = await personalValues(trx, id)
    const logIds = await personIds(trx, id)
    for (const { table } of REMOVED) await trx(table).where({ customer_id: id }).delete()
    for (const table of PAIRS) {
      if (await hasTable(trx, table)) await trx(table).where({ customer_a: id }).orWhere({ customer_b: id }).delete()
    }
    if (await hasTable(trx, 'quality_issues')) await trx('quality_issues').where({ customer_id: id }).delete()
    // A merge's undo holds the merged records as they were: after an erasure there is nothing to put back.
    if (await hasTable(trx, 'merges')) await trx('merges').where({ survivor_id: id }).whereNull('undone_at').update({ undo: '{}' })
    await trx('bookings').where({ customer_id: id }).whereNot({ note: '' }).update({ note: '' })
    await trx('reward_entries').where({ customer_id: id }).whereNot({ note: '' }).update({ note: '' })
    // Someone else paid for by this person: the household link goes with them.
    await trx('customers').where({ household_payer_id: id }).whereNot({ id }).update({ household_payer_id: null })
    redacted += await redactChangeLog(trx, logIds, values, at)
  }
  return redacted
}

/**
 * After an erasure the old pages may still sit in the write-ahead log: it is
 * copied into the file (where secure delete has zeroed what was removed) and
 * emptied. A reader holding it back is waited for a little (false if it
 * still does).
 */
export async function clearWriteAheadLog(db: Knex): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await dialectOf(db).checkpointTruncate(db)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}
