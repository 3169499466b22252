import type { Knex } from 'knex'
import { ValidationFailed } from '../errors'

/** A position in a list of bookings in session order: the last row's session start (null: no session) and id. */
export interface BookingPosition {
  startsAt: string | null
  id: number
}

export function encodePosition(position: BookingPosition): string {
  return Buffer.from(JSON.stringify([position.startsAt, position.id])).toString('base64url')
}

export function decodePosition(text: string | null, field = 'after'): BookingPosition | null {
  if (text === null) return null
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(value) && value.length === 2 && (value[0] === null || typeof value[0] === 'string') && Number.isSafeInteger(value[1])) {
      return { startsAt: value[0] as string | null, id: value[1] as number }
    }
  } catch {
    // Falls through to the message below.
  }
  throw ValidationFailed.field(field, 'This page of the list is no longer valid; start again from the first page.')
}

export interface SessionOrderWalk {
  /** The rows to walk, filtered; a fresh builder each call. */
  query: () => Knex.QueryBuilder
  /** The session start and id columns the walk is ordered by (e.g. `b.starts_at`, `b.id`). */
  startsAt: string
  id: string
  order: 'asc' | 'desc'
  /** Bookings without a session come after the dated ones, in either order (left out when a date range is asked for). */
  undated: boolean
  after: BookingPosition | null
  limit: number
}

/**
 * One page of a keyset walk in session order: the dated rows from the position
 * on, then (when there is room) the undated ones by id. Each part is a range
 * on an index leading with the session start, so a page costs the same at any
 * depth. Reads one row more than the page to know whether another follows.
 */
export async function sessionOrderPage<T extends { id: number; starts_at: string | null }>(
  walk: SessionOrderWalk,
): Promise<{ rows: T[]; next: string | null }> {
  const op = walk.order === 'desc' ? '<' : '>'
  const want = walk.limit + 1
  const rows: T[] = []
  if (!walk.after || walk.after.startsAt !== null) {
    const dated = walk.query().whereNotNull(walk.startsAt)
    if (walk.after) dated.whereRaw(`(${walk.startsAt}, ${walk.id}) ${op} (?, ?)`, [walk.after.startsAt, walk.after.id])
    rows.push(...((await dated.orderBy([{ column: walk.startsAt, order: walk.order }, { column: walk.id, order: walk.order }]).limit(want)) as T[]))
  }
  if (rows.length < want && walk.undated) {
    const undated = walk.query().whereNull(walk.startsAt)
    if (walk.after?.startsAt === null) undated.where(walk.id, op, walk.after.id)
    rows.push(...((await undated.orderBy(walk.id, walk.order).limit(want - rows.length)) as T[]))
  }
  const more = rows.length > walk.limit
  const page = rows.slice(0, walk.limit)
  const last = page[page.length - 1]
  return { rows: page, next: more && last ? encodePosition({ startsAt: last.starts_at, id: last.id }) : null }
}
