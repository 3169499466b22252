import { PASSWORD_MIN_LENGTH } from '../../../preload/contract'

/** What the password box says while one is typed: how far from long enough. */
export function lengthHint(password: string): string {
  const short = PASSWORD_MIN_LENGTH - password.length
  if (password.length === 0) return `At least ${PASSWORD_MIN_LENGTH} characters`
  if (short > 0) return `${short} more ${short === 1 ? 'character' : 'characters'} to go (at least ${PASSWORD_MIN_LENGTH})`
  return 'Long enough'
}

/** A PIN as typed: empty (none) or 4 to 8 digits. */
export function pinProblem(pin: string): string {
  if (pin === '' || /^\d{4,8}$/.test(pin)) return ''
  return /^\d*$/.test(pin) ? 'A PIN is 4 to 8 digits.' : 'A PIN is digits only, 4 to 8 of them.'
}
