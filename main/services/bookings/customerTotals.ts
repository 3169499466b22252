import type { Knex } from 'knex'
import type { MoneyTotals } from '../../../preload/contract'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'

/**
 * Reads about a customer's bookings need only the customer to exist (a
 * customer in the recycle bin still shows their history); the whole record is
 * not loaded for that.
 */
export async function assertCustomerExists(db: Knex, customerId: number): Promise<void> {
  const row = (await db('customers').where({ id: customerId }).first('id')) as { id: number } | undefined
  if (!row) throw new NotFound(`Customer ${formatCustomerNumber(customerId)} does not exist.`)
}

interface MoneySums {
  currency: string
  invoiced: number | null
  received: number | null
  owed: number | null
  credit: number | null
}

/**
 * A customer's money per currency, the business's currency first and always
 * present (zero when nothing was booked), then any others alphabetically.
 * Cancelled bookings invoice nothing but keep what was paid on them (a refund
 * still due shows as credit).
 */
export async function moneyTotalsOf(db: Knex, customerId: number, businessCurrency: string): Promise<MoneyTotals[]> {
  const sums = (await db('bookings')
    .where('customer_id', customerId)
    .groupBy('currency')
    .select(
      'currency',
      db.raw(`sum(CASE WHEN status <> 'cancelled' THEN total_minor ELSE 0 END) AS invoiced`),
      db.raw('sum(paid_minor) AS received'),
      db.raw('sum(CASE WHEN outstanding_minor > 0 THEN outstanding_minor ELSE 0 END) AS owed'),
      db.raw('sum(CASE WHEN outstanding_minor < 0 THEN -outstanding_minor ELSE 0 END) AS credit'),
    )) as MoneySums[]
  const byCurrency = new Map(
    sums.map((s) => [
      s.currency,
      {
        currency: s.currency,
        invoicedMinor: Number(s.invoiced ?? 0),
        incomeReceivedMinor: Number(s.received ?? 0),
        outstandingMinor: Number(s.owed ?? 0),
        creditMinor: Number(s.credit ?? 0),
      },
    ]),
  )
  const business = byCurrency.get(businessCurrency) ?? {
    currency: businessCurrency,
    invoicedMinor: 0,
    incomeReceivedMinor: 0,
    outstandingMinor: 0,
    creditMinor: 0,
  }
  byCurrency.delete(businessCurrency)
  return [business, ...[...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency))]
}
