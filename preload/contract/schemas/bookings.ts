import { z } from 'zod'
import {
  contactText,
  customerIdInput,
  freeText,
  id,
  isoDate,
  nameText,
  searchText,
  tenderTypes,
  type ChangeEntry,
  type CustomerStatus,
  type TenderType,
} from './common'
import { minorAmount, type CatalogueKind } from './catalogue'
import type { BookingPlanOrder } from './plans'

/* ── Bookings (orders), payments, transfers, invoices and activity ── */

export const bookingStatuses = ['pending', 'confirmed', 'cancelled', 'completed', 'no_show'] as const
export type BookingStatus = (typeof bookingStatuses)[number]

export const bookingSources = ['phone', 'walk_in', 'online', 'import'] as const
export type BookingSource = (typeof bookingSources)[number]


const positiveAmount = minorAmount.min(1, { error: 'Enter an amount above zero.' })

export const bookingLineInput = z.strictObject({
  sessionId: id,
  priceOptionId: id,
  quantity: z
    .number({ error: 'Enter how many places.' })
    .int({ error: 'Places are a whole number.' })
    .min(1, { error: 'Book at least 1 place.' })
    .max(100, { error: 'At most 100 places in one booking.' })
    .default(1),
})

/**
 * The caller on the phone: found by email or phone and reused when they are
 * already a customer, created otherwise (never a duplicate).
 */
export const callerInput = z
  .strictObject({
    kind: z.literal('caller'),
    firstName: nameText(100).default(''),
    lastName: nameText(100).default(''),
    email: contactText(254).default(''),
    phone: contactText(40).default(''),
    /**
     * Make a new customer even though the phone belongs to someone else (the
     * desk saw who has it and said this caller is another person).
     */
    newCustomer: z.boolean().default(false),
    /** A new caller whose email or phone belonged to someone erased: the desk confirmed it knowingly. */
    confirmErased: z.boolean().default(false),
  })
  .refine((v) => v.email !== '' || v.phone !== '', { path: ['email'], error: 'Enter the caller’s email or phone.' })

export const createBookingInput = z.strictObject({
  customer: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('existing'), id }), callerInput]),
  lines: z.array(bookingLineInput).min(1, { error: 'Choose a session to book.' }).max(20, { error: 'At most 20 lines in one booking.' }),
  source: z.enum(bookingSources).default('phone'),
  status: z.enum(['pending', 'confirmed']).default('confirmed'),
  /** Pay with credits from this pass instead of money (one credit per place). */
  passId: id.nullable().default(null),
  /** Booking an archived customer unarchives them; the desk must have confirmed that. */
  unarchive: z.boolean().default(false),
  /** A payment taken while booking. */
  payment: z
    .strictObject({ amountMinor: positiveAmount, method: z.enum(tenderTypes) })
    .nullable()
    .default(null),
  note: freeText(1000).default(''),
  /** Where a home service is done: one of the customer's addresses (asked for items done at the customer's address). */
  addressId: id.nullable().default(null),
  /** The member of staff (often a team member) who does it; they see it in their own bookings. */
  assignedStaffId: id.nullable().default(null),
})

/**
 * `version` (on the actions that change a booking): the booking's version as
 * the desk loaded it; changed meanwhile on another desk, the action is refused
 * (CONFLICT with `changedMeanwhile`). Left out, the action is taken on the booking as it is.
 */
const loadedVersion = z.number().int().positive().optional()

/** Give a booking to someone (staffId null: no one). */
export const assignBookingInput = z.strictObject({ id, staffId: id.nullable(), version: loadedVersion })

/** The signed-in person's own bookings: those assigned to them, from a day (default today) for some days. */
export const myBookingsInput = z
  .strictObject({
    from: isoDate.nullable().default(null),
    days: z.number().int().min(1).max(92, { error: 'At most 92 days at a time.' }).default(14),
    includeCancelled: z.boolean().default(false),
  })
  .default({ from: null, days: 14, includeCancelled: false })

export const bookingIdInput = z.strictObject({ id })

export const listCustomerBookingsInput = z.strictObject({
  customerId: id,
  /** upcoming: starts from now, not cancelled; past: started before now, not cancelled; cancelled: cancelled ones. */
  filter: z.enum(['all', 'upcoming', 'past', 'cancelled', 'appointments']).default('all'),
  limit: z.number().int().min(1).max(5000).default(1000),
  /** The `next` of the page before (keyset: the position, not a count). */
  after: z.string().max(200).nullable().default(null),
})

/** The Bookings page: every booking (plan orders left out), a page at a time. */
export const listBookingsInput = z.strictObject({
  /** Session start, desk days, both included. */
  from: isoDate.nullable().default(null),
  to: isoDate.nullable().default(null),
  status: z.enum(bookingStatuses).nullable().default(null),
  source: z.enum(bookingSources).nullable().default(null),
  itemId: id.nullable().default(null),
  /** Only bookings that still owe money. */
  owing: z.boolean().default(false),
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.number().int().min(1).max(200).default(50),
  /** The `next` of the page before (keyset). */
  after: z.string().max(200).nullable().default(null),
})

