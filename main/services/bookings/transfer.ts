import type { Knex } from 'knex'
import type { z } from 'zod'
import type { transferBookingInput, TransferQuote, TransferResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { findSession, sessionLabel, spacesLeftOf, type SessionRecord } from '../catalogue'
import { checkSessionChoice, type PriceOptionRecord } from './create'
import { lineDescription, outstandingOf } from './derivedValues'
import { loadBookingDetail } from './detail'
import { checkOfferedTo, lineMoney, linePricerFor } from './pricing'
import { getSettings } from '../app/settings'
import { priceLine, type LineTax } from '../tax'
import type { BookingRecord } from './rows'
import { freePlaces, takePlaces } from './seats'
import { loadBookingRecord, refreshBookingTotals } from './totals'
import { formatMoney } from '../money'
import { placesText } from './wording'
import { homeServiceAddress } from './homeService'
import { earnReferralReward } from '../rewards'
import { assertBookingUnchanged, type BookingFieldChoice } from './versions'

type TransferInput = z.output<typeof transferBookingInput>

interface LineRecord {
  id: number
  booking_id: number
  session_id: number
  price_option_id: number
  quantity: number
  unit_minor: number
  total_minor: number
  covered_by_pass: number | boolean
}

/** Everything a transfer changes, worked out once for both the preview and the transfer itself. */
interface TransferPlan {
  booking: BookingRecord
  line: LineRecord
  from: SessionRecord
  fromOptionName: string
  to: SessionRecord
  option: PriceOptionRecord
  unitMinor: number
  lineTotalMinor: number
  lineMoney: ReturnType<typeof lineMoney>
  quote: TransferQuote
}

async function planTransfer(db: Knex, now: Date, input: TransferInput): Promise<TransferPlan> {
  const booking = await loadBookingRecord(db, input.bookingId)
  if (booking.plan_id !== null) throw new Conflict(`${booking.reference} is a plan's order; only places at a session can be transferred.`)
  if (booking.status !== 'pending' && booking.status !== 'confirmed') {
    throw new Conflict(`${booking.reference} is ${booking.status.replace('_', '-')}; only pending or confirmed bookings can be transferred.`)
  }
  const line = (await db('booking_lines').where({ id: input.lineId }).first()) as LineRecord | undefined
  if (!line || line.booking_id !== booking.id) throw ValidationFailed.field('lineId', `This line is not part of ${booking.reference}.`)
  // Staying on the same session with another price (e.g. Adult → Concession) is a transfer too; the places stay put.
  const sameSession = input.sessionId === line.session_id
  if (sameSession && input.priceOptionId === line.price_option_id) {
    throw ValidationFailed.field('sessionId', 'The booking is already on this session at this price; choose another session or price.')
  }
  const { session: to, option } = await checkSessionChoice(db, now, input, { session: 'sessionId', option: 'priceOptionId' })
  if (option.currency !== booking.currency) {
    throw ValidationFailed.field(
      'priceOptionId',
      `This price is in ${option.currency} but the booking is in ${booking.currency}; choose a price in ${booking.currency}.`,
    )
  }
  const left = spacesLeftOf(to)
  if (!sameSession && line.quantity > left) {
    const message = left === 0 ? `No places left on ${sessionLabel(to)}.` : `Only ${placesText(left)} left on ${sessionLabel(to)}.`
    throw new Conflict(message, { field: 'sessionId', fields: { sessionId: message } })
  }
  const from = (await findSession(db, line.session_id))!
  const fromOption = (await db('price_options').where({ id: line.price_option_id }).first('name')) as { name: string }
  const customerId = booking.customer_id
  if (customerId !== null) {
    const who = (await db('customers').where({ id: customerId }).first('display_name')) as { display_name: string } | undefined
    const line = { itemId: to.item_id, itemName: to.item_name, optionId: option.id, optionName: option.name }
    await checkOfferedTo(db, { id: customerId, displayName: who?.display_name ?? 'This customer' }, line, 'priceOptionId')
  }
  // A line paid with pass credits stays paid with them: the same places, so the same credits.
  const unitMinor = line.covered_by_pass ? 0 : option.amount_minor
  const priced = await priceFor(db, customerId, { unitMinor, quantity: line.quantity, itemRateBp: to.item_tax_rate_bp })
  const money = lineMoney(priced, Boolean(line.covered_by_pass))
  const lineTotalMinor = money.total_minor
  const newTotal = booking.total_minor - line.total_minor + lineTotalMinor
  return {
    booking,
    line,
    from,
    fromOptionName: fromOption.name,
    to,
    option,
    unitMinor,
    lineTotalMinor,
    lineMoney: money,
    quote: {
      currency: booking.currency,
      oldTotalMinor: booking.total_minor,
      newTotalMinor: newTotal,
      differenceMinor: newTotal - booking.total_minor,
      outstandingAfterMinor: outstandingOf(booking.status, newTotal, booking.paid_minor),
      spacesLeft: left,
    },
  }
}

/** A line priced for the booking's customer (a customer removed for good: as a standard one). */
async function priceFor(db: Knex, customerId: number | null, line: { unitMinor: number; quantity: number; itemRateBp: number | null }): Promise<LineTax> {
  if (customerId !== null) return (await linePricerFor(db, customerId))(line)
  return priceLine(await getSettings({ db }), { status: 'standard', rateBp: null }, line)
}

/**
 * A booking moved onto something done at the customer's address, that had
 * none, is done at their default service address (refused when they have no
 * address, as when booking).
 */
async function addressForMove(trx: Knex, booking: BookingRecord, itemId: number): Promise<{ id: number; text: string } | null> {
  if (booking.address_id !== null || booking.customer_id === null) return null
  const who = (await trx('customers').where({ id: booking.customer_id }).first('display_name')) as { display_name: string } | undefined
  const address = await homeServiceAddress(trx, { id: booking.customer_id, displayName: who?.display_name ?? 'This customer' }, [itemId], null)
  if (address) await trx('bookings').where({ id: booking.id }).update({ address_id: address.id })
  return address
}

/** What a transfer would cost or credit, without changing anything. */
export async function previewTransfer(ctx: ServiceContext, input: TransferInput): Promise<TransferQuote> {
  return (await planTransfer(ctx.db, ctx.clock(), input)).quote
}

function balanceWords(differenceMinor: number, currency: string): string {
  if (differenceMinor > 0) return `${formatMoney(differenceMinor, currency)} more to pay`
  if (differenceMinor < 0) return `${formatMoney(-differenceMinor, currency)} credit`
  return 'same price'
}

/** The line's session and price now beside the ones asked for (nothing when the line is gone). */
async function transferChoices(db: Knex, input: TransferInput): Promise<BookingFieldChoice[]> {
  const line = (await db('booking_lines').where({ id: input.lineId, booking_id: input.bookingId }).first('session_id', 'price_option_id')) as
    | { session_id: number | null; price_option_id: number | null }
    | undefined
  if (!line || line.session_id === null) return []
  const [from, to] = await Promise.all([findSession(db, line.session_id), findSession(db, input.sessionId)])
  const names = (await db('price_options').whereIn('id', [line.price_option_id ?? 0, input.priceOptionId]).select('id', 'name')) as Array<{ id: number; name: string }>
  const nameOf = (id: number | null) => names.find((row) => row.id === id)?.name ?? ''
  return [
    { key: 'session', field: 'Session', theirs: from ? sessionLabel(from) : '', yours: to ? sessionLabel(to) : '' },
    { key: 'priceOption', field: 'Price option', theirs: nameOf(line.price_option_id), yours: nameOf(input.priceOptionId) },
  ]
}

/** Moves one line of a booking to another session and price; the places move with it and the totals follow. */
export async function transferBooking(ctx: ServiceContext, input: TransferInput): Promise<TransferResult> {
  const now = ctx.clock()
  const differenceMinor = await ctx.db.transaction(async (trx) => {
    // Checked before the transfer's own rules: a booking cancelled or moved meanwhile is shown as such.
    const stored = await loadBookingRecord(trx, input.bookingId)
    if (input.version !== undefined && input.version !== Number(stored.version)) {
      await assertBookingUnchanged(trx, stored, input.version, await transferChoices(trx, input))
    }
    const plan = await planTransfer(trx, now, input)
    const { booking, line, from, to, option, quote } = plan
    if (from.id !== to.id) {
      await freePlaces(trx, from.id, line.quantity)
      await takePlaces(trx, [{ sessionId: to.id, quantity: line.quantity, field: 'sessionId' }])
    }
    await trx('booking_lines')
      .where({ id: line.id })
      .update({
        session_id: to.id,
        price_option_id: option.id,
        description: lineDescription(to.item_name, option.name),
        unit_minor: plan.unitMinor,
        ...plan.lineMoney,
      })
    const after = await refreshBookingTotals(trx, booking.id, now)
    const address = await addressForMove(trx, booking, to.item_id)
    const money = (minor: number) => formatMoney(minor, booking.currency)
    await recordChange(trx, ctx, {
      customerId: booking.customer_id,
      entityType: 'booking',
      entityId: booking.id,
      action: 'booking.transferred',
      summary: `Transferred ${booking.reference} from ${sessionLabel(from)} to ${sessionLabel(to)} (${balanceWords(quote.differenceMinor, booking.currency)})`,
      changes: [
        { field: 'Session', before: sessionLabel(from), after: sessionLabel(to) },
        { field: 'Price option', before: plan.fromOptionName, after: option.name },
        { field: 'Total', before: money(booking.total_minor), after: money(after.total_minor) },
        { field: 'Outstanding', before: money(booking.outstanding_minor), after: money(after.outstanding_minor) },
        ...(address ? [{ field: 'At the customer’s address', before: null, after: address.text }] : []),
      ],
    })
    // A cheaper place can leave the booking paid in full: its customer's referrer may earn then.
    await earnReferralReward(trx, ctx, booking.id)
    return quote.differenceMinor
  })
  return { booking: await loadBookingDetail(ctx.db, input.bookingId), differenceMinor }
}
