import { Conflict, DomainError } from '../errors'

/** How an erasure date reads in messages: "2 Dec 2026". */
export function erasedOn(at: string): string {
  return new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
}

/** An erased customer's record cannot be changed: their personal data is gone for good. */
export function erasedRefusal(number: string, erasedAt: string): Conflict {
  return new Conflict(`The personal data of ${number} was erased on ${erasedOn(erasedAt)}; the record can no longer be changed.`)
}

/** A new or changed contact that belonged to someone erased, refused until the desk confirms it knowingly. */
export function erasedContactRefusal(match: { erasedAt: string; kind: 'email' | 'phone' }, field: string): DomainError {
  const what = match.kind === 'email' ? 'This email' : 'This phone number'
  const message = `${what} belongs to someone whose data was erased on ${erasedOn(match.erasedAt)}. Tick the confirmation if this is meant, e.g. they have come back and asked to be added again.`
  return new DomainError('ERASED', message, { field, fields: { [field]: message } })
}
