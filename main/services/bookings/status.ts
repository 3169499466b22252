import type { z } from 'zod'
import type { BookingDetail, BookingStatus, FieldChange, setBookingStatusInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict } from '../errors'
import { recordChange } from '../changeLog'
import { loadBookingDetail } from './detail'
import { returnPassCredits } from './passCredits'
import { freePlaces } from './seats'
import { loadBookingRecord, refreshBookingTotals } from './totals'
import { formatMoney } from '../money'
import { STATUS_WORDS } from './wording'
import { cancelBookingReminder } from '../messages/bookingEmails'
import { assertBookingUnchanged } from './versions'

type Target = z.output<typeof setBookingStatusInput>['status']

/** Where a booking may go from each status; completed and no-show may be swapped to correct a mistake. */
const NEXT: Record<BookingStatus, Target[]> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'completed', 'no_show'],
  completed: ['no_show'],
  no_show: ['completed'],
  cancelled: [],
}

const ACTIONS: Record<Target, { action: string; verb: string }> = {
  confirmed: { action: 'booking.confirmed', verb: 'Confirmed' },
  cancelled: { action: 'booking.cancelled', verb: 'Cancelled' },
  completed: { action: 'booking.completed', verb: 'Marked completed' },
  no_show: { action: 'booking.no_show', verb: 'Marked no-show' },
}

function refusal(from: BookingStatus, to: Target): string {
  if (from === 'cancelled') return 'A cancelled booking cannot be changed; make a new booking.'
  if (from === to) return `This booking is already ${STATUS_WORDS[to].toLowerCase()}.`
  if (from === 'pending') return 'Confirm this booking first; only a confirmed booking can be completed or marked no-show.'
  if (to === 'confirmed') return `This booking is ${STATUS_WORDS[from].toLowerCase()}; it cannot go back to confirmed.`
  return `A ${STATUS_WORDS[from].toLowerCase()} booking cannot be cancelled.`
}

/**
 * Confirm, cancel, complete or mark no-show. Cancelling frees the places and
 * gives pass credits back; money paid stays as credit (refunds are a separate step).
 * A plan's order (a sale or a collection) may only be cancelled: its charge
 * is voided, and the plan is cancelled on its own, from the profile.
 */
export async function setBookingStatus(ctx: ServiceContext, input: z.output<typeof setBookingStatusInput>): Promise<BookingDetail> {
  const now = ctx.clock()
  await ctx.db.transaction(async (trx) => {
    const before = await loadBookingRecord(trx, input.id)
    // Another desk's change meanwhile (a payment, a transfer, their own status change) is shown before this one is taken.
    await assertBookingUnchanged(trx, before, input.version, [
      { key: 'status', field: 'Status', theirs: STATUS_WORDS[before.status], yours: STATUS_WORDS[input.status] },
    ])
    // A plan's order is not attended: it can only be cancelled, which voids its charge (the plan itself stays as it is).
    if (before.plan_id !== null && input.status !== 'cancelled') {
      throw new Conflict(
        `${before.reference} is a plan's order, not a booking of places: it cannot be confirmed, completed or marked no-show. Cancelling it voids its charge.`,
        { field: 'status' },
      )
    }
    if (!NEXT[before.status].includes(input.status)) throw new Conflict(refusal(before.status, input.status), { field: 'status' })
    let creditsBack = 0
    if (input.status === 'cancelled') {
      // A plan's line holds no places.
      const lines = (await trx('booking_lines').where({ booking_id: before.id }).whereNotNull('session_id').select('session_id', 'quantity')) as Array<{
        session_id: number
        quantity: number
      }>
      for (const line of lines) await freePlaces(trx, line.session_id, line.quantity)
      creditsBack = await returnPassCredits(trx, before.id, now)
      await cancelBookingReminder(trx, ctx, before.id)
    }
    await trx('bookings')
      .where({ id: before.id })
      .update({ status: input.status, ...(input.status === 'cancelled' ? { cancelled_at: now.toISOString() } : {}) })
    const after = await refreshBookingTotals(trx, before.id, now)

    const { action, verb } = ACTIONS[input.status]
    const changes: FieldChange[] = [{ field: 'Status', before: STATUS_WORDS[before.status], after: STATUS_WORDS[after.status] }]
    if (after.outstanding_minor !== before.outstanding_minor) {
      changes.push({
        field: 'Outstanding',
        before: formatMoney(before.outstanding_minor, before.currency),
        after: formatMoney(after.outstanding_minor, after.currency),
      })
    }
    if (input.reason) changes.push({ field: 'Reason', before: null, after: input.reason })
    const extras = [input.reason, creditsBack ? `${creditsBack} pass ${creditsBack === 1 ? 'credit' : 'credits'} returned` : '']
    await recordChange(trx, ctx, {
      customerId: before.customer_id,
      entityType: 'booking',
      entityId: before.id,
      action,
      summary: `${verb} ${before.reference}${extras.some(Boolean) ? `: ${extras.filter(Boolean).join('; ')}` : ''}`,
      changes,
    })
  })
  return loadBookingDetail(ctx.db, input.id)
}
