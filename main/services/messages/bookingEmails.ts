import type { Knex } from 'knex'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { createComposer, getMailSettings, isMailSetUp, templateForPurpose, type Composer, type MailSettings } from '../mail'
import { queueMessage } from './queue'
import { recipientFacts, refusal } from './recipients'

/** What writing many booking emails of one kind reads once: the template and the business details. */
export interface BookingEmailKit {
  template: { id: number; subject: string; body: string }
  composer: Composer
}

/** The kit for `kind`, or null when its template is missing (a purpose's last template cannot be deleted, but a booking must never fail for it). */
export async function bookingEmailKit(db: Knex, kind: 'confirmation' | 'reminder'): Promise<BookingEmailKit | null> {
  const template = await templateForPurpose(db, kind).catch((error: unknown) => {
    if (error instanceof NotFound) return null
    throw error
  })
  return template && { template, composer: await createComposer(db) }
}

/**
 * Writes the booking's confirmation or reminder to the outbox when its
 * customer may be written to and it has none yet; `db` is the caller's
 * transaction when there is one, and the kit must read through the same.
 */
export async function queueBookingEmail(
  db: Knex,
  ctx: ServiceContext,
  booking: { id: number; customerId: number },
  kind: 'confirmation' | 'reminder',
  settings: MailSettings,
  kit: BookingEmailKit,
): Promise<number | null> {
  const customer = await recipientFacts(db, booking.customerId)
  if (!customer || refusal(customer, kind)) return null
  // One of each per booking (the outbox's unique index says so too): a second look writes nothing.
  if (await db('messages').where({ booking_id: booking.id, kind }).first('id')) return null
  const rendered = await kit.composer.compose({
    template: { subject: kit.template.subject, body: kit.template.body },
    customerId: customer.id,
    bookingId: booking.id,
    now: ctx.clock(),
  })
  return queueMessage(
    db,
    ctx,
    {
      kind,
      customerId: customer.id,
      toAddress: customer.email,
      toName: customer.display_name,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      templateId: kit.template.id,
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
  const kit = await bookingEmailKit(trx, 'confirmation')
  return kit && queueBookingEmail(trx, ctx, booking, 'confirmation', settings, kit)
}

/** A cancelled booking's reminder still waiting in the outbox is not sent. */
export async function cancelBookingReminder(trx: Knex, ctx: ServiceContext, bookingId: number): Promise<void> {
  await trx('messages')
    .where({ booking_id: bookingId, kind: 'reminder', status: 'queued' })
    .update({ status: 'cancelled', updated_at: ctx.clock().toISOString(), last_error: 'The booking was cancelled.' })
}
