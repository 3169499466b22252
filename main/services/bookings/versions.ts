import type { Knex } from 'knex'
import type { FieldChange, FieldConflict } from '../../../preload/contract'
import { Conflict } from '../errors'
import { loadBookingDetail } from './detail'
import type { BookingRecord } from './rows'

/** What an action would set on the booking, beside what is there now, as the booking's log names the field. */
export interface BookingFieldChoice {
  key: string
  /** The field as the booking's history names it (Status, Assigned to, Session). */
  field: string
  theirs: string
  yours: string
}

/**
 * Refuses an action on a booking taken from an older copy than the one stored:
 * another desk (or task) changed the booking since the screen loaded it. The
 * refusal carries the booking now (its history says everything that changed)
 * and, for each field the action sets, the value there now beside the one
 * wanted, with who changed that field last and when, so the desk can choose
 * to keep theirs or apply its own on the booking as it is now.
 * When the other desk already did what this one wants, nothing is refused
 * here: the action's own rules answer (e.g. "already cancelled").
 */
export async function assertBookingUnchanged(
  trx: Knex,
  booking: BookingRecord & { version: number },
  loadedVersion: number | undefined,
  choices: BookingFieldChoice[],
): Promise<void> {
  if (loadedVersion === undefined || loadedVersion === Number(booking.version)) return
  if (choices.length && choices.every((choice) => choice.theirs === choice.yours)) return
  const current = await loadBookingDetail(trx, booking.id)
  const latest = current.history[0]
  const fields: FieldConflict[] = choices.map((choice) => {
    const last = current.history.find((entry) => entry.changes.some((change: FieldChange) => change.field === choice.field))
    return { ...choice, by: last?.staffName ?? null, at: last?.at ?? null }
  })
  const what = latest ? ` (latest: ${latest.summary}${latest.staffName ? `, by ${latest.staffName}` : ''})` : ''
  throw new Conflict(`${booking.reference} was changed on another desk since you opened it${what}. Keep it as it is now, or apply yours to it.`, {
    changedMeanwhile: { version: current.version, current, fields },
  })
}
