import type { Knex } from 'knex'
import type { z } from 'zod'
import type { addPaymentInput, BookingDetail, TenderType } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { localDay } from '../calendarDay'
import { formatReceiptNumber, type BookingRecord } from './rows'
import { loadBookingDetail } from './detail'
import { loadBookingRecord, refreshBookingTotals } from './totals'
import { formatMoney } from '../money'
import { checkTender, earnReferralReward, moveRewards } from '../rewards'

export interface MoneyMovement {
  kind: 'payment' | 'refund'
  amountMinor: number
  method: TenderType
  takenAt: string
  reference: string
  /** Where the input's `amountMinor` and `method` are, e.g. `payment.` when taken while booking (default: at the top). */
  fieldPrefix?: string
}

const METHOD_WORDS: Record<TenderType, string> = {
  card: 'card',
  cash: 'cash',
  bank_transfer: 'bank transfer',
  cheque: 'cheque',
  voucher: 'voucher',
  other: 'other',
  rewards: 'rewards',
}

/**
 * Writes a payment or refund, brings the booking's totals up to date and logs
 * it on the booking and the customer. Rewards move with it: paying with them
 * takes from the customer's balance, a refund by rewards gives back, and a
 * referred customer's first booking paid in full earns their referrer's reward.
 */
export async function recordMoney(trx: Knex, ctx: ServiceContext, booking: BookingRecord, money: MoneyMovement): Promise<BookingRecord> {
  await checkTender(trx, booking, { kind: money.kind, amountMinor: money.amountMinor, method: money.method, fieldPrefix: money.fieldPrefix ?? '' })
  const [row] = (await trx('payments')
    .insert({
      booking_id: booking.id,
      kind: money.kind,
      amount_minor: money.amountMinor,
      method: money.method,
      taken_at: money.takenAt,
      reference: money.reference,
      staff_name: ctx.staff.name,
      created_at: ctx.clock().toISOString(),
    })
    .returning('id')) as Array<{ id: number }>
  const after = await refreshBookingTotals(trx, booking.id, ctx.clock())
  const rewardsChange = await moveRewards(trx, ctx, booking, row!.id, money)
  const amount = formatMoney(money.amountMinor, booking.currency)
  const receipt = formatReceiptNumber(row!.id)
  await recordChange(trx, ctx, {
    customerId: booking.customer_id,
    entityType: 'booking',
    entityId: booking.id,
    action: money.kind === 'payment' ? 'booking.payment' : 'booking.refund',
    summary: `${money.kind === 'payment' ? 'Payment' : 'Refund'} of ${amount} by ${METHOD_WORDS[money.method]} on ${booking.reference} (${receipt})`,
    changes: [
      { field: 'Paid', before: formatMoney(booking.paid_minor, booking.currency), after: formatMoney(after.paid_minor, after.currency) },
      {
        field: 'Outstanding',
        before: formatMoney(booking.outstanding_minor, booking.currency),
        after: formatMoney(after.outstanding_minor, after.currency),
      },
      ...rewardsChange,
    ],
  })
  if (money.kind === 'payment') await earnReferralReward(trx, ctx, booking.id)
  return after
}

/**
 * When the money moved: now when the day is today (or not given), otherwise
 * midday on that day in the desk's time zone, so the date never slips a day.
 */
function takenAtFor(takenOn: string | null, now: Date): string {
  if (takenOn === null || takenOn === localDay(now)) return now.toISOString()
  if (takenOn > localDay(now)) throw ValidationFailed.field('takenOn', 'Money cannot be taken on a future date.')
  const [year, month, day] = takenOn.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, day, 12, 0, 0).toISOString()
}

/** Takes a payment (never more than is owed) or gives a refund (never more than was paid). */
export async function addPayment(ctx: ServiceContext, input: z.output<typeof addPaymentInput>): Promise<BookingDetail> {
  await ctx.db.transaction(async (trx) => {
    const booking = await loadBookingRecord(trx, input.bookingId)
    const money = (minor: number) => formatMoney(minor, booking.currency)
    if (input.kind === 'payment') {
      if (booking.status === 'cancelled') {
        throw new Conflict(`${booking.reference} is cancelled, so no payment can be taken. A refund is still possible.`)
      }
      if (booking.outstanding_minor <= 0) throw ValidationFailed.field('amountMinor', 'Nothing is owed on this booking.')
      if (input.amountMinor > booking.outstanding_minor) {
        throw ValidationFailed.field('amountMinor', `That is more than the ${money(booking.outstanding_minor)} still owed.`)
      }
    } else {
      if (booking.paid_minor <= 0) throw ValidationFailed.field('amountMinor', 'Nothing has been paid on this booking, so nothing can be refunded.')
      if (input.amountMinor > booking.paid_minor) {
        throw ValidationFailed.field('amountMinor', `That is more than the ${money(booking.paid_minor)} paid.`)
      }
    }
    await recordMoney(trx, ctx, booking, {
      kind: input.kind,
      amountMinor: input.amountMinor,
      method: input.method,
      takenAt: takenAtFor(input.takenOn, ctx.clock()),
      reference: input.reference,
    })
  })
  return loadBookingDetail(ctx.db, input.bookingId)
}
