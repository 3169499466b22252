import type { Knex } from 'knex'
import type { z } from 'zod'
import type { CatalogueKind, CatalogueSession, listSessionsInput, saveSessionInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, NotFound, ValidationFailed } from '../errors'

export interface SessionRecord {
  id: number
  item_id: number
  starts_at: string
  ends_at: string
  capacity: number
  seats_taken: number
  location: string
  item_name: string
  item_kind: CatalogueKind
  item_active: number | boolean
  /** The item's tax rate (null: the standard rate). */
  item_tax_rate_bp: number | null
}

/** Session columns with the item's name, kind and whether it is still offered. */
export function selectSessions(db: Knex): Knex.QueryBuilder {
  return db('catalogue_sessions as s')
    .join('catalogue_items as i', 'i.id', 's.item_id')
    .select(
      's.id',
      's.item_id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      's.seats_taken',
      's.location',
      'i.name as item_name',
      'i.kind as item_kind',
      'i.active as item_active',
      'i.tax_rate_bp as item_tax_rate_bp',
    )
}

export async function findSession(db: Knex, id: number): Promise<SessionRecord | undefined> {
  return (await selectSessions(db).where('s.id', id).first()) as SessionRecord | undefined
}

export function spacesLeftOf(session: Pick<SessionRecord, 'capacity' | 'seats_taken'>): number {
  return Math.max(0, session.capacity - session.seats_taken)
}

const SESSION_TIME = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })

/** "Yoga Flow, Tue 3 Mar 09:00", in the desk's own time zone, for messages and the change log. */
export function sessionLabel(session: Pick<SessionRecord, 'item_name' | 'starts_at'>): string {
  return `${session.item_name}, ${SESSION_TIME.format(new Date(session.starts_at)).replace(',', '')}`
}

function toSession(row: SessionRecord): CatalogueSession {
  return {
    id: row.id,
    itemId: row.item_id,
    itemName: row.item_name,
    itemKind: row.item_kind,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    location: row.location,
    capacity: row.capacity,
    seatsTaken: row.seats_taken,
    spacesLeft: spacesLeftOf(row),
  }
}

export async function listSessions(ctx: ServiceContext, input: z.output<typeof listSessionsInput>): Promise<CatalogueSession[]> {
  const from = new Date(input.from ?? ctx.clock()).toISOString()
  const query = selectSessions(ctx.db).where('s.starts_at', '>=', from)
  if (input.to) query.where('s.starts_at', '<', new Date(input.to).toISOString())
  if (input.itemId !== undefined) query.where('s.item_id', input.itemId)
  const rows = (await query.orderBy('s.starts_at').orderBy('s.id').limit(input.limit)) as SessionRecord[]
  return rows.map(toSession)
}

async function hasBookingLines(db: Knex, sessionId: number): Promise<boolean> {
  return Boolean(await db('booking_lines').where({ session_id: sessionId }).first('id'))
}

/** Creates or edits a session; its places never drop below those already booked. */
export async function saveSession(ctx: ServiceContext, input: z.output<typeof saveSessionInput>): Promise<CatalogueSession> {
  const now = ctx.clock().toISOString()
  const id = await ctx.db.transaction(async (trx) => {
    const item = (await trx('catalogue_items').where({ id: input.itemId }).first('id', 'location')) as
      | { id: number; location: string }
      | undefined
    if (!item) throw ValidationFailed.field('itemId', 'This catalogue item no longer exists.')
    const columns = {
      item_id: input.itemId,
      starts_at: new Date(input.startsAt).toISOString(),
      ends_at: new Date(input.endsAt).toISOString(),
      capacity: input.capacity,
      location: input.location || item.location,
      updated_at: now,
    }
    if (input.id === undefined) {
      const [row] = (await trx('catalogue_sessions')
        .insert({ ...columns, seats_taken: 0, created_at: now })
        .returning('id')) as Array<{ id: number }>
      return row!.id
    }
    const before = (await trx('catalogue_sessions').where({ id: input.id }).first('item_id', 'seats_taken', 'starts_at')) as
      | { item_id: number; seats_taken: number; starts_at: string }
      | undefined
    if (!before) throw new NotFound('This session no longer exists.')
    if (before.item_id !== input.itemId && (await hasBookingLines(trx, input.id))) {
      throw ValidationFailed.field('itemId', 'This session has bookings, so it cannot move to another item.')
    }
    if (input.capacity < before.seats_taken) {
      const booked = before.seats_taken
      throw ValidationFailed.field(
        'capacity',
        `${booked} ${booked === 1 ? 'place is' : 'places are'} already booked, so the session needs at least ${booked}.`,
      )
    }
    await trx('catalogue_sessions').where({ id: input.id }).update(columns)
    // Bookings keep their first session's start for upcoming/past lists: a moved session moves them too.
    if (before.starts_at === columns.starts_at) return input.id
    await trx('bookings')
      .whereIn('id', trx('booking_lines').where('session_id', input.id).select('booking_id'))
      .update({
        starts_at: trx('booking_lines as l')
          .join('catalogue_sessions as s', 's.id', 'l.session_id')
          .whereRaw('l.booking_id = bookings.id')
          .min('s.starts_at'),
        updated_at: now,
      })
    return input.id
  })
  return toSession((await findSession(ctx.db, id))!)
}

/** Removes a session nobody ever booked; booked ones keep their history (cancel or transfer the bookings instead). */
export async function deleteSession(ctx: ServiceContext, id: number): Promise<{ deleted: number }> {
  return ctx.db.transaction(async (trx) => {
    const session = await findSession(trx, id)
    if (!session) throw new NotFound('This session no longer exists.')
    if (await hasBookingLines(trx, id)) {
      throw new Conflict(`${sessionLabel(session)} has bookings (cancelled ones count too), so it cannot be deleted.`)
    }
    return { deleted: await trx('catalogue_sessions').where({ id }).delete() }
  })
}
