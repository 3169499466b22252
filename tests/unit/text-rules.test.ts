import { describe, expect, it } from 'vitest'
import {
  CARD_NUMBER_MESSAGE,
  collapseSpaces,
  containsCardNumber,
  findRefusedNameCharacter,
  freeTextProblem,
  isPrefixedBookingNumber,
  looksLikeBookingNumber,
  nameProblem,
  normalizeFreeText,
  passesLuhn,
  stripInvisible,
} from '../../preload/contract/text'
import { contactText, freeText, nameText, searchText, text } from '../../preload/contract/schemas/common'
import { groupName, tagName } from '../../preload/contract/schemas/organise'
import { createStaffInput } from '../../preload/contract/schemas/staff'
import { containsCardNumber as cardFieldHoldsCardNumber } from '../../main/services/profile/cards'
import { encodeCustomFieldValue, InvalidCustomFieldValue } from '../../main/services/profile/customFieldCodec'

const issueOf = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message

describe('names', () => {
  it.each([
    ['NUL', 'Ann\u0000a', 'a control character (NUL)'],
    ['a zero-width space', 'Jo\u200Bhn', 'a hidden formatting character (U+200B zero-width space)'],
    ['a right-to-left override', 'Ann\u202Ea', 'a hidden formatting character (U+202E right-to-left override)'],
    ['a byte order mark', '\uFEFFAnna', 'a hidden formatting character (U+FEFF byte order mark)'],
    ['a soft hyphen', 'Anna\u00ADMaria', 'a hidden formatting character (U+00AD soft hyphen)'],
    ['a tab', 'Anna\tMaria', 'a control character (tab)'],
    ['a line separator', 'Anna\u2028Maria', 'a line separator (U+2028)'],
    ['a private-use character', 'Anna\uE000', 'a private-use character (U+E000)'],
    ['half a surrogate pair', 'Anna\uD800', 'a broken character (U+D800, half of a pair)'],
    // Drawn as nothing: a name of them looks blank.
    ['a Hangul filler', '\u3164', 'an invisible character (U+3164)'],
    ['a half-width Hangul filler', 'Anna\uFFA0', 'an invisible character (U+FFA0)'],
    ['a Hangul choseong filler', '\u115F', 'an invisible character (U+115F)'],
    ['a braille blank', '\u2800\u2800', 'an invisible character (U+2800)'],
    ['a combining grapheme joiner', 'An\u034Fna', 'an invisible character (U+034F)'],
    ['a Khmer inherent vowel', 'An\u17B4na', 'an invisible character (U+17B4)'],
    ['a variation selector on its own', '\uFE0F', 'an invisible character (U+FE0F)'],
  ])('refuse %s, saying which character', (_what, name, words) => {
    expect(findRefusedNameCharacter(name)).toBe(words)
    expect(nameProblem(name)).toContain(words)
    expect(issueOf(nameText(100).safeParse(name))).toContain(words)
  })

  it.each([
    ['a Persian name with a zero-width non-joiner', 'علی\u200Cرضا'],
    ['a Devanagari conjunct with a zero-width joiner', 'क्\u200Dष'],
    ['a family emoji', 'Anna 👨\u200D👩\u200D👧'],
    ['a rainbow flag', '🏳️\u200D🌈'],
    ['a person with a skin tone at a laptop', '🧑🏽\u200D💻'],
    ['the flag of Scotland', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'],
    ['an accented name', 'Zoë Ødegård-Łukasz'],
    ['an emoji drawn in colour (a variation selector after it)', 'Anna ❤️'],
    ['a Mongolian name with a free variation selector', 'ᠮᠣᠩᠭ᠋ᠣᠯ'],
    ['a Korean name', '김민준'],
  ])('accept %s', (_what, name) => {
    expect(findRefusedNameCharacter(name)).toBeNull()
    expect(nameText(100).safeParse(name)).toEqual({ success: true, data: name })
  })

  it.each([
    ['at the start', '\u200Cعلی'],
    ['at the end', 'علی\u200C'],
    ['twice in a row', 'علی\u200C\u200Cرضا'],
    ['between a letter and a space', 'Anna\u200D Maria'],
    ['before a letter after an emoji', '👨\u200Da'],
  ])('refuse a joiner %s', (_what, name) => {
    expect(findRefusedNameCharacter(name)).toMatch(/zero-width (non-)?joiner/)
  })

  it('lose white space at the ends and keep one ordinary space between words', () => {
    expect(collapseSpaces(' \n Anna\u00A0\u00A0 Maria\u3000Smith \t')).toBe('Anna Maria Smith')
    expect(nameText(100).parse('  Anna \u2003 Maria\n')).toBe('Anna Maria')
  })

  it('refuse a card number', () => {
    expect(nameProblem('Company 4111 1111 1111 1111')).toBe(CARD_NUMBER_MESSAGE)
  })
})

describe('tag and list names', () => {
  it('refuse a semicolon, which separates them in exported and imported files', () => {
    expect(issueOf(tagName.safeParse('Nuts; peanuts'))).toBe('A tag name cannot contain “;”: it separates tags in exported and imported files.')
    expect(issueOf(groupName.safeParse('Friends; family'))).toBe('A list name cannot contain “;”: it separates lists in exported and imported files.')
    expect(tagName.safeParse('Nuts, peanuts')).toEqual({ success: true, data: 'Nuts, peanuts' })
    expect(groupName.safeParse('Friends & family')).toEqual({ success: true, data: 'Friends & family' })
  })
})

describe('free text', () => {
  it('keeps line breaks and tabs, and reads Windows line ends as line breaks', () => {
    expect(normalizeFreeText('one\r\ntwo\rthree\n\tfour')).toBe('one\ntwo\nthree\n\tfour')
    expect(freeTextProblem('one\ntwo\tthree')).toBeNull()
    expect(freeText(100).parse('one\r\ntwo')).toBe('one\ntwo')
  })

  it('allows the marks right-to-left writing needs, and zero-width characters', () => {
    expect(freeTextProblem('سلام \u200F(RTL mark) and a\u200Bb')).toBeNull()
  })

  it.each([
    ['NUL', 'a\u0000b', 'a control character (NUL)'],
    ['escape', 'a\u001Bb', 'a control character (escape)'],
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'U+202E right-to-left override'],
    ['a left-to-right embedding', 'a\u202Ab', 'U+202A left-to-right embedding'],
    ['a right-to-left isolate', 'a\u2067b', 'U+2067 right-to-left isolate'],
  ])('refuses %s', (_what, value, words) => {
    expect(freeTextProblem(value)).toContain(words)
    expect(issueOf(freeText(100).safeParse(value))).toContain(words)
  })

  it('refuses a card number with the payment form’s message', () => {
    expect(issueOf(freeText(100).safeParse('Paid with 4111-1111-1111-1111'))).toBe(CARD_NUMBER_MESSAGE)
  })
})

