import type { Knex } from 'knex'
import { customerSourceLabels, type CustomerSource, type MergeConflict, type MergeCount, type MergeChoiceField, type MergeFieldKey } from '../../../preload/contract'
import { NotFound, ValidationFailed } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import { basisPointsToPercent } from '../taxRates'
import { addressKey, phoneKey, rowsOf, same, type DroppedRow, type MovedRow, type Repointed, type Row } from './rows'

/** The customers columns each choosable field carries; the photo and custom fields live in their own tables. */
const FIELD_COLUMNS: Partial<Record<MergeFieldKey, string[]>> = {
  name: ['first_name', 'last_name', 'display_name', 'display_name_is_custom', 'sort_name'],
  company: ['company'],
  email: ['email', 'email_normalized'],
  status: ['status', 'status_reason', 'archived_at', 'blocked_at'],
  source: ['source'],
  createdAt: ['created_at'],
  tax: ['tax_status', 'tax_rate_bp'],
  referredBy: ['referred_by_id'],
  household: ['household_payer_id'],
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  company: 'Company',
  email: 'Email',
  status: 'Status',
  source: 'Source',
  createdAt: 'Customer since',
  tax: 'Tax',
  referredBy: 'Referred by',
  household: 'Household paid for by',
  photo: 'Photo',
}

/** What moves, counted per kind, in the order the preview lists them. */
const COUNT_LABELS: Array<[string, string]> = [
  ['bookings', 'Bookings'],
  ['payments', 'Payments and refunds (with their bookings)'],
  ['customer_plans', 'Memberships, passes and subscriptions'],
  ['notes', 'Notes'],
  ['consent_events', 'Consent records with their evidence'],
  ['customer_tags', 'Tags'],
  ['customer_group_members', 'Groups'],
  ['phones', 'Phones'],
  ['addresses', 'Addresses'],
  ['payment_methods', 'Payment methods'],
  ['household', 'Household links'],
  ['referrals', 'Referral links'],
  ['reward_entries', 'Rewards entries'],
  ['brochure_requests', 'Brochure requests'],
  ['messages', 'Emails'],
  ['import_keys', 'Import keys'],
  ['customer_custom_values', 'Custom field values'],
  ['customer_photos', 'Photo'],
]

/** Tables whose rows simply move (no duplicates to fold), with the columns that may need to change on arrival. */
const PLAIN_TABLES = ['bookings', 'customer_plans', 'consent_events', 'brochure_requests', 'reward_entries', 'messages', 'import_keys'] as const

/**
 * Rows about a merged record that go with it (found pairs, dismissals, the
 * data-quality findings): kept with the merge so undo can put them back.
 */
export const CASCADED: Record<string, string[]> = {
  duplicate_pairs: ['customer_a', 'customer_b'],
  duplicate_dismissals: ['customer_a', 'customer_b'],
  quality_issues: ['customer_id'],
}

export interface MergePlan {
  survivor: Row
  merged: Row[]
  all: Row[]
  fields: MergeChoiceField[]
  /** The survivor's columns to write (only those that change). */
  set: Row
  rewardsAdded: number
  moved: MovedRow[]
  dropped: DroppedRow[]
  repointed: Repointed[]
  cascaded: DroppedRow[]
  counts: MergeCount[]
  conflicts: MergeConflict[]
  consent: { marketingConsent: boolean; unsubscribed: boolean; text: string }
  totalRows: number
  /** Whose value each field keeps. */
  chosen: Record<string, number>
}

export const label = (row: Row): string => `${String(row.display_name)} (${formatCustomerNumber(Number(row.id))})`
const isLive = (row: Row) => row.status === 'active' || row.status === 'blocked'

/** Loads the records in the order given; refuses ids that are not customers (naming merged ones). */
export async function loadRecords(db: Knex, ids: readonly number[]): Promise<Row[]> {
  const rows = (await db('customers').whereIn('id', ids)) as Row[]
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id)
    if (!row) throw new NotFound(`Customer ${formatCustomerNumber(id)} does not exist (it may have been merged into another record).`)
    return row
  })
}

