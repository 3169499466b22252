import type { Knex } from 'knex'
import { ValidationFailed } from '../errors'
import { localDay } from '../calendarDay'

/** Credits taken from each pass and not given back (cancelled bookings return theirs). */
export async function passCreditsUsed(db: Knex, passIds: number[]): Promise<Map<number, number>> {
  if (!passIds.length) return new Map()
  const rows = (await db('pass_uses')
    .whereIn('pass_id', passIds)
    .whereNull('returned_at')
    .groupBy('pass_id')
    .select('pass_id')
    .sum({ used: 'credits' })) as Array<{ pass_id: number; used: number | string | null }>
  return new Map(rows.map((r) => [r.pass_id, Number(r.used ?? 0)]))
}

interface PassRecord {
  id: number
  customer_id: number
  kind: string
  name: string
  status: string
  valid_to: string | null
  credits_total: number | null
}

/** The customer's pass, checked to be usable today for `credits` places; otherwise a message on `passId`. */
export async function passForBooking(trx: Knex, passId: number, customerId: number, credits: number, now: Date): Promise<{ id: number; name: string }> {
  const pass = (await trx('customer_plans').where({ id: passId }).first()) as PassRecord | undefined
  const refuse = (message: string) => ValidationFailed.field('passId', message)
  if (!pass || pass.customer_id !== customerId || pass.kind !== 'pass') throw refuse('This pass is not one of this customer’s passes.')
  if (pass.status !== 'active') throw refuse(`${pass.name} is ${pass.status} and cannot be used.`)
  if (pass.valid_to !== null && pass.valid_to < localDay(now)) throw refuse(`${pass.name} expired on ${pass.valid_to}.`)
  const used = (await passCreditsUsed(trx, [pass.id])).get(pass.id) ?? 0
  const left = (pass.credits_total ?? 0) - used
  if (left < credits) {
    throw refuse(`${pass.name} has ${left} ${left === 1 ? 'credit' : 'credits'} left; this booking needs ${credits}.`)
  }
  return { id: pass.id, name: pass.name }
}

export async function usePassCredits(trx: Knex, passId: number, bookingId: number, credits: number, now: Date): Promise<void> {
  await trx('pass_uses').insert({ pass_id: passId, booking_id: bookingId, credits, created_at: now.toISOString(), returned_at: null })
}

/** A cancelled booking gives its credits back to the pass. Returns how many. */
export async function returnPassCredits(trx: Knex, bookingId: number, now: Date): Promise<number> {
  const uses = (await trx('pass_uses').where({ booking_id: bookingId }).whereNull('returned_at').select('credits')) as Array<{ credits: number }>
  if (!uses.length) return 0
  await trx('pass_uses').where({ booking_id: bookingId }).whereNull('returned_at').update({ returned_at: now.toISOString() })
  return uses.reduce((sum, u) => sum + u.credits, 0)
}