describe('card numbers', () => {
  it('knows the Luhn check', () => {
    expect(passesLuhn('4111111111111111')).toBe(true)
    expect(passesLuhn('4111111111111112')).toBe(false)
    expect(passesLuhn('41x1')).toBe(false)
  })

  it.each([
    '4111111111111111',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    'card: 4111 1111 1111 1111, thanks',
    'Amex 3782 822463 10005',
    'diners 3056 9309 0259 04',
    '4111 1111 1111 1111 12/27',
    '4111111111111111 123',
    'ref4111111111111111',
    // However the digits are spaced, joined or typed.
    '4111  1111  1111  1111',
    '4111 - 1111 - 1111 - 1111',
    '4111\u200B1111\u200B1111\u200B1111',
    '4111\u00AD1111\u00AD1111\u00AD1111',
    '４１１１ １１１１ １１１１ １１１１',
    '4111\u00A01111\u2009 1111 1111',
  ])('are caught in %j', (value) => {
    expect(containsCardNumber(value)).toBe(true)
  })

  it.each([
    ['a failing checksum', '4111 1111 1111 1112'],
    ['12 digits', '411111111111'],
    ['20 digits', '41111111111111111113'],
    ['a 24-digit reference', '1234 5678 9012 3456 7890 1234'],
    ['a phone number', '+44 7700 900123'],
    ['an international phone number (Luhn-valid digits)', '+86 138 0013 8069'],
    ['an international call prefix (Luhn-valid digits)', '0086 138 0013 8002'],
    ['a date', '2026-12-01'],
    ['a time and date', '2026-12-01 10:30'],
    ['digits broken by dots', '4111.1111.1111.1111'],
  ])('are not seen in %s', (_what, value) => {
    expect(containsCardNumber(value)).toBe(false)
  })

  it('keep the card field’s stricter rule (12 digits, any spacing); free text catches any spacing too', () => {
    expect(cardFieldHoldsCardNumber('4111  1111 1111 1111')).toBe(true)
    expect(containsCardNumber('4111  1111 1111 1111')).toBe(true)
  })
})