async function describeField(db: Knex, key: MergeFieldKey, row: Row, photos: Row[], custom: Row[], names: Map<number, string>): Promise<string> {
  switch (key) {
    case 'name':
      return String(row.display_name)
    case 'company':
      return String(row.company)
    case 'email':
      return String(row.email)
    case 'status': {
      const status = String(row.status)
      const word = status.charAt(0).toUpperCase() + status.slice(1)
      return row.status_reason ? `${word} — ${String(row.status_reason)}` : word
    }
    case 'source':
      return customerSourceLabels[row.source as CustomerSource] ?? String(row.source)
    case 'createdAt':
      return String(row.created_at).slice(0, 10)
    case 'tax':
      return row.tax_status === 'special'
        ? `Special rate ${row.tax_rate_bp === null ? '' : `${basisPointsToPercent(Number(row.tax_rate_bp))}%`}`.trim()
        : row.tax_status === 'exempt'
          ? 'Exempt'
          : 'Standard'
    case 'referredBy':
    case 'household': {
      const other = row[key === 'referredBy' ? 'referred_by_id' : 'household_payer_id'] as number | null
      if (other === null) return ''
      if (!names.has(other)) {
        const found = (await db('customers').where({ id: other }).first('id', 'display_name')) as Row | undefined
        names.set(other, found ? label(found) : formatCustomerNumber(other))
      }
      return names.get(other)!
    }
    case 'photo': {
      const photo = photos.find((p) => p.customer_id === row.id)
      return photo ? `Photo ${String(photo.width)} × ${String(photo.height)}` : ''
    }
    default: {
      const fieldId = Number(key.slice('custom:'.length))
      const value = custom.find((v) => v.customer_id === row.id && v.field_id === fieldId)
      return value ? String(value.value) : ''
    }
  }
}

/**
 * Works out a merge completely without writing: the surviving value of each
 * field, every row that moves or is folded into one the survivor has, every
 * reference turned towards the survivor, the counts and the conflicts. The
 * preview shows it; the merge writes exactly it.
 */
