import type { Knex } from 'knex'
import type { Settings } from '../../../preload/contract'
import { getSettings } from '../app/settings'
import { customFieldKey } from '../brochures/mergeFields'
import { letterDate } from '../brochures/letters'
import { localDay } from '../calendarDay'
import { formatCustomerNumber } from '../customers/normalize'
import { formatMoney } from '../money'
import type { MergeView } from './render'

/*
 * The values behind the merge fields. Each query names its columns: staff
 * notes (the notes table, a booking's note, why a customer was blocked) are
 * never read here, so no template can print them.
 */

export interface Business {
  settings: Settings
  locale: string
}

export async function loadBusiness(db: Knex): Promise<Business> {
  const settings = await getSettings({ db })
  return { settings, locale: localeOf(settings.defaultCountry) }
}

/** "en-GB" at a British desk, "en-US" at an American one: dates and times as the customer reads them. */
function localeOf(country: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([`en-${country}`])[0] ?? 'en-GB'
  } catch {
    return 'en-GB'
  }
}

export function businessView(business: Business): MergeView {
  const s = business.settings
  return { name: s.businessName, address: oneLine(s.businessAddress), phone: s.businessPhone, email: s.businessEmail }
}

export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(', ')
}

interface CustomerRecord {
  id: number
  first_name: string
  last_name: string
  display_name: string
  company: string
  email: string
}

const EMPTY_ADDRESS = { line1: '', line2: '', city: '', region: '', postcode: '', country: '' }

/** The customer's fields; empty strings for a message to no customer (a test email). */
export async function customerView(db: Knex, customerId: number | null): Promise<MergeView> {
  const customer = customerId ? (await customerViews(db, [customerId])).get(customerId) : undefined
  if (customer) return customer
  const blank = { firstName: '', lastName: '', fullName: '', displayName: '', customerNumber: '', email: '', phone: '', company: '' }
  return { ...blank, address: { ...EMPTY_ADDRESS }, custom: {} }
}

function toCustomerView(customer: CustomerRecord, phone: string, address: typeof EMPTY_ADDRESS | undefined, custom: MergeView): MergeView {
  const fullName = [customer.first_name, customer.last_name].filter(Boolean).join(' ')
  return {
    firstName: customer.first_name,
    lastName: customer.last_name,
    fullName: fullName || customer.display_name,
    displayName: customer.display_name,
    customerNumber: formatCustomerNumber(customer.id),
    email: customer.email,
    phone,
    company: customer.company,
    address: { ...EMPTY_ADDRESS, ...(address ?? {}) },
    custom,
  }
}

/**
 * The fields of many customers at once (up to 500 ids), read with four
 * queries rather than four per customer: a newsletter to thousands reads its
 * customers a chunk at a time; `customerView` is the one-customer case.
 */
export async function customerViews(db: Knex, ids: readonly number[]): Promise<Map<number, MergeView>> {
  const views = new Map<number, MergeView>()
  if (!ids.length) return views
  const list = [...ids]
  const [customers, phones, addresses, customs] = await Promise.all([
    db('customers').whereIn('id', list).select('id', 'first_name', 'last_name', 'display_name', 'company', 'email') as Promise<CustomerRecord[]>,
    db('phones').whereIn('customer_id', list).orderBy('customer_id').orderBy('is_primary', 'desc').orderBy('position').orderBy('id').select('customer_id', 'number') as Promise<
      Array<{ customer_id: number; number: string }>
    >,
    db('addresses')
      .whereIn('customer_id', list)
      .orderBy('customer_id')
      .orderBy('is_default_letters', 'desc')
      .orderBy('position')
      .orderBy('id')
      .select('customer_id', 'line1', 'line2', 'city', 'region', 'postcode', 'country') as Promise<Array<typeof EMPTY_ADDRESS & { customer_id: number }>>,
    db('customer_custom_values as v')
      .join('custom_field_definitions as d', 'd.id', 'v.field_id')
      .whereIn('v.customer_id', list)
      .select('v.customer_id', 'd.label', 'd.type', 'v.value') as Promise<Array<{ customer_id: number; label: string; type: string; value: string }>>,
  ])
  const firstOf = <T extends { customer_id: number }>(rows: T[]) => {
    const first = new Map<number, T>()
    for (const row of rows) if (!first.has(row.customer_id)) first.set(row.customer_id, row)
    return first
  }
  const phoneOf = firstOf(phones)
  const addressOf = firstOf(addresses)
  const customOf = new Map<number, MergeView>()
  for (const row of customs) {
    const custom = customOf.get(row.customer_id) ?? {}
    custom[customFieldKey(row.label).slice('custom.'.length)] = customValue(row)
    customOf.set(row.customer_id, custom)
  }
  for (const customer of customers) {
    const a = addressOf.get(customer.id)
    const address = a && { line1: a.line1, line2: a.line2, city: a.city, region: a.region, postcode: a.postcode, country: a.country }
    views.set(customer.id, toCustomerView(customer, phoneOf.get(customer.id)?.number ?? '', address, customOf.get(customer.id) ?? {}))
  }
  return views
}

const customValue = (row: { type: string; value: string }) => (row.type === 'boolean' ? (row.value === 'true' ? 'Yes' : 'No') : row.value)

interface BookingRecord {
  id: number
  reference: string
  summary: string
  currency: string
  total_minor: number
  starts_at: string | null
}

interface FirstLine {
  item_name: string
  starts_at: string
  session_location: string
  item_location: string
}

/** The booking's details, or null (so {{#booking}}…{{/booking}} shows nothing) when there is none. */
export async function bookingView(db: Knex, bookingId: number | null | undefined, business: Business): Promise<MergeView | null> {
  if (!bookingId) return null
  const booking = (await db('bookings').where({ id: bookingId }).first('id', 'reference', 'summary', 'currency', 'total_minor', 'starts_at')) as
    | BookingRecord
    | undefined
  if (!booking) return null
  const line = (await db('booking_lines as l')
    .join('catalogue_sessions as s', 's.id', 'l.session_id')
    .join('catalogue_items as i', 'i.id', 's.item_id')
    .where('l.booking_id', booking.id)
    .orderBy('s.starts_at')
    .orderBy('l.id')
    .first('i.name as item_name', 's.starts_at', 's.location as session_location', 'i.location as item_location')) as FirstLine | undefined
  const startsAt = booking.starts_at ?? line?.starts_at ?? null
  const at = startsAt ? new Date(startsAt) : null
  return {
    reference: booking.reference,
    item: booking.summary || line?.item_name || '',
    date: at ? formatsOf(business.locale).date.format(at) : '',
    time: at ? formatsOf(business.locale).time.format(at) : '',
    place: line?.session_location || line?.item_location || '',
    total: formatMoney(booking.total_minor, booking.currency),
  }
}

// Made once per locale: building a date format costs more than the rest of a message (a newsletter writes thousands).
const formats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>()

function formatsOf(locale: string) {
  let known = formats.get(locale)
  if (!known) {
    known = {
      date: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }),
    }
    formats.set(locale, known)
  }
  return known
}

let lastToday = { key: '', text: '' }

/** "1 December 2026": the day the message is written, on the desk's calendar. */
export function todayText(now: Date, business: Business): string {
  const day = localDay(now)
  const key = `${day} ${business.settings.defaultCountry}`
  if (lastToday.key !== key) lastToday = { key, text: letterDate(day, business.settings.defaultCountry) }
  return lastToday.text
}
