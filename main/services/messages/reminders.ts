import type { ServiceContext } from '../context'
import { getMailSettings, isMailSetUp } from '../mail'
import { bookingEmailKit, queueBookingEmail } from './bookingEmails'

/** Who automatic emails are written by: no one at the desk. */
const AUTOMATIC = { id: 0, name: '', role: 'staff' } as const

/** Reminders written per sweep: a sweep stays short, and the next one (a minute later) goes on. */
export const REMINDERS_PER_SWEEP = 200

export interface SweepResult {
  /** Bookings found due a reminder. */
  due: number
  queued: number
}

/**
 * Writes the reminder of each booking starting within the next
 * `reminderHours` (after `now`) that is still pending or confirmed, has no
 * reminder yet, and whose customer may be written to. Run every minute by
 * the app: a booking gets one reminder however often it looks (the outbox
 * keeps one per booking), and a cancelled one gets none. Customers who may
 * not be written to are left out in the query, so they never crowd out
 * those after them.
 */
export async function sweepReminders(desk: ServiceContext, now: Date = desk.clock()): Promise<SweepResult> {
  // Reminders are the app's own doing, not the signed-in person's.
  const ctx: ServiceContext = { ...desk, staff: AUTOMATIC }
  const settings = await getMailSettings(ctx.db)
  if (!isMailSetUp(settings) || !(settings.reminderHours > 0)) return { due: 0, queued: 0 }
  const until = new Date(now.getTime() + settings.reminderHours * 3_600_000)
  const due = (await ctx.db('bookings as b')
    .join('customers as c', 'c.id', 'b.customer_id')
    .where('b.starts_at', '>', now.toISOString())
    .andWhere('b.starts_at', '<=', until.toISOString())
    .whereIn('b.status', ['pending', 'confirmed'])
    .whereNull('b.plan_id')
    .where('c.status', 'active')
    .whereNull('c.erased_at')
    .where('c.email', '<>', '')
    .where('c.unsubscribed', false)
    // Worded, with literal values, as the outbox's one-per-booking partial index is, so SQLite looks it up there.
    .whereNotExists((q) =>
      q
        .select(ctx.db.raw('1'))
        .from('messages as m')
        .whereRaw("m.booking_id = b.id AND m.booking_id IS NOT NULL AND m.kind IN ('confirmation', 'reminder') AND m.kind = 'reminder'"),
    )
    .orderBy('b.starts_at')
    .limit(REMINDERS_PER_SWEEP)
    .select('b.id', 'b.customer_id')) as Array<{ id: number; customer_id: number }>
  if (!due.length) return { due: 0, queued: 0 }
  const kit = await bookingEmailKit(ctx.db, 'reminder')
  if (!kit) return { due: due.length, queued: 0 }
  let queued = 0
  let failure: unknown = null
  // Each reminder is one row written on its own: the desk's saves go on between them, and one that fails holds up no other.
  for (const booking of due) {
    try {
      if ((await queueBookingEmail(ctx.db, ctx, { id: booking.id, customerId: booking.customer_id }, 'reminder', settings, kit)) !== null) queued += 1
    } catch (error) {
      failure ??= error
    }
    // Promise turns alone never let the desk's calls in: a real turn of the event loop between rows does.
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (failure) throw failure
  return { due: due.length, queued }
}

/** The app's minute-by-minute reminder sweep; one sweep at a time. */
export interface ReminderSweeps {
  /** Sweeps now (after one already under way) and answers what it did. */
  sweepNow(): Promise<SweepResult>
  /** Sweeps once now, then every `everyMs`. */
  start(): void
  /** No more sweeps; resolves once one under way has finished. */
  stop(): Promise<void>
}

export function reminderSweeps(options: {
  context: () => ServiceContext
  /** 0: only when asked (tests). */
  everyMs: number
  /** Told when reminders were written, to wake the sender. */
  onQueued: () => void
  onError: (error: unknown) => void
}): ReminderSweeps {
  let last: Promise<SweepResult> = Promise.resolve({ due: 0, queued: 0 })
  let stopped = false
  const sweepNow = () => {
    const next = last
      .catch(() => undefined)
      .then(async () => {
        if (stopped) return { due: 0, queued: 0 }
        const result = await sweepReminders(options.context())
        if (result.queued > 0) options.onQueued()
        return result
      })
    last = next
    return next
  }
  let timer: NodeJS.Timeout | undefined
  return {
    sweepNow,
    start: () => {
      if (stopped || timer) return
      void sweepNow().catch(options.onError)
      if (options.everyMs > 0) {
        timer = setInterval(() => void sweepNow().catch(options.onError), options.everyMs)
        timer.unref()
      }
    },
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await last.catch(() => undefined)
    },
  }
}
