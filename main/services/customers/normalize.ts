import { foldForSearch } from '../../../preload/contract/fold'
import { parsePhoneNumberFromString, isSupportedCountry, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max'

export function formatCustomerNumber(id: number): string {
  return `C-${String(id).padStart(6, '0')}`
}

/** Folded as searches are, for sorting and one-letter searches: "Zoë" sorts with "Zoe", "Łukasz" with "Lukas". */
export function foldForSort(value: string): string {
  return foldForSearch(value).trim()
}

/** Emails are stored as typed and compared trimmed and case-insensitively (Unicode-aware). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase()
}

export function deriveDisplayName(parts: { firstName: string; lastName: string; company: string; email: string }): string {
  const name = [parts.firstName, parts.lastName].filter(Boolean).join(' ')
  return name || parts.company || parts.email || 'Unnamed customer'
}

export interface NormalizedPhone {
  e164: string | null
  /** As people write it across borders: "+44 7700 900123". */
  international: string
  /** Distinct digit strings a caller might quote: as typed, international, national. */
  searchDigits: string
  /** Whether it is a mobile number (answered only when asked: it costs another look through the country's ranges). */
  readonly mobile: boolean
  /** Whether the number is in a range the country gives out (stricter than possible, which normalizePhone requires). */
  readonly valid: boolean
  /**
   * Whether it is a whole number rather than the first digits of a longer one: valid, or as long as the
   * country's numbers go (a drama number such as 07700 900123 is possible but in no range given out).
   */
  readonly whole: boolean
}

export class InvalidPhone extends Error {}

/**
 * Parses a phone number as typed, in the business's default country unless it
 * starts with + or 00. Refuses what cannot be a phone number anywhere.
 */
export function normalizePhone(number: string, defaultCountry: string): NormalizedPhone {
  const trimmed = number.trim()
  if (!/\d/.test(trimmed) || /[^\d\s()+\-./#*xet]/i.test(trimmed.replace(/ext\.?/gi, ''))) {
    throw new InvalidPhone('Enter digits only, e.g. +44 7700 900123.')
  }
  const country = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined
  const international = trimmed.replace(/^00/, '+')
  const parsed = parsePhoneNumberFromString(international, country)
  if (!parsed || !parsed.isPossible()) {
    throw new InvalidPhone('This does not look like a phone number. Check the digits and the country code.')
  }
  const withoutExtension = (value: string) => value.replace(/\s*(ext\.?|x|#).*$/i, '').replace(/\D/g, '')
  const e164 = parsed.number
  const variants = new Set([withoutExtension(trimmed), e164.replace(/\D/g, ''), withoutExtension(parsed.formatNational())])
  return {
    e164,
    // Formatted only when asked: an import normalises a million numbers and shows few of them.
    get international() {
      return parsed.formatInternational()
    },
    searchDigits: [...variants].filter(Boolean).join(' '),
    get mobile() {
      return parsed.getType() === 'MOBILE'
    },
    get valid() {
      return parsed.isValid()
    },
    get whole() {
      return parsed.isValid() || validatePhoneNumberLength(`${e164}0`) === 'TOO_LONG'
    },
  }
}
