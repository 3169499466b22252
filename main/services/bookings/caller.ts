import type { Knex } from 'knex'
import type { z } from 'zod'
import {
  customerInput,
  type BookingCustomer,
  type BookingSource,
  type CallerMatch,
  type createBookingInput,
  type CustomerSource,
} from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, ValidationFailed } from '../errors'
import { getSettings } from '../app/settings'
import { assertContactsNotErased, createCustomer } from '../customers'
import { formatCustomerNumber, InvalidPhone, normalizeEmail, normalizePhone } from '../customers/normalize'

type CallerInput = Extract<z.output<typeof createBookingInput>['customer'], { kind: 'caller' }>

interface CustomerContactRow {
  id: number
  display_name: string
  email: string
  status: BookingCustomer['status']
  phone: string | null
}

/** Customers with their current email and primary phone: bookings never keep a copy of either. */
export async function bookingCustomers(db: Knex, ids: number[]): Promise<BookingCustomer[]> {
  if (!ids.length) return []
  const primaryPhone = db('phones as p')
    .whereRaw('p.customer_id = c.id')
    .orderBy('p.is_primary', 'desc')
    .orderBy('p.position')
    .orderBy('p.id')
    .limit(1)
    .select('p.number')
  const rows = (await db('customers as c')
    .whereIn('c.id', ids)
    .select('c.id', 'c.display_name', 'c.email', 'c.status', primaryPhone.as('phone'))) as CustomerContactRow[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    return [{ id: row.id, number: formatCustomerNumber(row.id), displayName: row.display_name, email: row.email, phone: row.phone ?? '', status: row.status }]
  })
}

/** Customers matching `where`, never the recycle bin: live ones first, then blocked, then archived, newest first. */
async function callerIds(db: Knex, where: (q: Knex.QueryBuilder) => void): Promise<number[]> {
  const rows = (await db('customers')
    .where(where)
    .whereNot({ status: 'deleted' })
    .orderByRaw("CASE status WHEN 'active' THEN 0 WHEN 'blocked' THEN 1 ELSE 2 END")
    .orderBy('id', 'desc')
    .limit(20)
    .select('id')) as Array<{ id: number }>
  return rows.map((r) => r.id)
}

const idsByEmail = (db: Knex, email: string) => callerIds(db, (q) => q.where({ email_normalized: normalizeEmail(email) }))

/**
 * The customers an email reaches: whoever has it, and the members of their
 * household, who book under the payer's email and often have none of their own.
 */
async function householdByEmail(db: Knex, email: string): Promise<number[]> {
  const ids = await idsByEmail(db, email)
  if (!ids.length) return ids
  const members = await callerIds(db, (q) => q.whereIn('household_payer_id', ids))
  return [...ids, ...members.filter((id) => !ids.includes(id))]
}
const idsByPhone = (db: Knex, e164: string) => callerIds(db, (q) => q.whereIn('id', db('phones').where({ e164 }).select('customer_id')))

/** The phone as E.164 in the business's default country, or null when it cannot be a phone number. */
async function phoneKey(db: Knex, phone: string): Promise<string | null> {
  const { defaultCountry } = await getSettings({ db })
  try {
    return normalizePhone(phone, defaultCountry).e164
  } catch (error) {
    if (error instanceof InvalidPhone) return null
    throw error
  }
}

/** Who is on the phone: an email is looked up by email, anything else as a phone number. */
export async function findCaller(ctx: ServiceContext, query: string): Promise<CallerMatch> {
  const text = query.trim()
  if (text.includes('@')) {
    const ids = await householdByEmail(ctx.db, text)
    return ids.length ? { matchedBy: 'email', customers: await bookingCustomers(ctx.db, ids) } : { matchedBy: null, customers: [] }
  }
  const e164 = await phoneKey(ctx.db, text)
  const ids = e164 ? await idsByPhone(ctx.db, e164) : []
  return ids.length ? { matchedBy: 'phone', customers: await bookingCustomers(ctx.db, ids) } : { matchedBy: null, customers: [] }
}

async function namesOf(db: Knex, ids: number[]): Promise<string> {
  return (await bookingCustomers(db, ids)).map((c) => `${c.displayName} (${c.number})`).join(', ')
}

const CUSTOMER_SOURCE: Record<BookingSource, CustomerSource> = { phone: 'phone', walk_in: 'walk-in', online: 'online', import: 'import' }

/**
 * The caller's customer id: found by email first, then by phone, and created
 * (in the caller's transaction) only when neither matches — never a duplicate.
 */
export async function resolveCaller(
  ctx: ServiceContext,
  caller: CallerInput,
  source: BookingSource,
): Promise<{ customerId: number; created: boolean }> {
  if (caller.email) {
    const ids = await householdByEmail(ctx.db, caller.email)
    if (ids.length > 1) {
      throw new Conflict(`This email is shared by a household: ${await namesOf(ctx.db, ids)}. Pick who is coming on the list.`, {
        field: 'customer.email',
        fields: { 'customer.email': 'A household shares this email; pick who is coming on the list.' },
      })
    }
    if (ids[0] !== undefined) return { customerId: ids[0], created: false }
  }
  if (caller.phone) {
    const e164 = await phoneKey(ctx.db, caller.phone)
    if (!e164) throw ValidationFailed.field('customer.phone', 'This does not look like a phone number. Check the digits and the country code.')
    const ids = caller.newCustomer ? [] : await idsByPhone(ctx.db, e164)
    if (ids.length > 1) {
      throw new Conflict(`Several customers have this number: ${await namesOf(ctx.db, ids)}. Pick one on the list.`, {
        field: 'customer.phone',
        fields: { 'customer.phone': 'Several customers have this number; pick one on the list.' },
      })
    }
    // A new email with someone's phone is a new person as often as the same one with a new address: the desk decides.
    if (ids[0] !== undefined && caller.email) {
      throw new Conflict(`This phone number belongs to ${await namesOf(ctx.db, ids)}, who has another email. Book for them, or make a new customer.`, {
        field: 'customer.phone',
        fields: { 'customer.phone': 'Someone else has this number; choose on the list.' },
      })
    }
    if (ids[0] !== undefined) return { customerId: ids[0], created: false }
  }
  const parsed = customerInput.safeParse({
    firstName: caller.firstName,
    lastName: caller.lastName,
    email: caller.email,
    source: CUSTOMER_SOURCE[source],
    phones: caller.phone ? [{ label: 'mobile', number: caller.phone, isPrimary: true }] : [],
  })
  if (!parsed.success) {
    const fields: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      // The record's own rules speak of first name and phones.0.number; the booking form calls them customer.*.
      const path = issue.path[0] === 'phones' ? 'phone' : String(issue.path[0] ?? 'firstName')
      fields[`customer.${path}`] ??= issue.message
    }
    throw new ValidationFailed(Object.values(fields)[0] ?? 'Check the caller’s details.', fields)
  }
  // Checked here to name the booking form's own fields (the caller's email and phone).
  const { defaultCountry } = await getSettings({ db: ctx.db })
  const e164Of = (number: string): string | null => {
    try {
      return normalizePhone(number, defaultCountry).e164
    } catch {
      return null
    }
  }
  await assertContactsNotErased(
    ctx.db,
    { email: parsed.data.email, phones: parsed.data.phones.map((p) => ({ e164: e164Of(p.number), field: 'customer.phone' })) },
    caller.confirmErased,
  )
  const created = await createCustomer(ctx, { ...parsed.data, confirmErased: true })
  return { customerId: created.id, created: true }
}
