import { describe, expect, it } from 'vitest'
import { AmountError, parseMinor, parseMinorIn } from '../../renderer/src/services/money'

describe('parseMinor: typed amounts to integer minor units without floating point', () => {
  it('reads plain amounts', () => {
    expect(parseMinor('12.50')).toBe(1250)
    expect(parseMinor('12.5')).toBe(1250)
    expect(parseMinor('12')).toBe(1200)
    expect(parseMinor('12.')).toBe(1200)
    expect(parseMinor('.5')).toBe(50)
    expect(parseMinor('0')).toBe(0)
    expect(parseMinor('0.01')).toBe(1)
    expect(parseMinor('007.10')).toBe(710)
  })

  it('is exact where floating point is not', () => {
    // 0.29 * 100 = 28.999999999999996 and 1.005 * 100 = 100.49999999999999 in floating point.
    expect(parseMinor('0.29')).toBe(29)
    expect(parseMinor('4.35')).toBe(435)
    expect(parseMinor('1.10')).toBe(110)
    expect(parseMinor('19.99')).toBe(1999)
  })

  it('accepts a currency symbol, spaces and thousands commas', () => {
    expect(parseMinor(' £12.50 ')).toBe(1250)
    expect(parseMinor('€ 3')).toBe(300)
    expect(parseMinor('GBP 4.20')).toBe(420)
    expect(parseMinor('1,234.56')).toBe(123456)
    expect(parseMinor('1,000,000')).toBe(100000000)
  })

  it('follows the currency’s number of decimals', () => {
    expect(parseMinor('1200', 0)).toBe(1200)
    expect(parseMinorIn('12.50', 'GBP')).toBe(1250)
    expect(parseMinorIn('1200', 'JPY')).toBe(1200)
    expect(() => parseMinorIn('12.5', 'JPY')).toThrow('This currency has no decimals.')
  })

  it('refuses what is not an amount, saying why', () => {
    expect(() => parseMinor('')).toThrow(new AmountError('Enter an amount.'))
    expect(() => parseMinor('   ')).toThrow('Enter an amount.')
    expect(() => parseMinor('-5')).toThrow('Amounts cannot be negative.')
    expect(() => parseMinor('12.505')).toThrow('At most 2 decimals, e.g. 12.50.')
    expect(() => parseMinor('12,5')).toThrow('Enter an amount like 12.50.')
    expect(() => parseMinor('1.2.3')).toThrow('Enter an amount like 12.50.')
    expect(() => parseMinor('abc')).toThrow('Enter an amount like 12.50.')
    expect(() => parseMinor('.')).toThrow('Enter an amount like 12.50.')
    expect(() => parseMinor('1e3')).toThrow('Enter an amount like 12.50.')
    expect(() => parseMinor('12345678901')).toThrow('That amount is too large.')
  })

  it('always returns a safe integer', () => {
    for (const text of ['0.07', '999999999.99', '123.4', '5']) {
      expect(Number.isSafeInteger(parseMinor(text))).toBe(true)
    }
  })
})
