import { describe, expect, it } from 'vitest'
import { priceLine, type CustomerTax } from '../../main/services/tax'
import { basisPointsToPercent, percentToBasisPoints } from '../../renderer/src/services/taxRates'
import { notOfferedReason } from '../../renderer/src/components/bookings/offered'
import type { CatalogueItem, PriceOption } from '../../preload/contract'

/* Expected figures are worked out by hand in the comments, not with the functions under test. */

const rates = [
  { name: 'Standard', rateBp: 2000 },
  { name: 'Reduced', rateBp: 500 },
]
const including = { pricesIncludeTax: true, taxRates: rates }
const excluding = { pricesIncludeTax: false, taxRates: rates }
const standard: CustomerTax = { status: 'standard', rateBp: null }
const exempt: CustomerTax = { status: 'exempt', rateBp: null }
const special = (rateBp: number): CustomerTax => ({ status: 'special', rateBp })

describe('priceLine, prices including tax', () => {
  it('a standard customer pays the listed price; the tax is the part of it at the item’s rate', () => {
    // 12.00 at 20%: 1200 × 20/120 = 200 exactly.
    expect(priceLine(including, standard, { unitMinor: 1200, quantity: 1, itemRateBp: null })).toEqual({ totalMinor: 1200, taxMinor: 200, taxRateBp: 2000 })
    // 3 × 12.50 = 37.50 at 20%: 3750 / 6 = 625.
    expect(priceLine(including, standard, { unitMinor: 1250, quantity: 3, itemRateBp: null })).toEqual({ totalMinor: 3750, taxMinor: 625, taxRateBp: 2000 })
    // 45.00 at the item's 5%: 4500 × 5/105 = 214.2857… → 214.
    expect(priceLine(including, standard, { unitMinor: 4500, quantity: 1, itemRateBp: 500 })).toEqual({ totalMinor: 4500, taxMinor: 214, taxRateBp: 500 })
  })

  it('rounds the whole line once, not each unit', () => {
    // One 0.99 at 20%: 99/6 = 16.5 → 17. Three of them: 297/6 = 49.5 → 50 (three units rounded apiece would be 51).
    expect(priceLine(including, standard, { unitMinor: 99, quantity: 1, itemRateBp: null }).taxMinor).toBe(17)
    expect(priceLine(including, standard, { unitMinor: 99, quantity: 3, itemRateBp: null }).taxMinor).toBe(50)
  })

  it('an exempt customer pays the net part only', () => {
    // 25.00 at 20%: tax 416.67 → 417, net 2083.
    expect(priceLine(including, exempt, { unitMinor: 1250, quantity: 2, itemRateBp: null })).toEqual({ totalMinor: 2083, taxMinor: 0, taxRateBp: 0 })
  })

  it('a special-rate customer pays the net part plus their own rate', () => {
    // Net 2083 (as above) + 12.5% = 260.375 → 260.
    expect(priceLine(including, special(1250), { unitMinor: 1250, quantity: 2, itemRateBp: null })).toEqual({
      totalMinor: 2343,
      taxMinor: 260,
      taxRateBp: 1250,
    })
    // A special rate equal to the item's: exactly the listed price.
    expect(priceLine(including, special(500), { unitMinor: 4500, quantity: 1, itemRateBp: 500 })).toEqual({ totalMinor: 4500, taxMinor: 214, taxRateBp: 500 })
    // A special rate of 0%: the net part, at 0%.
    expect(priceLine(including, special(0), { unitMinor: 1200, quantity: 1, itemRateBp: null })).toEqual({ totalMinor: 1000, taxMinor: 0, taxRateBp: 0 })
  })
})

describe('priceLine, prices excluding tax', () => {
  it('adds tax at the item’s rate for a standard customer', () => {
    // 10.00 + 20% = 2.00; 45.00 + 5% = 2.25.
    expect(priceLine(excluding, standard, { unitMinor: 1000, quantity: 1, itemRateBp: null })).toEqual({ totalMinor: 1200, taxMinor: 200, taxRateBp: 2000 })
    expect(priceLine(excluding, standard, { unitMinor: 4500, quantity: 1, itemRateBp: 500 })).toEqual({ totalMinor: 4725, taxMinor: 225, taxRateBp: 500 })
  })

  it('adds nothing for an exempt customer and the customer’s rate for a special one', () => {
    expect(priceLine(excluding, exempt, { unitMinor: 1000, quantity: 2, itemRateBp: null })).toEqual({ totalMinor: 2000, taxMinor: 0, taxRateBp: 0 })
    // 20.00 at 7.5% = 1.50.
    expect(priceLine(excluding, special(750), { unitMinor: 1000, quantity: 2, itemRateBp: 500 })).toEqual({ totalMinor: 2150, taxMinor: 150, taxRateBp: 750 })
  })
})

