import type { Knex } from 'knex'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import type { Progress } from '../progress'
import { getSettings } from '../app'
import { withoutAccountTokens } from '../siteAccounts/links'

/*
 * The data file of a subject access request: everything Frontdesk holds
 * about one person, as stored, in one JSON document. Its shape is versioned
 * (`format` + `version`); a new field is added without a new version, a
 * field renamed or removed bumps it.
 *
 * Rows keep every stored column (names in camelCase, yes/no as booleans),
 * except a few the app derives for searching and sorting; each section is a
 * list, newest last. Other people appear only as the link itself (their
 * number and name): a household's payer or members, who referred whom.
 */

export const SUBJECT_ACCESS_FORMAT = 'frontdesk-subject-access'
export const SUBJECT_ACCESS_VERSION = 1

export type Row = Record<string, unknown>

/** Another customer this person is linked to: no more than who they are. */
export interface LinkedPerson {
  id: number
  number: string
  name: string
}

export interface SubjectAccessData {
  format: typeof SUBJECT_ACCESS_FORMAT
  version: typeof SUBJECT_ACCESS_VERSION
  /** ISO UTC, and who made it. */
  generatedAt: string
  generatedBy: string
  /** The business holding the data (the letterhead's name). */
  controller: { name: string }
  customer: Row & { id: number; number: string; name: string }
  photo: { mime: string; width: number; height: number; updatedAt: string; base64: string } | null
  phones: Row[]
  addresses: Row[]
  consents: { marketingConsent: boolean; unsubscribed: boolean; events: Row[] }
  bookings: Array<Row & { lines: Row[]; payments: Row[]; refunds: Row[] }>
  plans: Array<Row & { passUses: Row[]; collections: Row[] }>
  /** Notes written about the person by the business's staff (`kind` says "staff note" or "imported note"). */
  notes: Row[]
  tags: Row[]
  groups: Row[]
  customFields: Row[]
  /** Card references as stored: brand, last four digits and expiry; never a card number. */
  paymentMethods: Row[]
  brochureRequests: Row[]
  /** Emails written to the person (sent, waiting or failed), with their plain-text body as sent. */
  messages: Row[]
  /** Links emailed for the online booking site (confirm account, reset password): when, until when, what became of each; never the link. */
  accountLinks: Row[]
  rewards: { balanceMinor: number; entries: Row[] }
  household: { payer: LinkedPerson | null; members: LinkedPerson[] }
  referrals: { referredBy: LinkedPerson | null; referred: LinkedPerson[] }
  /** Keys from imported files that find this record again on the next import. */
  importKeys: Row[]
  /** Records merged into this one: their numbers still find it. */
  mergedRecords: Row[]
  /** Every change-log entry about the person, oldest first (`redactedAt`: its personal values were erased). */
  changeLog: Row[]
  /** What each section holds, in the order the PDF shows them. */
  sections: { title: string; count: number }[]
}

/** Columns kept for searching, sorting and the database's own bookkeeping: not data about the person. */
const DERIVED = new Set(['email_normalized', 'sort_name', 'search_digits', 'label_normalized', 'name_normalized', 'hash', 'content_salt', 'content_hash'])
const BOOLEAN = new Set([
  'display_name_is_custom',
  'marketing_consent',
  'unsubscribed',
  'is_default_letters',
  'is_default_service',
  'is_primary',
  'granted',
  'pinned',
  'is_default',
  'covered_by_pass',
])

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())

/** A stored row as the data file gives it: camelCase names, yes/no as booleans, derived columns left out. */
export function asStored(row: Record<string, unknown>, leaveOut: readonly string[] = []): Row {
  const out: Row = {}
  for (const [key, value] of Object.entries(row)) {
    if (DERIVED.has(key) || leaveOut.includes(key)) continue
    out[camel(key)] = BOOLEAN.has(key) && value !== null ? Boolean(value) : value
  }
  return out
}

const byId = (a: Row, b: Row) => Number(a.id) - Number(b.id)

