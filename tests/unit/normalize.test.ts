import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { deriveDisplayName, foldForSort, formatCustomerNumber, InvalidPhone, normalizeEmail, normalizePhone } from '../../main/services/customers/normalize'
import { isPlausibleEmail } from '../../preload/contract'

describe('customer normalisation', () => {
  it('formats customer numbers', () => {
    expect(formatCustomerNumber(123)).toBe('C-000123')
    expect(formatCustomerNumber(12345678)).toBe('C-12345678')
  })

  it('folds accents and case for sorting, and emails for comparison', () => {
    expect(foldForSort('Zoë Ångström')).toBe('zoe angstrom')
    expect(normalizeEmail('  Zoë@Example.COM ')).toBe('zoë@example.com')
  })

  it('derives a display name from what there is', () => {
    expect(deriveDisplayName({ firstName: 'Ann', lastName: 'Lee', company: 'X', email: '' })).toBe('Ann Lee')
    expect(deriveDisplayName({ firstName: '', lastName: '', company: 'Acme', email: '' })).toBe('Acme')
  })

  it('stores every digit form a caller might quote', () => {
    // 07700 900xxx is the range set aside for drama: no mobile network's, possible but never given out.
    expect(normalizePhone('07700 900123', 'GB')).toEqual({
      e164: '+447700900123',
      international: '+44 7700 900123',
      searchDigits: '07700900123 447700900123',
      mobile: false,
      valid: false,
      whole: true,
    })
    expect(normalizePhone('07400 123456', 'GB')).toMatchObject({ mobile: true, valid: true, whole: true })
    // The first digits of a number being typed in: possible, but more digits may follow.
    expect(normalizePhone('07700 900', 'GB')).toMatchObject({ valid: false, whole: false })
    expect(normalizePhone('+1 202-555-0143 ext. 12', 'GB').whole).toBe(true)
    expect(normalizePhone('020 7946 0018', 'GB').mobile).toBe(false)
    expect(normalizePhone('+1 202-555-0143 ext. 12', 'GB').e164).toBe('+12025550143')
    expect(normalizePhone('+1 202-555-0143 ext. 12', 'GB').searchDigits).not.toContain('12025550143' + '12')
  })

  it.each(['call me', '12', '+44', '07700 900123; DROP', '💥'])('refuses %j', (value) => {
    expect(() => normalizePhone(value, 'GB')).toThrow(InvalidPhone)
  })
})

describe('email validation against a public corpus (isemail)', () => {
  const corpus = JSON.parse(readFileSync(new URL('../../../shared/corpora/email/isemail-tests.json', import.meta.url), 'utf8')) as Array<
    [string, string]
  >

  it('never throws, and refuses every address the corpus calls an error', () => {
    const accepted = corpus.filter(([address, verdict]) => verdict.startsWith('err') && isPlausibleEmail(address)).map(([a]) => a)
    expect(accepted).toEqual([])
  })

  it('accepts every valid address except bare top-level domains', () => {
    const refused = corpus.filter(([address, verdict]) => verdict === 'valid' && !isPlausibleEmail(address)).map(([a]) => a)
    expect(refused).toEqual(['test@io', 'test@org'])
  })
})
