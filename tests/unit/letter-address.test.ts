import { describe, expect, it } from 'vitest'
import { countryLine, fitAddressBlock, letterAddressLines, shorten, wrap, type PostalAddress } from '../../main/pdf/address'
import { envelopes } from '../../main/pdf/envelopes'
import { labelCell, labelSheets } from '../../main/pdf/labels'

const who = { displayName: 'Ada Lovelace', company: '' }
const at = (a: Partial<PostalAddress>): PostalAddress => ({ line1: '', line2: '', city: '', region: '', postcode: '', country: '', ...a })

describe('an address as its country writes it', () => {
  it.each([
    ['GB', at({ line1: '10 Downing Street', city: 'London', postcode: 'sw1a 2aa', country: 'GB' }), ['Ada Lovelace', '10 Downing Street', 'LONDON', 'SW1A 2AA']],
    ['IE', at({ line1: '1 Main Street', city: 'Ennis', region: 'Co. Clare', postcode: 'v95 x2y7', country: 'IE' }), ['Ada Lovelace', '1 Main Street', 'Ennis', 'Co. Clare', 'V95 X2Y7']],
    ['US', at({ line1: '1600 Pennsylvania Ave NW', city: 'Washington', region: 'DC', postcode: '20500', country: 'US' }), ['Ada Lovelace', '1600 Pennsylvania Ave NW', 'Washington, DC 20500']],
    ['CA', at({ line1: '24 Sussex Dr', city: 'Ottawa', region: 'ON', postcode: 'k1m 1m4', country: 'CA' }), ['Ada Lovelace', '24 Sussex Dr', 'Ottawa ON  K1M 1M4']],
    ['AU', at({ line1: '1 Macquarie St', city: 'Sydney', region: 'nsw', postcode: '2000', country: 'AU' }), ['Ada Lovelace', '1 Macquarie St', 'SYDNEY NSW 2000']],
    ['DE', at({ line1: 'Unter den Linden 1', city: 'Berlin', postcode: '10117', country: 'DE' }), ['Ada Lovelace', 'Unter den Linden 1', '10117 Berlin']],
    ['FR', at({ line1: '55 rue du Faubourg Saint-Honoré', city: 'Paris', postcode: '75008', country: 'FR' }), ['Ada Lovelace', '55 rue du Faubourg Saint-Honoré', '75008 PARIS']],
    ['PL', at({ line1: 'ul. Wiejska 4', city: 'Warszawa', postcode: '00-902', country: 'PL' }), ['Ada Lovelace', 'ul. Wiejska 4', '00-902 Warszawa']],
    ['NL', at({ line1: 'Binnenhof 1', city: "'s-Gravenhage", postcode: '2513 aa', country: 'NL' }), ['Ada Lovelace', 'Binnenhof 1', "2513 AA  'S-GRAVENHAGE"]],
    ['ES', at({ line1: 'Calle Mayor 1', city: 'Madrid', region: 'Madrid', postcode: '28013', country: 'ES' }), ['Ada Lovelace', 'Calle Mayor 1', '28013 Madrid', 'Madrid']],
    ['IT', at({ line1: 'Via del Corso 1', city: 'Roma', region: 'rm', postcode: '00186', country: 'IT' }), ['Ada Lovelace', 'Via del Corso 1', '00186 Roma RM']],
    ['GR', at({ line1: 'Οδός Ερμού 10', city: 'Αθήνα', postcode: '105 63', country: 'GR' }), ['Ada Lovelace', 'Οδός Ερμού 10', '105 63 Αθήνα']],
    ['elsewhere', at({ line1: 'Bahnhofstrasse 1', city: 'Zürich', postcode: '8001', country: 'CH' }), ['Ada Lovelace', 'Bahnhofstrasse 1', '8001 Zürich']],
  ])('%s', (_country, address, expected) => {
    const lines = letterAddressLines(who, address, address.country)
    expect(lines).toEqual(expected)
  })

  it('puts the company under the name, skips empty parts, and names a foreign country last in capitals', () => {
    const lines = letterAddressLines(
      { displayName: 'Jean Dupont', company: 'Dupont SARL' },
      at({ line1: '3 place Bellecour', line2: '  ', city: 'Lyon', postcode: '69002', country: 'FR' }),
      'GB',
    )
    expect(lines).toEqual(['Jean Dupont', 'Dupont SARL', '3 place Bellecour', '69002 LYON', 'FRANCE'])
  })

  it('writes the country in the sender’s language, and leaves it off at home or when not given', () => {
    expect(countryLine('GB', 'DE')).toBe('VEREINIGTES KÖNIGREICH')
    expect(countryLine('DE', 'GR')).toBe('ΓΕΡΜΑΝΙΑ')
    expect(letterAddressLines(who, at({ line1: '1 High St', city: 'Bath', postcode: 'BA1 1AA' }), 'GB')).toEqual(['Ada Lovelace', '1 High St', 'BATH', 'BA1 1AA'])
  })
})