export const setBookingStatusInput = z.strictObject({
  id,
  status: z.enum(['confirmed', 'cancelled', 'completed', 'no_show']),
  reason: freeText(500).default(''),
  version: loadedVersion,
})

export const addPaymentInput = z.strictObject({
  bookingId: id,
  kind: z.enum(['payment', 'refund']).default('payment'),
  amountMinor: positiveAmount,
  method: z.enum(tenderTypes),
  /** Day the money moved (default: today). */
  takenOn: isoDate.nullable().default(null),
  reference: freeText(100).default(''),
})

export const transferBookingInput = z.strictObject({
  bookingId: id,
  /** The line (session) being moved. */
  lineId: id,
  sessionId: id,
  priceOptionId: id,
  /** Checked when transferring; a preview ignores it. */
  version: loadedVersion,
})

/** New booking's running total: the lines as they would be charged to this customer (null: a new caller). */
export const quoteBookingInput = z.strictObject({
  customerId: id.nullable().default(null),
  lines: z.array(z.strictObject({ priceOptionId: id, quantity: bookingLineInput.shape.quantity })).max(20),
  passId: id.nullable().default(null),
})

export const findCallerInput = z.strictObject({
  /** An email address or a phone number, as the caller gives it. */
  query: searchText(254).min(1, { error: 'Enter an email or phone number.' }),
})


export const activityInput = z.strictObject({
  customerId: id,
  months: z.number().int().min(1).max(36).default(12),
})

export interface BookingCustomer {
  id: number
  number: string
  displayName: string
  /** Always the customer's current details: bookings never keep a copy. */
  email: string
  phone: string
  status: CustomerStatus
}

export interface BookingLine {
  id: number
  sessionId: number
  itemId: number
  itemName: string
  itemKind: CatalogueKind
  priceOptionId: number
  priceOptionName: string
  startsAt: string
  endsAt: string
  location: string
  quantity: number
  unitMinor: number
  /** What the customer pays for the line, tax included (net + tax). */
  totalMinor: number
  /** The tax in the total, at `taxRateBp` (basis points; 0 for an exempt customer or no tax). */
  taxMinor: number
  taxRateBp: number
  /** Paid with pass credits (then priced at zero). */
  coveredByPass: boolean
}

export interface BookingPayment {
  id: number
  kind: 'payment' | 'refund'
  /** Always positive; refunds reduce the amount paid. */
  amountMinor: number
  method: TenderType
  takenAt: string
  reference: string
  staffName: string
  /** Printed on receipts, e.g. R-000042. */
  receiptNumber: string
}

/** Where a home service is done, as one line ("12 High St, Leeds LS1 1AA"). */
export interface BookingAddress {
  id: number
  label: string
  text: string
}

/** One line of the Bookings page (and the profile's Bookings tab): the row, who booked it and where. */
export interface BookingListRow extends BookingRow {
  /** Null once the customer has been removed for good. */
  customer: { id: number; number: string; displayName: string } | null
  address: BookingAddress | null
}

export interface BookingListPage {
  rows: BookingListRow[]
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null
}

/** A booking found by its reference or by the receipt number of one of its payments. */
export interface BookingMatch {
  matchedBy: 'reference' | 'receipt'
  /** What matched, as printed: B-000123 or R-000042. */
  number: string
  booking: BookingListRow
}

/** One line of the Bookings tab. */
export interface BookingRow {
  /** Who does it (bookings:assign); null: no one in particular. */
  assignedTo: { id: number; name: string } | null
  id: number
  reference: string
  createdAt: string
  /** Start of the earliest session booked. */
  startsAt: string | null
  status: BookingStatus
  source: BookingSource
  kind: 'booking' | 'appointment'
  currency: string
  totalMinor: number
  /** Payments less refunds. */
  paidMinor: number
  /** What is still owed: the total (nothing when cancelled) less paid. Negative = credit due to the customer. */
  outstandingMinor: number
  /** e.g. "Pottery taster ×2". */
  summary: string
}

export interface BookingDetail extends BookingRow {
  /** Raised by every change of the booking, on any desk: an action names the version it started from. */
  version: number
  note: string
  /** Null once the customer has been removed for good. */
  customer: BookingCustomer | null
  lines: BookingLine[]
  payments: BookingPayment[]
  passName: string | null
  /** Set on a plan's order (a sale or a subscription collection): what it sold; its `lines` are then empty. */
  plan: BookingPlanOrder | null
  /** A home service: the customer's address it is done at. */
  address: BookingAddress | null
  /** This booking's change log, newest first. */
  history: ChangeEntry[]
}

