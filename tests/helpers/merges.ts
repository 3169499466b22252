import type { Knex } from 'knex'
import { searchIndexIds, tableNames } from './schema'
import type { Channel, Input, Output } from '../../preload/contract'
import { addTestPlanProduct } from './plans'

/** Anything that calls channels: the integration core or the E2E app's API. */
interface Invoker {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
}

/** Tables that hold something about a customer, with the column(s) naming them. */
export const CUSTOMER_TABLES: Record<string, string[]> = {
  addresses: ['customer_id'],
  bookings: ['customer_id'],
  brochure_requests: ['customer_id'],
  consent_events: ['customer_id'],
  customer_custom_values: ['customer_id'],
  customer_group_members: ['customer_id'],
  customer_photos: ['customer_id'],
  customer_plans: ['customer_id'],
  customer_tags: ['customer_id'],
  import_keys: ['customer_id'],
  messages: ['customer_id'],
  notes: ['customer_id'],
  payment_methods: ['customer_id'],
  phones: ['customer_id'],
  reward_entries: ['customer_id', 'referred_customer_id'],
  customers: ['id', 'referred_by_id', 'household_payer_id'],
  duplicate_pairs: ['customer_a', 'customer_b'],
  duplicate_dismissals: ['customer_a', 'customer_b'],
  customer_aliases: ['customer_id', 'survivor_id'],
}

/** How many rows of each table name each of these customers. */
export async function countRelated(db: Knex, ids: readonly number[]): Promise<Record<string, Record<number, number>>> {
  const out: Record<string, Record<number, number>> = {}
  for (const [table, columns] of Object.entries(CUSTOMER_TABLES)) {
    for (const column of columns) {
      const key = `${table}.${column}`
      out[key] = {}
      for (const id of ids) out[key][id] = Number(((await db(table).where(column, id).count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
    }
  }
  return out
}

/** Tables a merge and its undo write besides the customer's own data: their history, not the state compared. */
const HISTORY = new Set(['change_log', 'merges', 'sqlite_sequence', 'knex_migrations', 'knex_migrations_lock'])
/** Totals kept by triggers: a row at zero and no row mean the same. */
const TOTALS = new Set(['report_totals', 'report_customers', 'report_customer_months'])

/**
 * Every row of every ordinary table, sorted, as text: two snapshots are equal
 * when the database holds the same data (apart from history, zero totals and
 * record versions: an undo is itself a change, which other desks' older
 * copies must not overwrite, so it moves the version on).
 */
export async function snapshotDatabase(db: Knex): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const name of await tableNames(db)) {
    if (HISTORY.has(name)) continue
    let rows = (await db(name).select()) as Array<Record<string, unknown>>
    if (TOTALS.has(name)) rows = rows.filter((r) => Object.entries(r).some(([k, v]) => ['n', 'amount', 'paid', 'owed'].includes(k) && Number(v) !== 0))
    out[name] = rows
      .map(({ version: _version, ...r }) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? `blob:${v.toString('base64')}` : v)))
      .sort()
  }
  return out
}

/** What the search index finds for each customer number: part of the state a merge changes and undo restores. */
export async function searchDocuments(db: Knex): Promise<string[]> {
  return (await searchIndexIds(db)).map(String)
}

export interface Family {
  anna: number
  ann: number
  annie: number
  payer: number
  friend: number
  tagIds: number[]
  groupIds: number[]
  fieldId: number
}

/**
 * Three records of one person (Anna Smith, Ann Smith, Annie Smith) with
 * something in every table a customer has, overlapping where duplicates fold
 * (a shared phone, address, tag and group), a household payer and a friend
 * they referred. Needs a catalogue (`sessionId`, `priceOptionId`).
 */
