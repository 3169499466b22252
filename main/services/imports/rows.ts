import { getCountries } from 'libphonenumber-js/max'
import { freeText, isoDate, nameText, tagName, type ImportFieldKey } from '../../../preload/contract'
import { FieldProblem, recordEmail, recordName, recordText } from './recordRules'
import { foldName } from '../organise/names'
import { encodeCustomFieldValue, InvalidCustomFieldValue } from '../profile/customFieldCodec'
import { InvalidPhone, normalizeEmail, normalizePhone } from '../customers/normalize'
import type { CustomFieldTarget } from './fields'
import { IMPORT_FIELDS } from './fields'
import type { SourceRow } from './sources'
import { BadValue, cellCustomerNumber, cellDay, cellList, cellMoney, cellPhones, cellText, cellYesNo } from './values'

/** One row of the file, read and checked: what it says about one customer. */
export interface IncomingRow {
  line: number
  customerNumber: number | null
  legacyId: string | null
  /** Normalised, '' when none. */
  emailKey: string
  record: {
    firstName: string
    lastName: string
    displayName: string
    company: string
    email: string
    status: 'active' | 'archived' | 'blocked' | null
    customerSince: string | null
    marketingConsent: boolean | null
  }
  phones: Array<{ label: 'mobile' | 'home' | 'work' | 'other'; number: string; e164: string; searchDigits: string }>
  address: { line1: string; line2: string; city: string; region: string; postcode: string; country: string } | null
  tags: string[]
  groups: string[]
  custom: Record<string, string>
  notes: Array<{ body: string; day: string | null }>
  bookings: Array<{ day: string; description: string; amountMinor: number; paidMinor: number; reference: string | null }>
  /** A picture as a data: URI, made into the stored thumbnail before writing. */
  photo: string | null
}

export class RejectedRow extends Error {}

export interface RowReader {
  read(row: SourceRow): IncomingRow
}

const LABELS = new Map<string, string>(IMPORT_FIELDS.map((f) => [f.key, f.label]))
const PHONE_FIELDS = { phone: null, mobilePhone: 'mobile', homePhone: 'home', workPhone: 'work', otherPhone: 'other' } as const
const STATUS_WORDS: Record<string, 'active' | 'archived' | 'blocked'> = { active: 'active', archived: 'archived', blocked: 'blocked' }

/** Country names in the languages a desk's files are written in, to their two-letter codes. */
const COUNTRY_CODES: Map<string, string> = (() => {
  const names = new Map<string, string>()
  const codes = getCountries() as string[]
  for (const locale of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da']) {
    const display = new Intl.DisplayNames([locale], { type: 'region' })
    for (const code of codes) {
      const name = display.of(code)
      if (name) names.set(fold(name), code)
    }
  }
  for (const code of codes) names.set(fold(code), code)
  for (const [alias, code] of [['uk', 'GB'], ['england', 'GB'], ['scotland', 'GB'], ['wales', 'GB'], ['northern ireland', 'GB'], ['great britain', 'GB'], ['usa', 'US'], ['united states of america', 'US']] as const) {
    names.set(alias, code)
  }
  return names
})()

/** Country names compared as names are everywhere (case and accents aside), and without dots: "U.S.A." is "usa". */
function fold(text: string): string {
  return foldName(text.replace(/\./g, ''))
}

const fieldLabel = (target: string, custom: ReadonlyMap<string, CustomFieldTarget>) => LABELS.get(target) ?? custom.get(target)?.label ?? target

