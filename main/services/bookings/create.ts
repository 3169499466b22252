import type { Knex } from 'knex'
import { erasedRefusal } from '../privacy/erased'
import type { z } from 'zod'
import type { createBookingInput, CreateBookingResult, CustomerDetail } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, Forbidden, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { changeCustomerStatus, loadCustomer } from '../customers'
import { findSession, sessionLabel, type SessionRecord } from '../catalogue'
import { resolveCaller } from './caller'
import { loadBookingDetail } from './detail'
import { passForBooking, usePassCredits } from './passCredits'
import { checkOfferedTo, lineMoney, linePricerFor } from './pricing'
import { recordMoney } from './payments'
import { lineDescription } from './derivedValues'
import { takePlaces } from './seats'
import { homeServiceAddress } from './homeService'
import { insertOrder, refreshBookingTotals } from './totals'
import { checkAssignee } from './assign'
import { formatMoney } from '../money'
import { STATUS_WORDS } from './wording'
import { queueBookingConfirmation } from '../messages/bookingEmails'

type CreateBookingInput = z.output<typeof createBookingInput>

export interface PriceOptionRecord {
  id: number
  item_id: number
  name: string
  amount_minor: number
  currency: string
  archived: number | boolean
}

/** A line checked against the catalogue: the session is still to come, the price is this item's and on offer. */
export interface CheckedLine {
  session: SessionRecord
  option: PriceOptionRecord
  quantity: number
}

/** Checks one session + price choice; messages name the input at fault (`${at}.sessionId`, `${at}.priceOptionId`). */
export async function checkSessionChoice(
  db: Knex,
  now: Date,
  choice: { sessionId: number; priceOptionId: number },
  fields: { session: string; option: string },
): Promise<{ session: SessionRecord; option: PriceOptionRecord }> {
  const session = await findSession(db, choice.sessionId)
  if (!session) throw ValidationFailed.field(fields.session, 'This session no longer exists.')
  if (session.ends_at <= now.toISOString()) throw ValidationFailed.field(fields.session, `${sessionLabel(session)} has already ended.`)
  if (!session.item_active) throw ValidationFailed.field(fields.session, `${session.item_name} is no longer offered (inactive).`)
  const option = (await db('price_options').where({ id: choice.priceOptionId }).first()) as PriceOptionRecord | undefined
  if (!option || option.item_id !== session.item_id) {
    throw ValidationFailed.field(fields.option, `Choose one of the prices of ${session.item_name}.`)
  }
  if (option.archived) throw ValidationFailed.field(fields.option, `The price “${option.name}” is no longer offered; choose another.`)
  return { session, option }
}

async function checkLines(db: Knex, now: Date, lines: CreateBookingInput['lines']): Promise<CheckedLine[]> {
  const checked: CheckedLine[] = []
  for (const [i, line] of lines.entries()) {
    const { session, option } = await checkSessionChoice(db, now, line, { session: `lines.${i}.sessionId`, option: `lines.${i}.priceOptionId` })
    const first = checked[0]?.option.currency
    if (first !== undefined && option.currency !== first) {
      throw ValidationFailed.field(
        `lines.${i}.priceOptionId`,
        `One booking is in one currency: this price is in ${option.currency}, the others in ${first}. Make a separate booking for it.`,
      )
    }
    checked.push({ session, option, quantity: line.quantity })
  }
  return checked
}

/** The customer to book: found or created, not blocked or in the recycle bin, unarchived when the desk confirmed it. */
async function customerToBook(
  ctx: ServiceContext,
  input: CreateBookingInput,
): Promise<{ customer: CustomerDetail; created: boolean; unarchived: boolean }> {
  let customerId: number
  let created = false
  if (input.customer.kind === 'existing') {
    customerId = input.customer.id
  } else {
    ;({ customerId, created } = await resolveCaller(ctx, input.customer, input.source))
  }
  const customer = await loadCustomer(ctx.db, customerId)
  const who = `${customer.displayName} (${customer.number})`
  if (customer.status === 'deleted') throw new Conflict(`${who} is in the recycle bin. Restore them before booking.`)
  if (customer.erasedAt) throw erasedRefusal(customer.number, customer.erasedAt)
  if (customer.status === 'blocked') {
    throw new Forbidden(`${who} is blocked${customer.statusReason ? ` (${customer.statusReason})` : ''} and cannot be booked.`)
  }
  if (customer.status === 'archived') {
    if (!input.unarchive) {
      const message = `${who} is archived. Booking them will unarchive them; confirm to go on.`
      throw new Conflict(message, { field: 'unarchive', fields: { unarchive: message } })
    }
    return { customer: await changeCustomerStatus(ctx, customer.id, 'unarchive'), created, unarchived: true }
  }
  return { customer, created, unarchived: false }
}