describe('rounding halves away from zero', () => {
  it('rounds a tax of exactly half a minor unit up', () => {
    // 0.04 at 12.5% = 0.5 → 1 (banker's rounding would give 0); 0.12 at 12.5% = 1.5 → 2; 0.20 at 12.5% = 2.5 → 3.
    const at125 = { pricesIncludeTax: false, taxRates: [{ name: 'Odd', rateBp: 1250 }] }
    expect(priceLine(at125, standard, { unitMinor: 4, quantity: 1, itemRateBp: null }).taxMinor).toBe(1)
    expect(priceLine(at125, standard, { unitMinor: 12, quantity: 1, itemRateBp: null }).taxMinor).toBe(2)
    expect(priceLine(at125, standard, { unitMinor: 20, quantity: 1, itemRateBp: null }).taxMinor).toBe(3)
    // Included at 100%: 0.01 holds 0.005 of tax → 1 (the customer still pays 0.01).
    const at100 = { pricesIncludeTax: true, taxRates: [{ name: 'All', rateBp: 10000 }] }
    expect(priceLine(at100, standard, { unitMinor: 1, quantity: 1, itemRateBp: null })).toEqual({ totalMinor: 1, taxMinor: 1, taxRateBp: 10000 })
    expect(priceLine(at100, standard, { unitMinor: 3, quantity: 1, itemRateBp: null }).taxMinor).toBe(2)
  })

  it('stays exact on large amounts (no floating point)', () => {
    // 9,999,999.99 × 3 = 2,999,999,997 minor units at 20% included: / 6 = 499,999,999.5 → 500,000,000.
    expect(priceLine(including, standard, { unitMinor: 999_999_999, quantity: 3, itemRateBp: null }).taxMinor).toBe(500_000_000)
  })
})

describe('no rates in Settings', () => {
  it('charges no tax at all, whoever the customer', () => {
    const none = { pricesIncludeTax: true, taxRates: [] }
    for (const customer of [standard, exempt, special(1000)]) {
      expect(priceLine(none, customer, { unitMinor: 1250, quantity: 2, itemRateBp: null })).toEqual({ totalMinor: 2500, taxMinor: 0, taxRateBp: 0 })
    }
  })
})

describe('an invoice of several rates adds up from its lines', () => {
  it('sums the lines’ tax per rate, and net + tax = gross', () => {
    const lines = [
      priceLine(including, standard, { unitMinor: 1250, quantity: 2, itemRateBp: null }),
      priceLine(including, standard, { unitMinor: 4500, quantity: 1, itemRateBp: 500 }),
      priceLine(including, standard, { unitMinor: 99, quantity: 3, itemRateBp: null }),
    ]
    const perRate = new Map<number, number>()
    for (const l of lines) perRate.set(l.taxRateBp, (perRate.get(l.taxRateBp) ?? 0) + l.taxMinor)
    // 20%: 417 + 50; 5%: 214.
    expect(Object.fromEntries(perRate)).toEqual({ 2000: 467, 500: 214 })
    expect(lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(2500 + 4500 + 297)
  })
})

describe('tax rates typed as percentages', () => {
  it('reads percentages into basis points without floating point and back', () => {
    expect(percentToBasisPoints('20')).toBe(2000)
    expect(percentToBasisPoints('12.5')).toBe(1250)
    expect(percentToBasisPoints('0.29')).toBe(29)
    expect(percentToBasisPoints('7,5 %')).toBe(750)
    expect(percentToBasisPoints('100')).toBe(10000)
    for (const bad of ['', 'abc', '100.01', '12.345', '-5']) expect(percentToBasisPoints(bad)).toBeNull()
    expect(basisPointsToPercent(1250)).toBe('12.5')
    expect(basisPointsToPercent(2000)).toBe('20')
    expect(basisPointsToPercent(29)).toBe('0.29')
  })
})

describe('what New booking offers a customer', () => {
  const members = { id: 1, name: 'Members' }
  const staff = { id: 2, name: 'Staff' }
  const option = (groups: PriceOption['groups']) => ({ id: 9, name: 'Members', groups }) as PriceOption
  const item = (groups: CatalogueItem['groups']) => ({ id: 3, name: 'Yoga', groups }) as CatalogueItem

  it('offers everything to anyone when nothing is limited, and anything before the customer is known', () => {
    expect(notOfferedReason(item([]), option([]), { name: 'Ann Smith', groupIds: [] })).toBeNull()
    expect(notOfferedReason(item([members]), option([members]), null)).toBeNull()
  })

  it('says why a price or an item is not offered, and offers it to a customer in any of its groups', () => {
    const ann = { name: 'Ann Smith', groupIds: [] }
    expect(notOfferedReason(item([]), option([members]), ann)).toBe('Members only — Ann Smith is not in Members')
    expect(notOfferedReason(item([members, staff]), null, ann)).toBe('Members or Staff only — Ann Smith is not in any of them')
    expect(notOfferedReason(item([members, staff]), option([members]), { name: 'Bob', groupIds: [1] })).toBeNull()
    expect(notOfferedReason(item([members, staff]), option([members]), { name: 'Sue', groupIds: [2] })).toBe('Members only — Sue is not in Members')
  })
})
