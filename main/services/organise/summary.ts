import type { CustomerSummary } from '../../../preload/contract'
import { loadCustomer } from '../customers/records'
import type { ServiceContext } from '../context'
import { localDay } from './common'
import { countDueReminders, notesOf } from './notes'

/** What the profile sidebar shows. Bookings, income and balance arrive with bookings; until then they are zero. */
export async function customerSummary(ctx: ServiceContext, id: number): Promise<CustomerSummary> {
  const customer = await loadCustomer(ctx.db, id)
  const [notes, dueReminders] = await Promise.all([notesOf(ctx.db, id, 5), countDueReminders(ctx.db, id, localDay(ctx.clock()))])
  return {
    createdAt: customer.createdAt,
    bookings: 0,
    appointments: 0,
    money: [{ currency: 'GBP', invoicedMinor: 0, incomeReceivedMinor: 0, outstandingMinor: 0, creditMinor: 0 }],
    notes,
    dueReminders,
  }
}
