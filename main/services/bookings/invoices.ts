import type { CustomerInvoices, Invoice, InvoiceLine, InvoiceTax } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { assertCustomerExists, moneyTotalsOf } from './customerTotals'
import { formatInvoiceNumber, toBookingPayment, type BookingRecord, type PaymentRecord } from './rows'

type InvoiceBooking = Pick<BookingRecord, 'id' | 'reference' | 'status' | 'currency' | 'total_minor' | 'paid_minor' | 'outstanding_minor' | 'created_at' | 'plan_id'>

interface InvoiceLineRecord {
  booking_id: number
  description: string
  quantity: number
  unit_minor: number
  total_minor: number
  tax_minor: number
  tax_rate_bp: number
}

/**
 * The Invoices tab: one invoice per booking (newest first) with its lines as
 * sold and its payments and refunds (receipts), plus the customer's totals.
 * Three reads whatever the number of bookings: bookings, then every line and
 * every payment of them through the customer's bookings.
 */
export async function customerInvoices(ctx: ServiceContext, customerId: number): Promise<CustomerInvoices> {
  await assertCustomerExists(ctx.db, customerId)
  const { currency } = await getSettings(ctx)
  const [bookings, lines, payments, totals] = await Promise.all([
    ctx.db('bookings')
      .where('customer_id', customerId)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .select('id', 'reference', 'status', 'currency', 'total_minor', 'paid_minor', 'outstanding_minor', 'created_at', 'plan_id') as Promise<InvoiceBooking[]>,
    ctx.db('bookings as b')
      .join('booking_lines as l', 'l.booking_id', 'b.id')
      .where('b.customer_id', customerId)
      .orderBy('l.id')
      .select('l.booking_id', 'l.description', 'l.quantity', 'l.unit_minor', 'l.total_minor', 'l.tax_minor', 'l.tax_rate_bp') as Promise<InvoiceLineRecord[]>,
    ctx.db('bookings as b')
      .join('payments as p', 'p.booking_id', 'b.id')
      .where('b.customer_id', customerId)
      .orderBy([{ column: 'p.taken_at' }, { column: 'p.id' }])
      .select('p.id', 'p.booking_id', 'p.kind', 'p.amount_minor', 'p.method', 'p.taken_at', 'p.reference', 'p.staff_name') as Promise<PaymentRecord[]>,
    moneyTotalsOf(ctx.db, customerId, currency),
  ])
  const linesOf = groupBy(lines, (l) => l.booking_id)
  const paymentsOf = groupBy(payments, (p) => p.booking_id)
  const invoices = bookings.map((b): Invoice => {
    const invoiceLines = (linesOf.get(b.id) ?? []).map(
      (l): InvoiceLine => ({
        description: l.description,
        quantity: l.quantity,
        unitMinor: l.unit_minor,
        netMinor: l.total_minor - l.tax_minor,
        taxRateBp: l.tax_rate_bp,
        taxMinor: l.tax_minor,
        totalMinor: l.total_minor,
      }),
    )
    const taxes = taxPerRate(invoiceLines)
    return {
      number: formatInvoiceNumber(b.id),
      bookingId: b.id,
      bookingReference: b.reference,
      planOrder: b.plan_id !== null,
      issuedAt: b.created_at,
      status: b.status,
      currency: b.currency,
      lines: invoiceLines,
      netMinor: invoiceLines.reduce((sum, l) => sum + l.netMinor, 0),
      taxes,
      taxMinor: taxes.reduce((sum, t) => sum + t.taxMinor, 0),
      totalMinor: b.total_minor,
      paidMinor: b.paid_minor,
      outstandingMinor: b.outstanding_minor,
      payments: (paymentsOf.get(b.id) ?? []).map(toBookingPayment),
    }
  })
  return { invoices, totals }
}

/** An invoice's tax per rate: the sums of its lines' stored net and tax, so it adds up to the lines exactly. */
export function taxPerRate(lines: Array<Pick<InvoiceLine, 'taxRateBp' | 'netMinor' | 'taxMinor'>>): InvoiceTax[] {
  const byRate = new Map<number, InvoiceTax>()
  for (const line of lines) {
    const entry = byRate.get(line.taxRateBp) ?? { rateBp: line.taxRateBp, netMinor: 0, taxMinor: 0 }
    entry.netMinor += line.netMinor
    entry.taxMinor += line.taxMinor
    byRate.set(line.taxRateBp, entry)
  }
  return [...byRate.values()].sort((a, b) => b.rateBp - a.rateBp)
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>()
  for (const item of items) {
    const list = map.get(key(item))
    if (list) list.push(item)
    else map.set(key(item), [item])
  }
  return map
}
