import type { Knex } from 'knex'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { composeMessage, getMailSettings, isMailSetUp, templateForPurpose, type MailSettings } from '../mail'
import { queueMessage } from './queue'
import { recipientFacts, refusal } from './recipients'

/** The booking's customer may be written to about it: the outbox row for its confirmation or reminder. */
export async function queueBookingEmail(
  trx: Knex,
  ctx: ServiceContext,
  booking: { id: number; customerId: number },
  kind: 'confirmation' | 'reminder',
  settings: MailSettings,
): Promise<number | null> {
  const customer = await recipientFacts(trx, booking.customerId)
  if (!customer || refusal(customer, kind)) return null
  // One of each per booking (the outbox's unique index says so too): a second look writes nothing.
  if (await trx('messages').where({ booking_id: booking.id, kind }).first('id')) return null
  // A purpose's last template cannot be deleted; should one be missing all the same, the booking is still made.
  const template = await templateForPurpose(trx, kind).catch((error: unknown) => {
    if (error instanceof NotFound) return null
    throw error
  })
  if (!template) return null
  const rendered = await composeMessage(trx, {
    template: { subject: template.subject, body: template.body },
    customerId: customer.id,
    bookingId: booking.id,
    now: ctx.clock(),
  })
  return queueMessage(
    trx,
    ctx,
    {
      kind,
      customerId: customer.id,
      toAddress: customer.email,
      toName: customer.display_name,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      templateId: template.id,
      bookingId: booking.id,
    },
    { settings },
  )
}

/**
 * The booking confirmation, written to the outbox in the booking's own
 * transaction: when email is set up, one of the booked items sends
 * confirmations, and the customer may be written to. Without email set up
 * it costs one read of the settings.
 */
export async function queueBookingConfirmation(trx: Knex, ctx: ServiceContext, booking: { id: number; customerId: number }): Promise<number | null> {
  const settings = await getMailSettings(trx)
  if (!isMailSetUp(settings)) return null
  const confirming = (await trx('booking_lines as l')
    .join('catalogue_sessions as s', 's.id', 'l.session_id')
    .join('catalogue_items as i', 'i.id', 's.item_id')
    .where('l.booking_id', booking.id)
    .andWhere('i.confirmation_email', true)
    .first('l.id')) as { id: number } | undefined
  if (!confirming) return null
  return queueBookingEmail(trx, ctx, booking, 'confirmation', settings)
}

/** A cancelled booking's reminder still waiting in the outbox is not sent. */
export async function cancelBookingReminder(trx: Knex, ctx: ServiceContext, bookingId: number): Promise<void> {
  await trx('messages')
    .where({ booking_id: bookingId, kind: 'reminder', status: 'queued' })
    .update({ status: 'cancelled', updated_at: ctx.clock().toISOString(), last_error: 'The booking was cancelled.' })
}