/** A booking as the person doing it sees it: when, what, where and for whom — never prices or payments. */
export interface MyBooking {
  id: number
  reference: string
  status: BookingStatus
  kind: 'booking' | 'appointment'
  startsAt: string | null
  /** e.g. "Window cleaning ×1". */
  summary: string
  sessions: Array<{ itemName: string; startsAt: string; endsAt: string; location: string }>
  /** Contact details only; null once the customer has been removed for good. */
  customer: BookingCustomer | null
  /** A home service: the customer's address it is done at. */
  address: BookingAddress | null
}

export interface MyBookings {
  /** Earliest first. */
  rows: MyBooking[]
  /** The days covered, both included. */
  from: string
  to: string
}

export interface CreateBookingResult {
  booking: BookingDetail
  /** True when the caller was new and a customer record was created. */
  customerCreated: boolean
  /** True when an archived customer was unarchived by this booking. */
  customerUnarchived: boolean
}

export interface TransferQuote {
  currency: string
  oldTotalMinor: number
  newTotalMinor: number
  /** New total less old total: above zero is more to pay, below zero is credit. */
  differenceMinor: number
  /** Outstanding after the transfer (negative = credit). */
  outstandingAfterMinor: number
  spacesLeft: number
}

export interface BookingQuote {
  currency: string
  lines: Array<{ priceOptionId: number; netMinor: number; taxRateBp: number; taxMinor: number; totalMinor: number }>
  netMinor: number
  taxes: InvoiceTax[]
  taxMinor: number
  totalMinor: number
}

export interface TransferResult {
  booking: BookingDetail
  differenceMinor: number
}

export interface CallerMatch {
  /** How the caller was recognised, or null when nobody matched. */
  matchedBy: 'email' | 'phone' | null
  customers: BookingCustomer[]
}

export interface BookingWarnings {
  /** Not cancelled, starting from now. */
  future: BookingRow[]
  /** Money still owed. */
  unpaid: BookingRow[]
}

export interface MoneyTotals {
  currency: string
  /** Sum of totals of bookings that are not cancelled. */
  invoicedMinor: number
  /** Payments less refunds. */
  incomeReceivedMinor: number
  /** Sum of what bookings still owe (positive balances only). */
  outstandingMinor: number
  /** Sum of credits due to the customer (negative balances, shown positive). */
  creditMinor: number
}

export interface Invoice {
  /** e.g. INV-000123, from the booking's number. */
  number: string
  bookingId: number
  bookingReference: string
  /** A plan's sale or a subscription collection rather than a booking of places. */
  planOrder: boolean
  issuedAt: string
  status: BookingStatus
  currency: string
  lines: InvoiceLine[]
  /** Sum of the lines' net amounts (total less tax). */
  netMinor: number
  /** Tax per rate charged, highest rate first; the sum of the lines' tax at that rate. */
  taxes: InvoiceTax[]
  taxMinor: number
  /** Gross: net + tax, what the customer pays. */
  totalMinor: number
  paidMinor: number
  outstandingMinor: number
  payments: BookingPayment[]
}

export interface InvoiceLine {
  description: string
  quantity: number
  /** The listed unit price. */
  unitMinor: number
  netMinor: number
  taxRateBp: number
  taxMinor: number
  /** Gross: net + tax. */
  totalMinor: number
}

export interface InvoiceTax {
  rateBp: number
  /** The net of the lines charged at this rate. */
  netMinor: number
  taxMinor: number
}

export interface CustomerInvoices {
  invoices: Invoice[]
  /** One entry per currency, the business's currency first. */
  totals: MoneyTotals[]
}

export interface ActivityMonth {
  /** YYYY-MM */
  month: string
  /** Totals of bookings made that month and not cancelled. */
  salesMinor: number
  bookings: number
  /** Payments less refunds taken that month. */
  receivedMinor: number
}

export interface CustomerActivity {
  currency: string
  /** Oldest first, ending with the current month. */
  months: ActivityMonth[]
}

/** The channels answered by bookings, their payments and transfers, and what a customer's profile shows of them, each with the input it takes. */
export const bookingsInputs = {
  'bookings:findCaller': findCallerInput,
  'bookings:create': createBookingInput,
  'bookings:quote': quoteBookingInput,
  'bookings:get': bookingIdInput,
  'bookings:listForCustomer': listCustomerBookingsInput,
  'bookings:list': listBookingsInput,
  'bookings:setStatus': setBookingStatusInput,
  'bookings:addPayment': addPaymentInput,
  'bookings:previewTransfer': transferBookingInput,
  'bookings:transfer': transferBookingInput,
  'bookings:warnings': customerIdInput,
  'bookings:assign': assignBookingInput,
  'bookings:mine': myBookingsInput,
  'customers:invoices': customerIdInput,
  'customers:activity': activityInput,
}
