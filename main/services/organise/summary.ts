import type { CustomerSummary } from '../../../preload/contract'
import { loadCustomer } from '../customers/records'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { moneyTotalsOf } from '../bookings/customerTotals'
import { localDay } from '../calendarDay'
import { countDueReminders, notesOf } from './notes'

/**
 * What the profile sidebar shows: bookings and appointments that are not
 * cancelled, money per currency (the business's first, always present), the
 * first notes and reminders due.
 */
export async function customerSummary(ctx: ServiceContext, id: number): Promise<CustomerSummary> {
  const customer = await loadCustomer(ctx.db, id)
  const { currency } = await getSettings(ctx)
  const [notes, dueReminders, counts, money] = await Promise.all([
    notesOf(ctx.db, id, 5),
    countDueReminders(ctx.db, id, localDay(ctx.clock())),
    // Plans sold and subscription collections are money, not bookings.
    ctx.db('bookings').where('customer_id', id).whereNot('status', 'cancelled').whereNull('plan_id').groupBy('kind').select('kind', ctx.db.raw('count(*) AS n')) as Promise<
      Array<{ kind: 'booking' | 'appointment'; n: number }>
    >,
    moneyTotalsOf(ctx.db, id, currency),
  ])
  const countOf = (kind: 'booking' | 'appointment') => Number(counts.find((c) => c.kind === kind)?.n ?? 0)
  return {
    createdAt: customer.createdAt,
    bookings: countOf('booking'),
    appointments: countOf('appointment'),
    money,
    notes,
    dueReminders,
  }
}