/** Quotes a value in a reason, shortened: a reason names what was wrong without repeating a whole note. */
function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 39)}…` : value
  return `“${short}”`
}

/** A number that lost its leading zero in a spreadsheet, with the zero put back, when that makes a real number. */
function withZeroBack(digits: string, defaultCountry: string): ReturnType<typeof normalizePhone> | null {
  try {
    const padded = normalizePhone(`0${digits}`, defaultCountry)
    return padded.valid ? padded : null
  } catch {
    return null
  }
}

/** A note cell's dated notes: "2024-03-01: Called back" paragraphs, as Frontdesk exports a customer's notes. */
const DATED_NOTE = /^(\d{4}-\d{2}-\d{2}): /
const NEXT_DATED_NOTE = /\n\n(?=\d{4}-\d{2}-\d{2}: )/

/**
 * The notes a note cell holds: each paragraph that starts with its day ("2024-03-01: …", the form Frontdesk's export
 * writes, newest first) is a note of that day; a cell in any other form is one note, of the import's day.
 */
function datedNotesOf(text: string): Array<{ day: string | null; body: string }> {
  if (!DATED_NOTE.test(text)) return [{ day: null, body: text }]
  const notes = text.split(NEXT_DATED_NOTE).map((part) => {
    const day = DATED_NOTE.exec(part)![1]!
    return { day, body: part.slice(day.length + 2).trim() }
  })
  return notes.every((n) => n.body && isoDate.safeParse(n.day).success) ? notes : [{ day: null, body: text }]
}

/** What a reader is made from: plain data, so a checking thread can make the same reader. */
export interface RowReaderOptions {
  mapping: readonly string[]
  headers: readonly string[]
  customFields: readonly CustomFieldTarget[]
  defaultCountry: string
  /** Phone column → the column naming its kind (Google's "Phone 1 - Type"). */
  phoneKinds: ReadonlyMap<number, number>
  /** Whether a comma separates tags and lists (a file of unknown layout). */
  commaLists: boolean
}

/**
 * Builds the reader for one mapping: every row becomes an IncomingRow, or a
 * RejectedRow whose message says which column and why, in the desk's words.
 */
export function rowReader(options: RowReaderOptions): RowReader {
  const { mapping, defaultCountry, phoneKinds, commaLists } = options
  const custom = new Map(options.customFields.map((f) => [`custom:${f.id}`, f]))
  const columns = new Map<string, number[]>()
  mapping.forEach((target, index) => {
    if (!target) return
    columns.set(target, [...(columns.get(target) ?? []), index])
  })
  const reject = (target: string, value: string, why: string): never => {
    throw new RejectedRow(`${fieldLabel(target, custom)} ${quoted(value)}: ${why}`)
  }

  return {
    read(row) {
      const cell = (target: ImportFieldKey | string) => {
        const index = columns.get(target)?.[0]
        return index === undefined ? undefined : row.cells[index]
      }
      const textOf = (target: ImportFieldKey) => cellText(cell(target))
      const guarded = <T>(target: string, read: () => T): T => {
        try {
          return read()
        } catch (error) {
          if (error instanceof BadValue) return reject(target, cellText(cell(target)), error.message)
          throw error
        }
      }

      let firstName = textOf('firstName')
      let lastName = textOf('lastName')
      const fullName = textOf('fullName')
      if (fullName && !firstName && !lastName) {
        const words = fullName.split(/\s+/)
        lastName = words.length > 1 ? words.pop()! : ''
        firstName = words.join(' ')
      }
      const email = textOf('email').split(/\s*:::\s*/)[0] ?? ''

      const phones: IncomingRow['phones'] = []
      const seen = new Set<string>()
      for (const [field, fixedLabel] of Object.entries(PHONE_FIELDS)) {
        for (const index of columns.get(field) ?? []) {
          for (const number of cellPhones(row.cells[index])) {
            let normalized
            try {
              normalized = normalizePhone(number, defaultCountry)
            } catch (error) {
              if (error instanceof InvalidPhone) {
                const international = /^\s*(\+|00)/.test(number)
                reject(field, number, international ? 'Not a valid phone number.' : `Not a valid phone number for ${countryName(defaultCountry)} (a number from elsewhere starts with + and its country code).`)
              }
              throw error
            }
            // A number stored as a number lost its leading zero. Where the zero is part of the number (Italy's 06 and 02),
            // the digits alone make a possible number but not a real one: the number with its zero back is the one meant.
            if (typeof row.cells[index] === 'number' && !normalized.valid) normalized = withZeroBack(number, defaultCountry) ?? normalized
            if (!normalized.e164 || seen.has(normalized.e164)) continue
            seen.add(normalized.e164)
            const kindColumn = phoneKinds.get(index)
            const label = fixedLabel ?? labelFromWords(kindColumn === undefined ? '' : cellText(row.cells[kindColumn])) ?? (normalized.mobile ? 'mobile' : 'home')
            // A number stored as a number lost its leading zero: write it as the country writes it.
            const shown = typeof row.cells[index] === 'number' ? normalized.international : number
            phones.push({ label, number: shown.slice(0, 40), e164: normalized.e164, searchDigits: normalized.searchDigits })
          }
        }
      }
      if (phones.length > 10) reject('phone', phones.map((p) => p.number).join('; '), 'More than 10 numbers.')

      const countryText = textOf('country')
      const country = countryText ? (COUNTRY_CODES.get(fold(countryText)) ?? reject('country', countryText, 'Not a country Frontdesk knows; use a two-letter code such as GB.')) : ''
      const addressParts = {
        line1: textOf('addressLine1'),
        line2: textOf('addressLine2'),
        city: textOf('city'),
        region: textOf('region'),
        postcode: textOf('postcode'),
        country,
      }
      const hasAddress = [addressParts.line1, addressParts.line2, addressParts.city, addressParts.region, addressParts.postcode].some(Boolean)

      // The desk's own rules for a record: lengths, characters, email.
      const rule = <T>(target: string, value: string, check: (value: string) => T): T => {
        try {
          return check(value)
        } catch (error) {
          if (error instanceof FieldProblem) return reject(target, value, error.message)
          throw error
        }
      }
      const record = {
        firstName: rule('firstName', firstName, (v) => recordName(v, 100)),
        lastName: rule('lastName', lastName, (v) => recordName(v, 100)),
        displayName: rule('displayName', textOf('displayName'), (v) => recordName(v, 200)),
        company: rule('company', textOf('company'), (v) => recordName(v, 200)),
        email: rule('email', email, recordEmail),
      }
      for (const part of ['line1', 'line2', 'city', 'region', 'postcode'] as const) {
        addressParts[part] = rule(ADDRESS_TARGETS[part], addressParts[part], (v) => recordText(v, part === 'postcode' ? 20 : part === 'city' || part === 'region' ? 100 : 200))
      }
      const nameMissing = !record.firstName && !record.lastName && !record.company && !record.displayName
      // A row with only an earlier ID or a customer number adds to a customer found by it (see ImportWriter).
      if (nameMissing && !email && !phones.length && !textOf('legacyId') && !textOf('customerNumber')) {
        throw new RejectedRow('The row has no name, company, email or phone: there is nobody to import.')
      }

      const statusText = textOf('status')
      const status = statusText ? (STATUS_WORDS[statusText.toLowerCase()] ?? reject('status', statusText, 'Not Active, Archived or Blocked.')) : null

      const list = (target: 'tags' | 'groups') =>
        (columns.get(target) ?? []).flatMap((index) => cellList(row.cells[index], commaLists)).map((name) => {
          const parsed = (target === 'tags' ? tagName : nameText(100)).safeParse(name.replace(/^\*\s*/, ''))
          if (!parsed.success) reject(target, name, parsed.error.issues[0]!.message)
          return parsed.data!
        })
      // Google's own system labels are not the business's tags.
      const tags = unique(list('tags').filter((t) => !/^(myContacts|starred)$/i.test(t)))
      const groups = unique(list('groups'))

      const customValues: Record<string, string> = {}
      for (const [key, field] of custom) {
        const value = cell(key)
        if (value === undefined || cellText(value) === '') continue
        try {
          const input = field.type === 'date' ? guarded(key, () => cellDay(value, defaultCountry)) : field.type === 'boolean' ? guarded(key, () => cellYesNo(value)) : field.type === 'number' && typeof value === 'number' ? value : cellText(value)
          const encoded = encodeCustomFieldValue(field, input === null ? null : typeof input === 'boolean' ? String(input) : input)
          if (encoded !== null) customValues[String(field.id)] = encoded
        } catch (error) {
          if (error instanceof InvalidCustomFieldValue) reject(key, cellText(value), error.message)
          throw error
        }
      }

      const notes: IncomingRow['notes'] = []
      const noteDay = guarded('noteDate', () => cellDay(cell('noteDate'), defaultCountry))
      for (const index of columns.get('note') ?? []) {
        const text = cellText(row.cells[index])
        if (!text) continue
        for (const note of noteDay === null ? datedNotesOf(text) : [{ day: noteDay, body: text }]) {
          const parsed = freeText(5000).safeParse(note.body)
          if (!parsed.success) reject('note', note.body, parsed.error.issues[0]!.message)
          notes.push({ body: parsed.data!, day: note.day })
        }
      }

      const bookings: IncomingRow['bookings'] = []
      const bookingDescription = textOf('bookingDescription')
      const bookingAmount = guarded('bookingAmount', () => cellMoney(cell('bookingAmount')))
      const bookingDay = guarded('bookingDate', () => cellDay(cell('bookingDate'), defaultCountry))
      if (bookingDescription || bookingAmount !== null || bookingDay) {
        if (!bookingDay) throw new RejectedRow('A past booking needs its date (Booking date is empty).')
        if (bookingAmount === null) throw new RejectedRow('A past booking needs its amount (Booking amount is empty).')
        if (bookingAmount < 0) reject('bookingAmount', textOf('bookingAmount'), 'Below zero.')
        const paid = guarded('bookingPaid', () => cellMoney(cell('bookingPaid'))) ?? 0
        if (paid < 0) reject('bookingPaid', textOf('bookingPaid'), 'Below zero.')
        const description = freeText(300).safeParse(bookingDescription || 'Booking')
        if (!description.success) reject('bookingDescription', bookingDescription, description.error.issues[0]!.message)
        // Kept in the booking's note and its payment's reference: free text, by the same rules (no card number).
        const referenceText = textOf('bookingReference').slice(0, 40)
        const reference = referenceText ? freeText(40).safeParse(referenceText) : null
        if (reference && !reference.success) reject('bookingReference', referenceText, reference.error.issues[0]!.message)
        bookings.push({ day: bookingDay, description: description.data!, amountMinor: bookingAmount, paidMinor: paid, reference: reference?.data || null })
      }

      const photo = textOf('photo')
      // Remembered to find the customer again: free text too, never a card number.
      const legacyText = textOf('legacyId').slice(0, 200)
      const legacy = legacyText ? freeText(200).safeParse(legacyText) : null
      if (legacy && !legacy.success) reject('legacyId', legacyText, legacy.error.issues[0]!.message)
      return {
        line: row.line,
        customerNumber: guarded('customerNumber', () => cellCustomerNumber(cell('customerNumber'))),
        legacyId: legacy?.data || null,
        emailKey: normalizeEmail(record.email),
        // Written out, not spread: a spread with more properties after it costs microseconds a row.
        record: {
          firstName: record.firstName,
          lastName: record.lastName,
          displayName: record.displayName,
          company: record.company,
          email: record.email,
          status,
          customerSince: guarded('customerSince', () => cellDay(cell('customerSince'), defaultCountry)),
          marketingConsent: guarded('marketingConsent', () => cellYesNo(cell('marketingConsent'))),
        },
        phones,
        address: hasAddress ? addressParts : null,
        tags,
        groups,
        custom: customValues,
        notes,
        bookings,
        photo: photo.startsWith('data:image/') ? photo : null,
      }
    },
  }
}

const ADDRESS_TARGETS = { line1: 'addressLine1', line2: 'addressLine2', city: 'city', region: 'region', postcode: 'postcode' } as const

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })
function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code
  } catch {
    return code
  }
}

function unique(values: string[]): string[] {
  const seen = new Set<string>()
  return values.filter((v) => {
    const key = v.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function labelFromWords(words: string): 'mobile' | 'home' | 'work' | 'other' | null {
  const text = words.toLowerCase()
  if (!text) return null
  if (/mobile|cell|iphone/.test(text)) return 'mobile'
  if (/home/.test(text)) return 'home'
  if (/work|business|office/.test(text)) return 'work'
  return 'other'
}