/** Makes a booking: customer, places, pass credits, an optional payment and the log entries, all or nothing. */
export async function createBooking(ctx: ServiceContext, input: CreateBookingInput): Promise<CreateBookingResult> {
  const now = ctx.clock()
  const outcome = await ctx.db.transaction(async (trx) => {
    const tctx: ServiceContext = { ...ctx, db: trx }
    const lines = await checkLines(trx, now, input.lines)
    const { customer, created, unarchived } = await customerToBook(tctx, input)
    const address = await homeServiceAddress(trx, customer, lines.map((l) => l.session.item_id), input.addressId)
    for (const [i, l] of lines.entries()) {
      const line = { itemId: l.session.item_id, itemName: l.session.item_name, optionId: l.option.id, optionName: l.option.name }
      await checkOfferedTo(trx, customer, line, `lines.${i}.priceOptionId`)
    }
    const price = await linePricerFor(trx, customer.id)
    const places = lines.reduce((sum, l) => sum + l.quantity, 0)
    const pass = input.passId === null ? null : await passForBooking(trx, input.passId, customer.id, places, now)
    await takePlaces(
      trx,
      lines.map((l, i) => ({ sessionId: l.session.id, quantity: l.quantity, field: `lines.${i}.quantity` })),
    )

    const assignee = input.assignedStaffId === null ? null : await checkAssignee(trx, input.assignedStaffId, 'assignedStaffId')
    const currency = lines[0]!.option.currency
    const { id: bookingId, reference } = await insertOrder(trx, {
      customer_id: customer.id,
      status: input.status,
      source: input.source,
      currency,
      pass_id: pass?.id ?? null,
      address_id: address?.id ?? null,
      note: input.note,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      created_by_name: ctx.staff.name,
      assigned_staff_id: input.assignedStaffId,
    })
    await trx('booking_lines').insert(
      lines.map((l) => {
        const unit = pass ? 0 : l.option.amount_minor
        const priced = price({ unitMinor: unit, quantity: l.quantity, itemRateBp: l.session.item_tax_rate_bp })
        return {
          booking_id: bookingId,
          session_id: l.session.id,
          price_option_id: l.option.id,
          description: lineDescription(l.session.item_name, l.option.name),
          quantity: l.quantity,
          unit_minor: unit,
          ...lineMoney(priced, pass !== null),
          covered_by_pass: pass !== null,
        }
      }),
    )
    if (pass) await usePassCredits(trx, pass.id, bookingId, places, now)
    const booking = await refreshBookingTotals(trx, bookingId, now)

    await recordChange(trx, ctx, {
      customerId: customer.id,
      entityType: 'booking',
      entityId: bookingId,
      action: 'booking.created',
      summary: `Booked ${reference}: ${booking.summary}${pass ? ` with ${places} ${places === 1 ? 'credit' : 'credits'} from ${pass.name}` : ''}`,
      changes: [
        { field: 'Status', before: null, after: STATUS_WORDS[booking.status] },
        { field: 'Sessions', before: null, after: lines.map((l) => sessionLabel(l.session)).join('; ') },
        { field: 'Total', before: null, after: formatMoney(booking.total_minor, currency) },
        ...(address ? [{ field: 'At the customer’s address', before: null, after: address.text }] : []),
        ...(assignee ? [{ field: 'Assigned to', before: null, after: assignee }] : []),
      ],
    })
    if (input.payment) {
      if (input.payment.amountMinor > booking.outstanding_minor) {
        const owed = Math.max(0, booking.outstanding_minor)
        throw ValidationFailed.field('payment.amountMinor', `That is more than the ${formatMoney(owed, currency)} owed for this booking.`)
      }
      await recordMoney(trx, ctx, booking, { kind: 'payment', ...input.payment, takenAt: now.toISOString(), reference: '', fieldPrefix: 'payment.' })
    }
    // Written with the booking: a confirmation is never lost, nor sent for a booking that was not made.
    await queueBookingConfirmation(trx, ctx, { id: bookingId, customerId: customer.id })
    return { bookingId, created, unarchived }
  })
  return {
    booking: await loadBookingDetail(ctx.db, outcome.bookingId),
    customerCreated: outcome.created,
    customerUnarchived: outcome.unarchived,
  }
}