describe('searches', () => {
  it('drop control and invisible characters and keep words apart', () => {
    expect(stripInvisible('jo\u200Bhn\u0000 sm\u202Eith\u2028x\ty\uFEFF\u00AD\uD800')).toBe('john smith x y')
    expect(searchText(200).parse(' \u200BZoe\u0308\u0000 ')).toBe('Zoë')
  })

  it('are never refused for their characters', () => {
    expect(searchText(200).safeParse('\u0000\u202E\u200B').success).toBe(true)
  })

  it('name a booking or receipt by its number, the prefix saying it can be nothing else', () => {
    for (const typed of ['B-000123', 'b123', 'R 42', 'r-42', ' 123 ', '42']) expect(looksLikeBookingNumber(typed), typed).toBe(true)
    for (const typed of ['C-000123', 'B-', 'b 12 3', 'smith', '', '1234567890', 'B-1234567890']) expect(looksLikeBookingNumber(typed), typed).toBe(false)
    for (const typed of ['B-000123', 'b123', 'R 42', ' r-42 ']) expect(isPrefixedBookingNumber(typed), typed).toBe(true)
    for (const typed of ['123', '000123', 'C-1', 'B-', 'bx1']) expect(isPrefixedBookingNumber(typed), typed).toBe(false)
  })
})

describe('every typed string', () => {
  it.each([
    ['text', text(100)],
    ['nameText', nameText(100)],
    ['freeText', freeText(100)],
    ['contactText', contactText(100)],
    ['searchText', searchText(100)],
  ])('%s arrives as NFC', (_name, schema) => {
    const decomposed = 'Rene\u0301e Zoe\u0308'
    expect(schema.parse(decomposed)).toBe(decomposed.normalize('NFC'))
  })

  it('emails and phone numbers refuse hidden characters', () => {
    expect(issueOf(contactText(254).safeParse('jo\u200Bhn@example.com'))).toContain('U+200B zero-width space')
    // A member of staff's email as a customer's.
    expect(issueOf(createStaffInput.safeParse({ name: 'Sam', email: 'sam\u200B@example.com', role: 'staff', password: 'long enough passphrase' }))).toContain('U+200B zero-width space')
    expect(issueOf(contactText(40).safeParse('07700\u0000900123'))).toContain('a control character (NUL)')
  })
})

describe('custom text values', () => {
  const textField = { type: 'text' as const, options: [] }
  const refusal = (value: string) => {
    try {
      encodeCustomFieldValue(textField, value)
      return null
    } catch (error) {
      if (error instanceof InvalidCustomFieldValue) return error.message
      throw error
    }
  }

  it('are free text: NFC, and no control characters or card numbers', () => {
    expect(encodeCustomFieldValue(textField, ' pe\u0302che\r\nnoix ')).toBe('pêche\nnoix')
    expect(refusal('a\u0000b')).toContain('a control character (NUL)')
    expect(refusal('a\u202Eb')).toContain('U+202E right-to-left override')
    expect(refusal('4111 1111 1111 1111')).toBe(CARD_NUMBER_MESSAGE)
  })

  it('match a choice typed in another normal form', () => {
    expect(encodeCustomFieldValue({ type: 'choice', options: ['Café', 'Tea'] }, 'Cafe\u0301')).toBe('Café')
  })
})