describe('fitting an address block', () => {
  // A stand-in for the font: every character 0.5 em wide.
  const measure = (text: string, sizePt: number) => [...text].length * sizePt * 0.5 * (25.4 / 72)

  it('keeps the largest size when everything fits', () => {
    const block = fitAddressBlock(['Ada Lovelace', '1 High St', 'BATH', 'BA1 1AA'], { width: 76, height: 36 }, measure)
    expect(block.sizePt).toBe(10)
    expect(block.lines).toHaveLength(4)
  })

  it('wraps a long line at spaces, then goes smaller, then shortens with an ellipsis', () => {
    const long = 'Flat 12, The Old Rectory, Long Lane Industrial Estate North'
    const block = fitAddressBlock(['Ada Lovelace', long, 'BATH', 'BA1 1AA'], { width: 76, height: 36 }, measure)
    expect(block.lines.join(' ')).toBe(`Ada Lovelace ${long} BATH BA1 1AA`)
    expect(block.lines.every((l) => measure(l, block.sizePt) <= 76)).toBe(true)
    const tight = fitAddressBlock(['Ada', 'x'.repeat(80), 'BATH', 'BA1 1AA', 'UNITED KINGDOM', 'one', 'two', 'three'], { width: 40, height: 20 }, measure)
    expect(tight.sizePt).toBe(8)
    expect(tight.lines.some((l) => l.endsWith('…'))).toBe(true)
    expect(tight.lines.at(-1)).toBe('three')
    expect(tight.lines.every((l) => measure(l, 8) <= 40)).toBe(true)
  })

  it('wrap and shorten keep words whole and text in order', () => {
    const m = (t: string) => t.length
    expect(wrap('one two three four', 9, m)).toEqual(['one two', 'three', 'four'])
    expect(shorten('abcdefghij', 5, m)).toBe('abcd…')
  })
})

describe('envelope windows on the A4 sheet', () => {
  it('DL: the DIN 680 window (90 × 45 mm, 20 mm from the left, 15 mm from the bottom) over a Form B field', () => {
    const dl = envelopes.dl
    expect(dl.window).toEqual({ x: 20, y: 50, width: 90, height: 45 })
    // Sheet slides 10 mm sideways and 5 mm up or down in the envelope; 2 mm kept clear of the window's edge.
    expect(dl.safeArea).toEqual({ x: 22, y: 52, width: 76, height: 36 })
  })

  it('C5: the window over a sheet folded once, which slides further', () => {
    const c5 = envelopes.c5
    expect(c5.safeArea.x).toBeCloseTo(22)
    expect(c5.safeArea.y).toBeCloseTo(60)
    expect(c5.safeArea.width).toBeCloseTo(67)
    expect(c5.safeArea.height).toBeCloseTo(27.5)
  })

  it('every point of the safe area shows through the window wherever the sheet sits', () => {
    for (const e of Object.values(envelopes)) {
      const playX = e.width - 210
      const playY = e.height - e.panelHeight
      for (const [h, s] of [[0, 0], [playX, playY], [0, playY], [playX, 0]] as const) {
        const { x, y, width, height } = e.safeArea
        expect(x + h).toBeGreaterThanOrEqual(e.window.x)
        expect(y + s).toBeGreaterThanOrEqual(e.window.y)
        expect(x + width + h).toBeLessThanOrEqual(e.window.x + e.window.width)
        expect(y + height + s).toBeLessThanOrEqual(e.window.y + e.window.height)
      }
    }
  })
})

describe('label sheets', () => {
  it.each(Object.values(labelSheets))('$kind adds up to its page', (sheet) => {
    const across = 2 * sheet.left + sheet.columns * sheet.labelWidth + (sheet.columns - 1) * (sheet.pitchX - sheet.labelWidth)
    const down = 2 * sheet.top + sheet.rows * sheet.labelHeight + (sheet.rows - 1) * (sheet.pitchY - sheet.labelHeight)
    expect(across).toBeCloseTo(sheet.pageWidth, 1)
    expect(down).toBeCloseTo(sheet.pageHeight, 1)
  })

  it('fills row by row from the starting label, onto new sheets', () => {
    const sheet = labelSheets['a4-3x7']
    expect(labelCell(sheet, 0)).toMatchObject({ page: 0, row: 0, column: 0, x: 7.25, y: 15.15 })
    expect(labelCell(sheet, 0, 5)).toMatchObject({ page: 0, row: 1, column: 1 })
    expect(labelCell(sheet, 16, 5)).toMatchObject({ page: 0, row: 6, column: 2 })
    expect(labelCell(sheet, 17, 5)).toMatchObject({ page: 1, row: 0, column: 0 })
  })
})