/** Rows grouped by one column's value, each group in the rows' order. */
function groupBy(rows: Row[], column: string): Map<unknown, Row[]> {
  const groups = new Map<unknown, Row[]>()
  for (const row of rows) {
    const key = row[column]
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  return groups
}

async function linked(query: Knex.QueryBuilder): Promise<LinkedPerson[]> {
  const rows = (await query.select('id', 'display_name').orderBy('id')) as Array<{ id: number; display_name: string }>
  return rows.map((r) => ({ id: r.id, number: formatCustomerNumber(r.id), name: r.display_name }))
}

/**
 * Everything held about one customer, read in one transaction so every
 * section is from the same moment.
 */
export async function collectSubjectData(ctx: ServiceContext, customerId: number, progress: Progress): Promise<SubjectAccessData> {
  const settings = await getSettings(ctx)
  return ctx.db.transaction(
    async (db) => {
      const steps = 17
      let step = 0
      const next = (phase: string) => {
        progress.checkCancelled()
        progress.report(step++, steps, phase)
      }
      next('Reading the record')
      const record = (await db('customers').where({ id: customerId }).first()) as Record<string, unknown> | undefined
      if (!record) throw new NotFound('This customer does not exist.')
      const createdBy = record.created_by_staff_id
        ? ((await db('staff').where({ id: record.created_by_staff_id }).first('name')) as { name: string } | undefined)
        : undefined
      const customer = {
        ...asStored(record),
        id: customerId,
        number: formatCustomerNumber(customerId),
        name: String(record.display_name),
        createdByName: createdBy?.name ?? '',
      }
      const photoRow = (await db('customer_photos').where({ customer_id: customerId }).first()) as
        | { mime: string; width: number; height: number; updated_at: string; bytes: Uint8Array }
        | undefined
      const photo = photoRow
        ? { mime: photoRow.mime, width: photoRow.width, height: photoRow.height, updatedAt: photoRow.updated_at, base64: Buffer.from(photoRow.bytes).toString('base64') }
        : null

      next('Reading contact details')
      const phones = ((await db('phones').where({ customer_id: customerId }).orderBy(['position', 'id'])) as Row[]).map((r) => asStored(r))
      const addresses = ((await db('addresses').where({ customer_id: customerId }).orderBy(['position', 'id'])) as Row[]).map((r) => asStored(r))

      next('Reading consents')
      const consentEvents = ((await db('consent_events').where({ customer_id: customerId }).orderBy('id')) as Row[]).map((r) => asStored(r))

      next('Reading bookings')
      const ownBookings = db('bookings').select('id').where({ customer_id: customerId })
      const bookingRows = (await db('bookings').where({ customer_id: customerId }).orderBy('id')) as Row[]
      const lineRows = (await db('booking_lines').whereIn('booking_id', ownBookings.clone()).orderBy('id')) as Row[]
      next('Reading payments and refunds')
      const paymentRows = (await db('payments').whereIn('booking_id', ownBookings.clone()).orderBy('id')) as Row[]
      const staffNames = new Map(((await db('staff').select('id', 'name')) as Array<{ id: number; name: string }>).map((s) => [s.id, s.name]))
      const linesOf = groupBy(lineRows, 'booking_id')
      const paymentsOf = groupBy(paymentRows, 'booking_id')
      const bookings = bookingRows.map((b) => {
        const { assigned_staff_id: assigned, ...rest } = b
        const paid = paymentsOf.get(b.id) ?? []
        return {
          ...asStored(rest),
          assignedStaffName: assigned ? (staffNames.get(Number(assigned)) ?? '') : '',
          lines: (linesOf.get(b.id) ?? []).map((l) => asStored(l)),
          payments: paid.filter((p) => p.kind === 'payment').map((p) => asStored(p)),
          refunds: paid.filter((p) => p.kind === 'refund').map((p) => asStored(p)),
        }
      })

      next('Reading plans and collections')
      const planRows = (await db('customer_plans').where({ customer_id: customerId }).orderBy('id')) as Row[]
      const passUses = (await db('pass_uses')
        .whereIn('pass_id', db('customer_plans').select('id').where({ customer_id: customerId }))
        .orderBy('id')) as Row[]
      const usesOf = groupBy(passUses, 'pass_id')
      const collectionsOf = groupBy(
        bookingRows.filter((b) => b.plan_id !== null),
        'plan_id',
      )
      const plans = planRows.map((p) => ({
        ...asStored(p),
        passUses: (usesOf.get(p.id) ?? []).map((u) => asStored(u)),
        collections: (collectionsOf.get(p.id) ?? []).map((b) => ({
            bookingId: b.id,
            reference: b.reference,
            dueOn: b.collection_due_on,
            failedAt: b.collection_failed_at,
            status: b.status,
            totalMinor: b.total_minor,
            paidMinor: b.paid_minor,
            outstandingMinor: b.outstanding_minor,
            currency: b.currency,
          })),
      }))

      next('Reading notes')
      const notes = ((await db('notes').where({ customer_id: customerId }).orderBy('id')) as Row[]).map((n) => ({
        kind: n.source === 'staff' ? 'staff note' : 'imported note',
        ...asStored(n),
      }))

      next('Reading tags, lists and custom fields')
      const tags = ((await db('customer_tags as ct')
        .join('tags as t', 't.id', 'ct.tag_id')
        .where('ct.customer_id', customerId)
        .orderBy('t.name')
        .select('t.id', 't.name', 'ct.created_at')) as Row[]).map((r) => asStored(r))
      const groups = ((await db('customer_group_members as m')
        .join('customer_groups as g', 'g.id', 'm.group_id')
        .where('m.customer_id', customerId)
        .orderBy('g.name')
        .select('g.id', 'g.name', 'm.created_at')) as Row[]).map((r) => asStored(r))
      const customFields = ((await db('customer_custom_values as v')
        .join('custom_field_definitions as d', 'd.id', 'v.field_id')
        .where('v.customer_id', customerId)
        .orderBy(['d.position', 'd.id'])
        .select('d.id as field_id', 'd.label', 'd.type', 'v.value')) as Row[]).map((r) => asStored(r))

      next('Reading payment methods')
      const paymentMethods = ((await db('payment_methods').where({ customer_id: customerId }).orderBy('id')) as Row[]).map((r) => asStored(r))

      next('Reading brochure requests')
      const brochureRequests = ((await db('brochure_requests').where({ customer_id: customerId }).orderBy('id')) as Row[]).map((r) =>
        asStored(r, ['taken_by_staff_id']),
      )

      next('Reading emails')
      const messages = ((await db('messages')
        .where({ customer_id: customerId })
        .orderBy('id')
        .select('id', 'kind', 'queued_at', 'sent_at', 'status', 'subject', 'to_name', 'to_address', 'from_name', 'from_address', 'reply_to', 'staff_name', 'body_text')) as Row[]).map(
        // An account email not yet delivered holds a live single-use link: the data file gives the email without it.
        (r) => asStored({ ...r, body_text: withoutAccountTokens(String(r.body_text)) }),
      )
      const accountLinks = ((await db('site_account_tokens')
        .where({ customer_id: customerId })
        .orderBy('id')
        .select('id', 'purpose', 'created_at', 'expires_at', 'used_at', 'revoked_at', 'revoked_reason')) as Row[]).map((r) => asStored(r))

      next('Reading rewards')
      const rewardEntries = ((await db('reward_entries').where({ customer_id: customerId }).orderBy('id')) as Row[]).map((r) => asStored(r))

      next('Reading household and referrals')
      const payerId = record.household_payer_id as number | null
      const referrerId = record.referred_by_id as number | null
      const [payer] = payerId ? await linked(db('customers').where({ id: payerId })) : []
      const members = await linked(db('customers').where({ household_payer_id: customerId }))
      const [referredBy] = referrerId ? await linked(db('customers').where({ id: referrerId })) : []
      const referred = await linked(db('customers').where({ referred_by_id: customerId }))

      next('Reading import keys and merged records')
      const importKeys = ((await db('import_keys').where({ customer_id: customerId }).orderBy('key')) as Row[]).map((r) => asStored(r, ['customer_id']))
      const mergedRecords = ((await db('merges').where({ survivor_id: customerId }).orderBy('id').select('id', 'merged_ids', 'at', 'staff_name', 'undone_at', 'undone_by')) as Row[]).map(
        (r) => {
          const ids = JSON.parse(String(r.merged_ids)) as number[]
          return { ...asStored(r, ['merged_ids']), mergedNumbers: ids.map(formatCustomerNumber) }
        },
      )

      next('Reading the change log')
      // Records merged into this one were the same person: their entries (under the old numbers) are theirs too.
      const changeLog = ((await db('change_log')
        .where({ customer_id: customerId })
        .orWhereIn('customer_id', db('customer_aliases').select('customer_id').where({ survivor_id: customerId }))
        .orderBy('id')
        .select('id', 'at', 'staff_name', 'entity_type', 'entity_id', 'customer_id', 'action', 'summary', 'changes', 'redacted_at')) as Row[]).map((r) => ({
        ...asStored(r, ['changes']),
        changes: JSON.parse(String(r.changes)) as unknown,
      }))
      next('Putting it together')

      const data: Omit<SubjectAccessData, 'sections'> = {
        format: SUBJECT_ACCESS_FORMAT,
        version: SUBJECT_ACCESS_VERSION,
        generatedAt: ctx.clock().toISOString(),
        generatedBy: ctx.staff.name,
        controller: { name: settings.businessName },
        customer,
        photo,
        phones,
        addresses,
        consents: { marketingConsent: Boolean(record.marketing_consent), unsubscribed: Boolean(record.unsubscribed), events: consentEvents },
        bookings,
        plans,
        notes,
        tags,
        groups,
        customFields,
        paymentMethods,
        brochureRequests,
        messages,
        accountLinks,
        rewards: { balanceMinor: Number(record.rewards_balance_minor ?? 0), entries: rewardEntries.sort(byId) },
        household: { payer: payer ?? null, members },
        referrals: { referredBy: referredBy ?? null, referred },
        importKeys,
        mergedRecords,
        changeLog,
      }
      return { ...data, sections: sectionsOf(data) }
    },
    { readOnly: true },
  )
}

/** The sections as the PDF shows them, each with how many items it holds. */
export function sectionsOf(data: Omit<SubjectAccessData, 'sections'>): { title: string; count: number }[] {
  return [
    { title: 'Record', count: 1 },
    { title: 'Phones', count: data.phones.length },
    { title: 'Addresses', count: data.addresses.length },
    { title: 'Consents', count: data.consents.events.length },
    { title: 'Bookings', count: data.bookings.length },
    { title: 'Payments and refunds', count: data.bookings.reduce((n, b) => n + b.payments.length + b.refunds.length, 0) },
    { title: 'Plans', count: data.plans.length },
    { title: 'Staff notes', count: data.notes.length },
    { title: 'Tags and lists', count: data.tags.length + data.groups.length },
    { title: 'Custom fields', count: data.customFields.length },
    { title: 'Payment methods', count: data.paymentMethods.length },
    { title: 'Brochure requests', count: data.brochureRequests.length },
    { title: 'Emails', count: data.messages.length },
    { title: 'Online account links', count: data.accountLinks.length },
    { title: 'Rewards', count: data.rewards.entries.length },
    {
      title: 'Household and referrals',
      count: (data.household.payer ? 1 : 0) + data.household.members.length + (data.referrals.referredBy ? 1 : 0) + data.referrals.referred.length,
    },
    { title: 'Change log', count: data.changeLog.length },
  ]
}