export async function planMerge(db: Knex, customerIds: readonly number[], survivorId: number, choices: Record<string, number> = {}): Promise<MergePlan> {
  if (!customerIds.includes(survivorId)) throw ValidationFailed.field('survivorId', 'The record that stays must be one of those merged.')
  const all = await loadRecords(db, customerIds)
  const survivor = all.find((r) => r.id === survivorId)!
  const merged = all.filter((r) => r.id !== survivorId)
  const mergedIds = merged.map((r) => Number(r.id))
  const allIds = all.map((r) => Number(r.id))
  const conflicts: MergeConflict[] = []

  for (const row of all) {
    if (row.erased_at) conflicts.push({ level: 'block', message: `${label(row)} was erased: an erased record cannot be merged.` })
    else if (row.status === 'deleted') conflicts.push({ level: 'block', message: `${label(row)} is in the recycle bin: restore it first to merge it.` })
  }

  // Fields: whose value survives.
  const photos = await rowsOf(db, 'customer_photos', allIds)
  const custom = await rowsOf(db, 'customer_custom_values', allIds)
  const definitions = (await db('custom_field_definitions').orderBy('position').orderBy('id')) as Row[]
  const keys: MergeFieldKey[] = [
    'name',
    'company',
    'email',
    'status',
    'source',
    'createdAt',
    'tax',
    'referredBy',
    'household',
    'photo',
    ...definitions.filter((d) => custom.some((v) => v.field_id === d.id)).map((d) => `custom:${Number(d.id)}` as MergeFieldKey),
  ]
  const names = new Map<number, string>()
  const fields: MergeChoiceField[] = []
  const chosen = new Map<string, number>()
  for (const key of keys) {
    const values = []
    for (const row of all) values.push({ customerId: Number(row.id), text: await describeField(db, key, row, photos, custom, names) })
    const own = values.find((v) => v.customerId === survivorId)!
    const proposed = own.text !== '' || key === 'status' ? survivorId : (values.find((v) => v.text !== '')?.customerId ?? survivorId)
    const choice = choices[key]
    if (choice !== undefined && !allIds.includes(choice)) throw ValidationFailed.field('choices', 'Each value must come from one of the customers merged.')
    chosen.set(key, choice ?? proposed)
    const fieldLabel = key.startsWith('custom:') ? String(definitions.find((d) => `custom:${Number(d.id)}` === key)?.label ?? key) : FIELD_LABELS[key]!
    fields.push({ key, label: fieldLabel, values, differs: new Set(values.map((v) => v.text)).size > 1, proposed })
  }
  for (const key of Object.keys(choices)) {
    if (!keys.includes(key as MergeFieldKey)) throw ValidationFailed.field('choices', `There is no field “${key}” to choose for these customers.`)
  }

  const set: Row = {}
  for (const [key, columns] of Object.entries(FIELD_COLUMNS)) {
    const from = all.find((r) => r.id === chosen.get(key))!
    for (const column of columns ?? []) if (!same(from[column], survivor[column])) set[column] = from[column]
  }

  // Links that would point at the survivor itself, or at a record about to go.
  const after = (column: string): unknown => (column in set ? set[column] : survivor[column])
  for (const [column, what] of [
    ['referred_by_id', 'referral'],
    ['household_payer_id', 'household'],
  ] as const) {
    const target = after(column) as number | null
    if (target !== null && allIds.includes(target)) {
      set[column] = null
      if (survivor[column] === null) delete set[column]
      conflicts.push({
        level: 'warn',
        message:
          what === 'household'
            ? 'One of these records is paid for by another of them: after the merge the household would point at itself, so that link is removed.'
            : 'One of these records was referred by another of them: a customer cannot refer themselves, so that referral link is removed.',
      })
    }
  }

  // Consent: the more restrictive wins; rewards balances add up.
  const consent = {
    marketingConsent: all.every((r) => Boolean(r.marketing_consent)),
    unsubscribed: all.some((r) => Boolean(r.unsubscribed)),
    text: '',
  }
  consent.text = consent.unsubscribed
    ? 'Unsubscribed: one of them asked not to be contacted.'
    : consent.marketingConsent
      ? 'Agreed to marketing (all of them had).'
      : 'No marketing consent: not all of them had agreed.'
  const restrictive = { marketing_consent: consent.marketingConsent ? 1 : 0, unsubscribed: consent.unsubscribed ? 1 : 0 }
  for (const [column, value] of Object.entries(restrictive)) if (Number(survivor[column]) !== value) set[column] = value
  const rewardsAdded = merged.reduce((sum, r) => sum + Number(r.rewards_balance_minor), 0)

  // Status and email: the survivor stays findable by one email among live customers.
  const email = String(after('email_normalized'))
  if (email && isLive({ status: after('status') })) {
    const taken = (await db('customers')
      .where({ email_normalized: email })
      .whereIn('status', ['active', 'blocked'])
      .whereNotIn('id', allIds)
      .first('id', 'display_name')) as Row | undefined
    if (taken) conflicts.push({ level: 'block', message: `The email ${String(after('email'))} belongs to ${label(taken)}, another live customer: choose another email or status.` })
  }
  const statuses = new Set(all.map((r) => r.status))
  if (statuses.has('blocked') && after('status') !== 'blocked') {
    conflicts.push({ level: 'warn', message: `${all.filter((r) => r.status === 'blocked').map(label).join(' and ')} is blocked; the merged record will not be, unless you keep that status.` })
  }
  if (new Set(all.map((r) => `${String(r.tax_status)}:${String(r.tax_rate_bp)}`)).size > 1) {
    conflicts.push({ level: 'warn', message: 'Their tax status differs: choose which one applies to the merged record.' })
  }

  const moved: MovedRow[] = []
  const dropped: DroppedRow[] = []
  const repointed: Repointed[] = []
  const cascaded: DroppedRow[] = []
  const tally = new Map<string, { moves: number; duplicates: number }>(COUNT_LABELS.map(([key]) => [key, { moves: 0, duplicates: 0 }]))
  const count = (key: string, moves: number, duplicates = 0) => {
    const entry = tally.get(key)!
    entry.moves += moves
    entry.duplicates += duplicates
  }

  for (const table of PLAIN_TABLES) {
    const rows = await rowsOf(db, table, mergedIds)
    for (const row of rows) moved.push({ t: table, k: (table === 'import_keys' ? row.key : row.id) as number | string, from: Number(row.customer_id) })
    count(table, rows.length)
  }
  // Payments go with their bookings; counted so the person sees the money that moves.
  const bookingIds = moved.filter((m) => m.t === 'bookings').map((m) => Number(m.k))
  let payments = 0
  for (const ids of chunksOf(bookingIds)) payments += Number(((await db('payments').whereIn('booking_id', ids).count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
  count('payments', payments)

  // Two live memberships or subscriptions: both are kept, the person should know.
  const plans = await rowsOf(db, 'customer_plans', allIds)
  for (const kind of ['membership', 'subscription'] as const) {
    const owners = new Set(plans.filter((p) => p.kind === kind && p.status === 'active').map((p) => Number(p.customer_id)))
    if (owners.size > 1) {
      conflicts.push({
        level: 'warn',
        message: `${all.filter((r) => owners.has(Number(r.id))).map(label).join(' and ')} each have an active ${kind}: both are kept on the merged record; cancel one afterwards if it is a duplicate.`,
      })
    }
  }

  // Notes keep their order after the survivor's own.
  const survivorNotes = await rowsOf(db, 'notes', [survivorId])
  let notePosition = Math.max(-1, ...survivorNotes.map((n) => Number(n.position))) + 1
  const notes = (await rowsOf(db, 'notes', mergedIds)).sort((a, b) => Number(a.position) - Number(b.position) || Number(a.id) - Number(b.id))
  for (const note of notes) {
    const position = notePosition++
    moved.push({ t: 'notes', k: Number(note.id), from: Number(note.customer_id), ...flagChange(note, { position }) })
  }
  count('notes', notes.length)

  // Phones and addresses: the survivor's first, then the others' not already there.
  for (const [table, keyOf, flags] of [
    ['phones', phoneKey, ['is_primary']],
    ['addresses', addressKey, ['is_default_letters', 'is_default_service']],
  ] as const) {
    const own = (await rowsOf(db, table, [survivorId])).sort(byPosition)
    const kept = new Map(own.map((r) => [keyOf(r), r]))
    const taken = new Set<string>(flags.filter((flag) => own.some((r) => Number(r[flag]))))
    let position = Math.max(-1, ...own.map((r) => Number(r.position))) + 1
    for (const row of (await rowsOf(db, table, mergedIds)).sort((a, b) => mergedIds.indexOf(Number(a.customer_id)) - mergedIds.indexOf(Number(b.customer_id)) || byPosition(a, b))) {
      const same = kept.get(keyOf(row))
      if (same) {
        dropped.push({ t: table, row })
        count(table, 0, 1)
        if (table === 'addresses') {
          const bookings = (await db('bookings').where({ address_id: row.id }).select('id')) as Row[]
          for (const b of bookings) repointed.push({ t: 'bookings', c: 'address_id', k: Number(b.id), from: Number(row.id), to: Number(same.id) })
        }
        continue
      }
      kept.set(keyOf(row), row)
      const target: Row = { position: position++ }
      for (const flag of flags) {
        if (Number(row[flag]) && taken.has(flag)) target[flag] = 0
        else if (Number(row[flag])) taken.add(flag)
      }
      moved.push({ t: table, k: Number(row.id), from: Number(row.customer_id), ...flagChange(row, target) })
      count(table, 1)
    }
  }

  // Payment methods: one default.
  const ownCards = await rowsOf(db, 'payment_methods', [survivorId])
  let hasDefault = ownCards.some((c) => Number(c.is_default))
  for (const card of await rowsOf(db, 'payment_methods', mergedIds)) {
    const target: Row = {}
    if (Number(card.is_default) && hasDefault) target.is_default = 0
    else if (Number(card.is_default)) hasDefault = true
    moved.push({ t: 'payment_methods', k: Number(card.id), from: Number(card.customer_id), ...flagChange(card, target) })
    count('payment_methods', 1)
  }

  // Tags and groups: each once.
  for (const [table, column] of [
    ['customer_tags', 'tag_id'],
    ['customer_group_members', 'group_id'],
  ] as const) {
    const has = new Set((await rowsOf(db, table, [survivorId])).map((r) => Number(r[column])))
    for (const row of await rowsOf(db, table, mergedIds)) {
      if (has.has(Number(row[column]))) {
        dropped.push({ t: table, row })
        count(table, 0, 1)
      } else {
        has.add(Number(row[column]))
        moved.push({ t: table, k: Number(row[column]), from: Number(row.customer_id) })
        count(table, 1)
      }
    }
  }

  // Custom field values and the photo: the chosen one stays; the others are kept with the merge for undo.
  for (const key of keys.filter((k) => k.startsWith('custom:'))) {
    const fieldId = Number(key.slice('custom:'.length))
    const winner = chosen.get(key)!
    for (const value of custom.filter((v) => v.field_id === fieldId)) {
      if (value.customer_id === survivorId && winner === survivorId) continue
      if (value.customer_id === winner) {
        moved.push({ t: 'customer_custom_values', k: fieldId, from: winner })
        count('customer_custom_values', 1)
      } else {
        dropped.push({ t: 'customer_custom_values', row: value })
        count('customer_custom_values', 0, 1)
      }
    }
  }
  const photoWinner = chosen.get('photo')!
  for (const photo of photos) {
    if (photo.customer_id === survivorId && photoWinner === survivorId) continue
    if (photo.customer_id === photoWinner) {
      moved.push({ t: 'customer_photos', k: photoWinner, from: photoWinner })
      count('customer_photos', 1)
    } else {
      dropped.push({ t: 'customer_photos', row: photo })
      count('customer_photos', 0, 1)
    }
  }

  // Other records that name a merged one now name the survivor.
  for (const [column, key] of [
    ['household_payer_id', 'household'],
    ['referred_by_id', 'referrals'],
  ] as const) {
    const others = (await db('customers').whereIn(column, mergedIds).whereNotIn('id', allIds).select('id', column)) as Row[]
    for (const other of others) repointed.push({ t: 'customers', c: column, k: Number(other.id), from: Number(other[column]), to: survivorId })
    count(key, others.length)
  }
  const members = (await db('customers').where({ household_payer_id: survivorId }).whereNotIn('id', allIds).first('id')) as Row | undefined
  const householdsMoving = repointed.some((r) => r.c === 'household_payer_id')
  if ((members || householdsMoving) && after('household_payer_id') !== null) {
    conflicts.push({ level: 'warn', message: 'The merged record pays for others, so it cannot itself belong to another household: that link is removed.' })
    if (survivor.household_payer_id === null) delete set.household_payer_id
    else set.household_payer_id = null
  }
  const rewardRefs = (await db('reward_entries').whereIn('referred_customer_id', mergedIds).orderBy('id').select('id', 'kind', 'referred_customer_id')) as Row[]
  let earnedForSurvivor = Boolean(await db('reward_entries').where({ referred_customer_id: survivorId, kind: 'earned' }).first('id'))
  for (const entry of rewardRefs) {
    // A referral earns once: a second "earned" for the same person is kept unlinked.
    let to: number | null = survivorId
    if (entry.kind === 'earned') {
      if (earnedForSurvivor) to = null
      earnedForSurvivor = true
    }
    repointed.push({ t: 'reward_entries', c: 'referred_customer_id', k: Number(entry.id), from: Number(entry.referred_customer_id), to })
  }
  for (const [table, column] of [
    ['customer_aliases', 'survivor_id'],
    ['merges', 'survivor_id'],
  ] as const) {
    const key = table === 'merges' ? 'id' : 'customer_id'
    for (const row of (await db(table).whereIn(column, mergedIds).select(key, column)) as Row[]) {
      repointed.push({ t: table, c: column, k: Number(row[key]), from: Number(row[column]), to: survivorId })
    }
  }
  for (const [table, columns] of Object.entries(CASCADED)) {
    for (const ids of chunksOf(mergedIds)) {
      const rows = (await db(table).where((q) => {
        for (const column of columns) q.orWhereIn(column, ids)
      })) as Row[]
      for (const row of rows) cascaded.push({ t: table, row })
    }
  }

  const counts = COUNT_LABELS.map(([key, countLabel]) => ({ key, label: countLabel, ...tally.get(key)! })).filter((c) => c.moves + c.duplicates > 0)
  const totalRows = moved.length + dropped.length + payments
  return { survivor, merged, all, fields, set, rewardsAdded, moved, dropped, repointed, cascaded, counts, conflicts, consent, totalRows, chosen: Object.fromEntries(chosen) }
}

function byPosition(a: Row, b: Row): number {
  return Number(a.position) - Number(b.position) || Number(a.id) - Number(b.id)
}

/** Only the columns that change, with what they were. */
function flagChange(row: Row, target: Row): { was?: Row; set?: Row } {
  const was: Row = {}
  const set: Row = {}
  for (const [column, value] of Object.entries(target)) {
    if (same(row[column], value)) continue
    was[column] = row[column]
    set[column] = value
  }
  return Object.keys(set).length ? { was, set } : {}
}

function chunksOf(ids: number[]): number[][] {
  const out: number[][] = []
  for (let i = 0; i < ids.length; i += 500) out.push(ids.slice(i, i + 500))
  return out
}
