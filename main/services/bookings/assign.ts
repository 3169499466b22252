import type { Knex } from 'knex'
import type { z } from 'zod'
import type { BookingDetail, assignBookingInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { loadBookingDetail } from './detail'
import { loadBookingRecord } from './totals'
import { assertBookingUnchanged } from './versions'

/** Someone a booking can be given to: an active member of staff (their name, for the log). */
export async function checkAssignee(db: Knex, staffId: number, field: string): Promise<string> {
  const row = (await db('staff').where({ id: staffId }).first('name', 'active')) as { name: string; active: number | boolean } | undefined
  if (!row) throw ValidationFailed.field(field, 'That member of staff no longer exists. Choose someone else.')
  if (!row.active) throw ValidationFailed.field(field, `${row.name} is no longer active. Choose someone else.`)
  return row.name
}

/** Gives a booking to someone (or to no one); they then see it in their own bookings. */
export async function assignBooking(ctx: ServiceContext, input: z.output<typeof assignBookingInput>): Promise<BookingDetail> {
  await ctx.db.transaction(async (trx) => {
    const booking = await loadBookingRecord(trx, input.id)
    if (booking.assigned_staff_id === input.staffId) return
    const before = booking.assigned_staff_id === null ? null : ((await trx('staff').where({ id: booking.assigned_staff_id }).first('name')) as { name: string } | undefined)?.name ?? null
    const after = input.staffId === null ? null : await checkAssignee(trx, input.staffId, 'staffId')
    await assertBookingUnchanged(trx, booking, input.version, [{ key: 'assignedTo', field: 'Assigned to', theirs: before ?? 'No one', yours: after ?? 'No one' }])
    await trx('bookings').where({ id: booking.id }).update({ assigned_staff_id: input.staffId, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, {
      customerId: booking.customer_id,
      entityType: 'booking',
      entityId: booking.id,
      action: 'booking.assigned',
      summary: after ? `${booking.reference} assigned to ${after}` : `${booking.reference} no longer assigned to anyone`,
      changes: [{ field: 'Assigned to', before, after }],
    })
  })
  return loadBookingDetail(ctx.db, input.id)
}