export async function makeFamily(app: Invoker, booking: { sessionId: number; priceOptionId: number }): Promise<Family> {
  const create = async (first: string, extra: Partial<Input<'customers:create'>> = {}) =>
    (await app.invoke('customers:create', { firstName: first, lastName: 'Smith', ...extra })).id
  const anna = await create('Anna', {
    email: 'anna.smith@example.com',
    phones: [{ number: '+44 7700 900123', label: 'mobile', isPrimary: true }],
    addresses: [{ line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB', isDefaultLetters: true }],
  })
  const ann = await create('Ann', {
    email: 'ann.s@example.org',
    company: 'Smith & Co',
    phones: [
      { number: '+44 7700 900123', label: 'mobile', isPrimary: true },
      { number: '+44 1225 555000', label: 'work' },
    ],
    addresses: [
      { line1: '1 high street', city: 'Bath', postcode: 'BA11AA', country: 'GB', isDefaultLetters: true },
      { line1: '9 Mill Lane', city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB' },
    ],
  })
  const annie = await create('Annie', { phones: [{ number: '+44 7700 900999', label: 'home', isPrimary: true }] })
  const payer = await create('Paul', { lastName: 'Payer' })
  const friend = await create('Fiona', { lastName: 'Friend' })

  const tagIds: number[] = []
  for (const [who, name] of [
    [anna, 'Regular'],
    [ann, 'Regular'],
    [ann, 'VIP'],
    [annie, 'Yoga'],
  ] as const) {
    for (const t of await app.invoke('customers:addTag', { customerId: who, name })) if (!tagIds.includes(t.id)) tagIds.push(t.id)
  }
  const members = (await app.invoke('groups:create', { name: 'Members' })).id
  const newsletter = (await app.invoke('groups:create', { name: 'Newsletter' })).id
  const groupIds = [members, newsletter]
  await app.invoke('customers:addToGroup', { customerId: anna, groupId: members })
  await app.invoke('customers:addToGroup', { customerId: ann, groupId: members })
  await app.invoke('customers:addToGroup', { customerId: ann, groupId: newsletter })

  for (const [who, body] of [
    [anna, 'Prefers mornings'],
    [ann, 'Allergic to lavender oil'],
    [ann, 'Paid by company card'],
    [annie, 'Old record from the paper cards'],
  ] as const) {
    await app.invoke('notes:add', { customerId: who, body, pinned: false, reminderOn: null })
  }

  await app.invoke('customers:setPreferences', { id: anna, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes to the newsletter' })
  await app.invoke('customers:setPreferences', { id: ann, marketingConsent: false, unsubscribed: true, channel: 'online', wording: '' })

  const fieldId = (await app.invoke('customFields:save', { label: 'Shoe size', type: 'text', options: [] })).find((f) => f.label === 'Shoe size')!.id
  await app.invoke('customers:setCustomFields', { id: anna, values: { [fieldId]: '38' } })
  await app.invoke('customers:setCustomFields', { id: ann, values: { [fieldId]: '39' } })

  await app.invoke('paymentMethods:add', { customerId: anna, brand: 'visa', last4: '4242', expMonth: 4, expYear: 2030, isDefault: true })
  await app.invoke('paymentMethods:add', { customerId: ann, brand: 'mastercard', last4: '4444', expMonth: 5, expYear: 2031, isDefault: true })

  await app.invoke('brochures:request', { customerId: ann, note: 'Summer brochure' })
  await app.invoke('customers:setHousehold', { id: ann, payerId: payer })
  await app.invoke('customers:setReferral', { id: friend, referredById: ann })
  await app.invoke('rewards:adjust', { customerId: ann, amountMinor: 500, reason: 'Goodwill' })

  await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: ann },
    lines: [{ sessionId: booking.sessionId, priceOptionId: booking.priceOptionId, quantity: 1 }],
    payment: { amountMinor: 500, method: 'card' },
  })
  await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: anna },
    lines: [{ sessionId: booking.sessionId, priceOptionId: booking.priceOptionId, quantity: 1 }],
  })
  await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: annie },
    lines: [{ sessionId: booking.sessionId, priceOptionId: booking.priceOptionId, quantity: 2 }],
    payment: { amountMinor: 300, method: 'cash' },
  })

  const membership = await addTestPlanProduct(app, { kind: 'membership', name: 'Gold membership', priceMinor: 9900 })
  await app.invoke('plans:sell', { customerId: anna, productId: membership, startsOn: '2026-01-05', payment: null })
  await app.invoke('plans:sell', { customerId: ann, productId: membership, startsOn: '2026-02-01', payment: null })

  return { anna, ann, annie, payer, friend, tagIds, groupIds, fieldId }
}
