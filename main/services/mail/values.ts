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
  const customer = customerId
    ? ((await db('customers').where({ id: customerId }).first('id', 'first_name', 'last_name', 'display_name', 'company', 'email')) as CustomerRecord | undefined)
    : undefined
  if (!customer) {
    const blank = { firstName: '', lastName: '', fullName: '', displayName: '', customerNumber: '', email: '', phone: '', company: '' }
    return { ...blank, address: { ...EMPTY_ADDRESS }, custom: {} }
  }
  const [phone, address, custom] = await Promise.all([
    db('phones').where({ customer_id: customer.id }).orderBy('is_primary', 'desc').orderBy('position').orderBy('id').first('number') as Promise<{ number: string } | undefined>,
    db('addresses')
      .where({ customer_id: customer.id })
      .orderBy('is_default_letters', 'desc')
      .orderBy('position')
      .orderBy('id')
      .first('line1', 'line2', 'city', 'region', 'postcode', 'country') as Promise<typeof EMPTY_ADDRESS | undefined>,
    customValues(db, customer.id),
  ])
  const fullName = [customer.first_name, customer.last_name].filter(Boolean).join(' ')
  return {
    firstName: customer.first_name,
    lastName: customer.last_name,
    fullName: fullName || customer.display_name,
    displayName: customer.display_name,
    customerNumber: formatCustomerNumber(customer.id),
    email: customer.email,
    phone: phone?.number ?? '',
    company: customer.company,
    address: { ...EMPTY_ADDRESS, ...(address ?? {}) },
    custom,
  }
}

async function customValues(db: Knex, customerId: number): Promise<MergeView> {
  const rows = (await db('customer_custom_values as v')
    .join('custom_field_definitions as d', 'd.id', 'v.field_id')
    .where('v.customer_id', customerId)
    .select('d.label', 'd.type', 'v.value')) as Array<{ label: string; type: string; value: string }>
  const out: MergeView = {}
  for (const row of rows) {
    out[customFieldKey(row.label).slice('custom.'.length)] = row.type === 'boolean' ? (row.value === 'true' ? 'Yes' : 'No') : row.value
  }
  return out
}

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
    date: at ? new Intl.DateTimeFormat(business.locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at) : '',
    time: at ? new Intl.DateTimeFormat(business.locale, { hour: 'numeric', minute: '2-digit' }).format(at) : '',
    place: line?.session_location || line?.item_location || '',
    total: formatMoney(booking.total_minor, booking.currency),
  }
}

/** "1 December 2026": the day the message is written, on the desk's calendar. */
export function todayText(now: Date, business: Business): string {
  return letterDate(localDay(now), business.settings.defaultCountry)
}
