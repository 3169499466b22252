import type { Knex } from 'knex'
import { Conflict } from '../errors'
import { findSession, sessionLabel, spacesLeftOf } from '../catalogue'
import { placesText } from './wording'

/** Places wanted on one session; `field` names the input to blame when they are not there. */
export interface PlacesWanted {
  sessionId: number
  quantity: number
  field: string
}

/**
 * Holds places on sessions, all or nothing. Lines on the same session are added
 * up first, and each session is taken with one guarded UPDATE, so two desks
 * booking the last place at once cannot both get it.
 */
export async function takePlaces(trx: Knex, wanted: PlacesWanted[]): Promise<void> {
  const perSession = new Map<number, PlacesWanted>()
  for (const want of wanted) {
    const sum = perSession.get(want.sessionId)
    perSession.set(want.sessionId, { ...want, quantity: (sum?.quantity ?? 0) + want.quantity })
  }
  for (const want of perSession.values()) {
    const taken = await trx('catalogue_sessions')
      .where('id', want.sessionId)
      .andWhereRaw('seats_taken + ? <= capacity', [want.quantity])
      .increment('seats_taken', want.quantity)
    if (taken) continue
    const session = await findSession(trx, want.sessionId)
    const left = session ? spacesLeftOf(session) : 0
    const where = session ? sessionLabel(session) : 'this session'
    const message = left === 0 ? `No places left on ${where}.` : `Only ${placesText(left)} left on ${where}.`
    throw new Conflict(message, { field: want.field, fields: { [want.field]: message } })
  }
}

/** Gives places back (cancel, or the old session of a transfer). */
export async function freePlaces(trx: Knex, sessionId: number, quantity: number): Promise<void> {
  await trx('catalogue_sessions')
    .where('id', sessionId)
    .update({ seats_taken: trx.raw('CASE WHEN seats_taken > ? THEN seats_taken - ? ELSE 0 END', [quantity, quantity]) })
}
