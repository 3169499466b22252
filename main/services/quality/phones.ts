import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/*
 * A phone number is checked against its country's numbering plan, not only
 * its length: "+44 7700 900123" has the right length but is a range the UK
 * keeps for drama, so no one can be called on it.
 */

/** Parsing is the costly part of a check (about 20 µs); books share many numbers (households, switchboards). */
const memo = new Map<string, boolean>()
const MEMO_LIMIT = 200_000

/** Whether a stored number can be dialled: its E.164 form is valid in its country's plan. */
export function isValidNumber(e164: string): boolean {
  let valid = memo.get(e164)
  if (valid === undefined) {
    valid = parsePhoneNumberFromString(e164)?.isValid() ?? false
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(e164, valid)
  }
  return valid
}

const regionNames = new Intl.DisplayNames(['en-GB'], { type: 'region' })

/** Why a stored number cannot be dialled, in a sentence; null when it is a valid number. */
export function phoneProblem(number: string, e164: string | null): string | null {
  if (e164 && isValidNumber(e164)) return null
  const parsed = e164 ? parsePhoneNumberFromString(e164) : undefined
  if (!parsed) return `${number} is not a phone number.`
  // A number valid nowhere has no country of its own: its calling code's main country (+44: the UK, +1: the US).
  const code = parsed.country ?? parsed.getPossibleCountries()[0]
  const country = code ? regionNames.of(code) : undefined
  return country
    ? `${number} is not a valid number for ${country}.`
    : `${number} is not a valid number for the country code +${parsed.countryCallingCode}.`
}
