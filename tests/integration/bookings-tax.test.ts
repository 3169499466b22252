import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'

/*
 * Tax on bookings for standard, exempt and special-rate customers, with the
 * figures worked out by hand below (not with the app's tax functions), and
 * each invoice checked against sums of the raw booking_lines rows.
 *
 * Rates: Standard 20%, Reduced 5%. Yoga (£12.50 Adult) at the standard rate,
 * Massage (£45.00) at the reduced rate.
 */
const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue

beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  await app.invoke('settings:update', {
    pricesIncludeTax: true,
    taxRates: [
      { name: 'Standard', rateBp: 2000 },
      { name: 'Reduced', rateBp: 500 },
    ],
  })
  const massage = (await app.invoke('catalogue:list', undefined)).find((i) => i.id === cat.massage.itemId)!
  await app.invoke('catalogue:saveItem', {
    id: massage.id,
    kind: massage.kind,
    name: massage.name,
    taxRateBp: 500,
    priceOptions: massage.priceOptions.map((o) => ({ id: o.id, name: o.name, amountMinor: o.amountMinor, currency: o.currency })),
  })
})
afterEach(async () => {
  await app.cleanup()
})

async function customer(firstName: string, tax: { taxStatus: 'standard' | 'exempt' | 'special'; specialRate?: string } = { taxStatus: 'standard' }) {
  const { id } = await app.invoke('customers:create', { firstName, lastName: 'Test', email: `${firstName.toLowerCase()}@example.com` })
  if (tax.taxStatus !== 'standard') await app.invoke('customers:setTax', { id, taxStatus: tax.taxStatus, specialRate: tax.specialRate ?? '' })
  return id
}

/** Two Adult yoga places and one massage. */
const bookBoth = (customerId: number) =>
  app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [
      { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 },
      { sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId, quantity: 1 },
    ],
  })

interface RawLine {
  booking_id: number
  total_minor: number
  tax_minor: number
  tax_rate_bp: number
}

/** The invoice's figures straight from the stored lines: net, tax per rate, gross. */
async function fromRows(bookingId: number) {
  const rows = (await app.db('booking_lines').where({ booking_id: bookingId }).orderBy('id').select('booking_id', 'total_minor', 'tax_minor', 'tax_rate_bp')) as RawLine[]
  const perRate = new Map<number, { net: number; tax: number }>()
  for (const r of rows) {
    const entry = perRate.get(r.tax_rate_bp) ?? { net: 0, tax: 0 }
    entry.net += r.total_minor - r.tax_minor
    entry.tax += r.tax_minor
    perRate.set(r.tax_rate_bp, entry)
  }
  const gross = rows.reduce((s, r) => s + r.total_minor, 0)
  const tax = rows.reduce((s, r) => s + r.tax_minor, 0)
  return { rows, gross, tax, net: gross - tax, perRate }
}

async function invoiceOf(customerId: number, bookingId: number) {
  const { invoices } = await app.invoke('customers:invoices', { customerId })
  return invoices.find((i) => i.bookingId === bookingId)!
}

async function expectInvoiceMatchesRows(customerId: number, bookingId: number) {
  const invoice = await invoiceOf(customerId, bookingId)
  const raw = await fromRows(bookingId)
  expect(invoice.totalMinor).toBe(raw.gross)
  expect(invoice.taxMinor).toBe(raw.tax)
  expect(invoice.netMinor).toBe(raw.net)
  expect(invoice.netMinor + invoice.taxMinor).toBe(invoice.totalMinor)
  expect(new Map(invoice.taxes.map((t) => [t.rateBp, { net: t.netMinor, tax: t.taxMinor }]))).toEqual(raw.perRate)
  expect(invoice.lines.map((l) => l.netMinor + l.taxMinor)).toEqual(raw.rows.map((r) => r.total_minor))
  return invoice
}

describe('tax on booking lines (prices include tax)', () => {
  it('a standard customer pays the listed prices; the tax is the part of them at each item’s rate', async () => {
    const id = await customer('Stan')
    const { booking } = await bookBoth(id)
    // Yoga 2 × 12.50 = 25.00 at 20%: 2500 × 20/120 = 416.67 → 417. Massage 45.00 at 5%: 4500 × 5/105 = 214.29 → 214.
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp])).toEqual([
      [2500, 417, 2000],
      [4500, 214, 500],
    ])
    expect(booking.totalMinor).toBe(2 * P.yogaAdult + P.massage)
    const invoice = await expectInvoiceMatchesRows(id, booking.id)
    expect(invoice).toMatchObject({ netMinor: 2083 + 4286, taxMinor: 417 + 214, totalMinor: 7000 })
    expect(invoice.taxes).toEqual([
      { rateBp: 2000, netMinor: 2083, taxMinor: 417 },
      { rateBp: 500, netMinor: 4286, taxMinor: 214 },
    ])
  })

  it('an exempt customer pays the net part only, with no tax', async () => {
    const id = await customer('Esme', { taxStatus: 'exempt' })
    const { booking } = await bookBoth(id)
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp])).toEqual([
      [2083, 0, 0],
      [4286, 0, 0],
    ])
    expect(booking.totalMinor).toBe(6369)
    expect(booking.outstandingMinor).toBe(6369)
    const invoice = await expectInvoiceMatchesRows(id, booking.id)
    expect(invoice.taxes).toEqual([{ rateBp: 0, netMinor: 6369, taxMinor: 0 }])
  })

  it('a special-rate customer pays the net part plus tax at their own rate', async () => {
    const id = await customer('Spec', { taxStatus: 'special', specialRate: '12.5' })
    const { booking } = await bookBoth(id)
    // Nets as above; 2083 × 12.5% = 260.375 → 260; 4286 × 12.5% = 535.75 → 536.
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp])).toEqual([
      [2083 + 260, 260, 1250],
      [4286 + 536, 536, 1250],
    ])
    const invoice = await expectInvoiceMatchesRows(id, booking.id)
    expect(invoice.taxes).toEqual([{ rateBp: 1250, netMinor: 2083 + 4286, taxMinor: 796 }])
    expect(invoice.totalMinor).toBe(2083 + 4286 + 796)
  })

  it('with prices excluding tax, the listed price is the net and tax is added', async () => {
    await app.invoke('settings:update', { pricesIncludeTax: false })
    const id = await customer('Xena')
    const { booking } = await bookBoth(id)
    // 2500 + 20% = 500; 4500 + 5% = 225.
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp])).toEqual([
      [3000, 500, 2000],
      [4725, 225, 500],
    ])
    const invoice = await expectInvoiceMatchesRows(id, booking.id)
    expect(invoice).toMatchObject({ netMinor: 7000, taxMinor: 725, totalMinor: 7725 })
  })

  it('with no rates in Settings nobody is charged tax', async () => {
    await app.invoke('settings:update', { taxRates: [] })
    const id = await customer('Nora', { taxStatus: 'special', specialRate: '10' })
    const { booking } = await bookBoth(id)
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor])).toEqual([
      [2500, 0],
      [4500, 0],
    ])
  })

  it('a pass-covered line is free with no tax', async () => {
    const id = await customer('Pat')
    // A pass as the plans' own tests leave it: active, ten credits, valid now.
    const sold = (await app.db('customer_plans')
      .insert({ customer_id: id, kind: 'pass', name: '10 classes', status: 'active', valid_from: '2026-01-01', credits_total: 10, amount_minor: 9000, currency: 'GBP', sold_at: NOW.toISOString() })
      .returning('id')) as Array<{ id: number }>
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
      passId: sold[0]!.id,
    })
    expect(booking.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp, l.coveredByPass])).toEqual([[0, 0, 0, true]])
    await expectInvoiceMatchesRows(id, booking.id)
  })

  it('a transfer re-prices the line for the customer, keeping invoice and balance exact', async () => {
    const id = await customer('Tess', { taxStatus: 'exempt' })
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
      payment: { amountMinor: 2083, method: 'card' },
    })
    expect(booking.outstandingMinor).toBe(0)
    const quote = await app.invoke('bookings:previewTransfer', {
      bookingId: booking.id,
      lineId: booking.lines[0]!.id,
      sessionId: cat.yoga.sessionId,
      priceOptionId: cat.yoga.concessionOptionId,
    })
    // Concession 2 × 8.00 = 16.00 incl. 20%: tax 266.67 → 267, exempt pays 1333.
    expect(quote).toMatchObject({ newTotalMinor: 1333, differenceMinor: 1333 - 2083, outstandingAfterMinor: 1333 - 2083 })
    const { booking: after } = await app.invoke('bookings:transfer', {
      bookingId: booking.id,
      lineId: booking.lines[0]!.id,
      sessionId: cat.yoga.sessionId,
      priceOptionId: cat.yoga.concessionOptionId,
    })
    expect(after.lines.map((l) => [l.totalMinor, l.taxMinor, l.taxRateBp])).toEqual([[1333, 0, 0]])
    expect(after.totalMinor).toBe(1333)
    await expectInvoiceMatchesRows(id, booking.id)
  })
})

describe('the quote New booking shows', () => {
  it('prices the lines for the chosen customer, or as standard for a new caller, like the booking will', async () => {
    const esme = await customer('Esme', { taxStatus: 'exempt' })
    const lines = [
      { priceOptionId: cat.yoga.adultOptionId, quantity: 2 },
      { priceOptionId: cat.massage.optionId, quantity: 1 },
    ]
    const caller = await app.invoke('bookings:quote', { customerId: null, lines })
    expect(caller).toMatchObject({ currency: 'GBP', netMinor: 2083 + 4286, taxMinor: 417 + 214, totalMinor: 7000 })
    expect(caller.taxes).toEqual([
      { rateBp: 2000, netMinor: 2083, taxMinor: 417 },
      { rateBp: 500, netMinor: 4286, taxMinor: 214 },
    ])
    const exempt = await app.invoke('bookings:quote', { customerId: esme, lines })
    expect(exempt.totalMinor).toBe(6369)
    const { booking } = await bookBoth(esme)
    expect(booking.totalMinor).toBe(exempt.totalMinor)
  })
})

describe('groups that gate booking', () => {
  async function membersSetup() {
    const members = await app.invoke('groups:create', { name: 'Members' })
    const staff = await app.invoke('groups:create', { name: 'Staff' })
    const yoga = (await app.invoke('catalogue:list', undefined)).find((i) => i.id === cat.yoga.itemId)!
    const saved = await app.invoke('catalogue:saveItem', {
      id: yoga.id,
      kind: yoga.kind,
      name: yoga.name,
      priceOptions: [
        ...yoga.priceOptions.map((o) => ({ id: o.id, name: o.name, amountMinor: o.amountMinor, currency: o.currency })),
        { name: 'Members', amountMinor: 800, currency: 'GBP', groupIds: [members.id] },
      ],
    })
    const membersOption = saved.priceOptions.find((o) => o.name === 'Members')!
    expect(membersOption.groups).toEqual([{ id: members.id, name: 'Members' }])
    return { members, staff, membersOptionId: membersOption.id }
  }

  it('refuses a members’ price to a customer outside the group, naming it, and takes it from a member', async () => {
    const { members, membersOptionId } = await membersSetup()
    const ann = await customer('Ann')
    const line = { sessionId: cat.yoga.sessionId, priceOptionId: membersOptionId, quantity: 1 }
    const refused = await app.call('bookings:create', { customer: { kind: 'existing', id: ann }, lines: [line] })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.error.code).toBe('VALIDATION')
    expect(refused.error.message).toBe('The price “Members” of Yoga Flow is only for customers in Members; Ann Test is not in Members.')
    expect(refused.error.fields).toHaveProperty(['lines.0.priceOptionId'])
    expect(await app.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 0 })

    await app.invoke('customers:addToGroup', { customerId: ann, groupId: members.id })
    const { booking } = await app.invoke('bookings:create', { customer: { kind: 'existing', id: ann }, lines: [line] })
    expect(booking.lines[0]).toMatchObject({ priceOptionName: 'Members', unitMinor: 800, totalMinor: 800 })
  })

  it('a new caller is in no group, so is refused and not created', async () => {
    const { membersOptionId } = await membersSetup()
    const refused = await app.call('bookings:create', {
      customer: { kind: 'caller', firstName: 'New', lastName: 'Caller', email: 'new@example.com', phone: '' },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: membersOptionId, quantity: 1 }],
    })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toContain('only for customers in Members; New Caller is not in Members.')
    expect(await app.db('customers').where({ email: 'new@example.com' }).first()).toBeUndefined()
  })

  it('an item limited to several groups takes a customer in any of them and refuses others', async () => {
    const { members, staff } = await membersSetup()
    const pottery = (await app.invoke('catalogue:list', undefined)).find((i) => i.id === cat.pottery.itemId)!
    const saved = await app.invoke('catalogue:saveItem', {
      id: pottery.id,
      kind: pottery.kind,
      name: pottery.name,
      groupIds: [members.id, staff.id],
      priceOptions: pottery.priceOptions.map((o) => ({ id: o.id, name: o.name, amountMinor: o.amountMinor, currency: o.currency })),
    })
    expect(saved.groups.map((g) => g.name)).toEqual(['Members', 'Staff'])
    const bob = await customer('Bob')
    const line = { sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }
    const refused = await app.call('bookings:create', { customer: { kind: 'existing', id: bob }, lines: [line] })
    expect(!refused.ok && refused.error.message).toBe('Pottery taster is only for customers in Members or Staff; Bob Test is not in any of them.')
    await app.invoke('customers:addToGroup', { customerId: bob, groupId: staff.id })
    const { booking } = await app.invoke('bookings:create', { customer: { kind: 'existing', id: bob }, lines: [line] })
    expect(booking.totalMinor).toBe(P.pottery)
  })

  it('a transfer to a members’ price is refused for a non-member and allowed for a member', async () => {
    const { members, membersOptionId } = await membersSetup()
    const cy = await customer('Cy')
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: cy },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
    })
    const move = { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.yoga.sessionId, priceOptionId: membersOptionId }
    const refused = await app.call('bookings:transfer', move)
    expect(!refused.ok && refused.error.message).toBe('The price “Members” of Yoga Flow is only for customers in Members; Cy Test is not in Members.')
    expect((await app.invoke('bookings:get', { id: booking.id })).lines[0]!.priceOptionId).toBe(cat.yoga.adultOptionId)
    await app.invoke('customers:addToGroup', { customerId: cy, groupId: members.id })
    const { booking: after } = await app.invoke('bookings:transfer', move)
    expect(after.lines[0]).toMatchObject({ priceOptionId: membersOptionId, totalMinor: 800 })
  })
})

describe('catalogue item fields', () => {
  it('keeps, changes and clears an item’s and a price’s groups, and deletes an unbooked item with them', async () => {
    const members = await app.invoke('groups:create', { name: 'Members' })
    const staff = await app.invoke('groups:create', { name: 'Staff' })
    const made = await app.invoke('catalogue:saveItem', {
      kind: 'class',
      name: 'Members’ swim',
      groupIds: [staff.id, members.id, members.id],
      priceOptions: [
        { name: 'Members', amountMinor: 500, currency: 'GBP', groupIds: [members.id] },
        { name: 'Guest', amountMinor: 900, currency: 'GBP' },
      ],
    })
    expect(made.groups.map((g) => g.name)).toEqual(['Members', 'Staff'])
    expect(made.priceOptions.map((o) => [o.name, o.groups.map((g) => g.name)])).toEqual([
      ['Members', ['Members']],
      ['Guest', []],
    ])
    const edited = await app.invoke('catalogue:saveItem', {
      id: made.id,
      kind: 'class',
      name: made.name,
      groupIds: [],
      priceOptions: made.priceOptions.map((o) => ({ id: o.id, name: o.name, amountMinor: o.amountMinor, currency: o.currency, groupIds: o.name === 'Guest' ? [staff.id] : [] })),
    })
    expect(edited.groups).toEqual([])
    expect(edited.priceOptions.map((o) => [o.name, o.groups.map((g) => g.name)])).toEqual([
      ['Members', []],
      ['Guest', ['Staff']],
    ])
    const gone = await app.call('catalogue:saveItem', { kind: 'class', name: 'Ghost', groupIds: [9999], priceOptions: [{ name: 'A', amountMinor: 1, currency: 'GBP' }] })
    expect(!gone.ok && gone.error.fields).toEqual({ groupIds: 'One of the chosen groups no longer exists; reload and choose again.' })
    await app.invoke('catalogue:deleteItem', { id: made.id })
    expect(await app.db('price_option_groups').count({ n: '*' }).first()).toMatchObject({ n: 0 })
    expect(await app.db('catalogue_item_groups').count({ n: '*' }).first()).toMatchObject({ n: 0 })
  })

  it('keeps the tax rate, "at the customer’s address" for appointments only, and refuses a rate not in Settings', async () => {
    const items = await app.invoke('catalogue:list', undefined)
    expect(items.find((i) => i.id === cat.massage.itemId)).toMatchObject({ taxRateBp: 500, atCustomerAddress: false, groups: [] })
    const home = await app.invoke('catalogue:saveItem', {
      kind: 'appointment',
      name: 'Home haircut',
      atCustomerAddress: true,
      priceOptions: [{ name: 'Standard', amountMinor: 3000, currency: 'GBP' }],
    })
    expect(home).toMatchObject({ atCustomerAddress: true, taxRateBp: null })
    const klass = await app.invoke('catalogue:saveItem', {
      kind: 'class',
      name: 'Not at home',
      atCustomerAddress: true,
      priceOptions: [{ name: 'Standard', amountMinor: 3000, currency: 'GBP' }],
    })
    expect(klass.atCustomerAddress).toBe(false)
    const refused = await app.call('catalogue:saveItem', {
      kind: 'class',
      name: 'Odd rate',
      taxRateBp: 700,
      priceOptions: [{ name: 'Standard', amountMinor: 3000, currency: 'GBP' }],
    })
    expect(!refused.ok && refused.error.fields).toEqual({
      taxRateBp: '7% is not one of the rates in Settings → Tax (20%, 5%). Choose one of them or Standard.',
    })
  })
})

describe('random sequences of bookings and transfers', () => {
  /** a ÷ b rounded to the nearest whole number, halves up (a, b ≥ 0), by quotient and remainder. */
  function nearest(a: bigint, b: bigint): number {
    const q = a / b
    return Number(2n * (a % b) >= b ? q + 1n : q)
  }

  /** What a line should cost, worked out from the rules as the README states them. */
  function expectedLine(
    settings: { include: boolean; rates: number[] },
    who: { status: 'standard' | 'exempt' | 'special'; rateBp: number },
    line: { unit: number; quantity: number; itemRate: number | null },
  ) {
    const listed = line.unit * line.quantity
    if (settings.rates.length === 0) return { total: listed, tax: 0, rate: 0 }
    const quoted = line.itemRate ?? settings.rates[0]!
    const rate = who.status === 'exempt' ? 0 : who.status === 'special' ? who.rateBp : quoted
    if (settings.include) {
      const inside = nearest(BigInt(listed) * BigInt(quoted), BigInt(10000 + quoted))
      if (rate === quoted) return { total: listed, tax: inside, rate }
      const net = listed - inside
      const tax = nearest(BigInt(net) * BigInt(rate), 10000n)
      return { total: net + tax, tax, rate }
    }
    const tax = nearest(BigInt(listed) * BigInt(rate), 10000n)
    return { total: listed + tax, tax, rate }
  }

  it('every line, booking total, balance and invoice matches figures worked out from the raw rows', async () => {
    let seed = 12345
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    const who = [
      { id: await customer('Sam'), status: 'standard' as const, rateBp: 0 },
      { id: await customer('Eve', { taxStatus: 'exempt' }), status: 'exempt' as const, rateBp: 0 },
      { id: await customer('Sol', { taxStatus: 'special', specialRate: '7.5' }), status: 'special' as const, rateBp: 750 },
      { id: await customer('Syd', { taxStatus: 'special', specialRate: '20' }), status: 'special' as const, rateBp: 2000 },
    ]
    // Roomy sessions, so places never run out; the massage is at its own 5% whatever the standard rate is.
    const roomy = async (itemId: number) =>
      (await app.invoke('catalogue:saveSession', { itemId, startsAt: '2026-04-01T09:00:00Z', endsAt: '2026-04-01T10:00:00Z', capacity: 1000 })).id
    const [yogaSession, potterySession, massageSession] = [await roomy(cat.yoga.itemId), await roomy(cat.pottery.itemId), await roomy(cat.massage.itemId)]
    const choices = [
      { sessionId: yogaSession, priceOptionId: cat.yoga.adultOptionId, unit: P.yogaAdult, itemRate: null },
      { sessionId: yogaSession, priceOptionId: cat.yoga.concessionOptionId, unit: P.yogaConcession, itemRate: null },
      { sessionId: potterySession, priceOptionId: cat.pottery.optionId, unit: P.pottery, itemRate: null },
      { sessionId: massageSession, priceOptionId: cat.massage.optionId, unit: P.massage, itemRate: 500 },
    ]
    const settingsChoices = [
      { include: true, rates: [2000, 500] },
      { include: false, rates: [2000, 500] },
      { include: true, rates: [1250, 500] },
      { include: false, rates: [] as number[] },
    ]
    const bookingIds: number[] = []
    let transfers = 0
    const yogaBookings: number[] = []
    for (let step = 0; step < 24; step++) {
      const settings = pick(settingsChoices)
      await app.invoke('settings:update', {
        pricesIncludeTax: settings.include,
        taxRates: settings.rates.map((rateBp, i) => ({ name: `Rate ${i + 1}`, rateBp })),
      })
      const person = pick(who)
      if (yogaBookings.length > 0 && random() < 0.35) {
        // Move a yoga line of an earlier booking to the other yoga price, priced with today's settings.
        const id = pick(yogaBookings)
        const before = await app.invoke('bookings:get', { id })
        if (before.status !== 'confirmed' || before.customer === null) continue
        const line = before.lines[0]!
        const others = choices.filter((c) => c.sessionId === line.sessionId && c.priceOptionId !== line.priceOptionId)
        if (!others.length) continue
        const to = pick(others)
        const { booking } = await app.invoke('bookings:transfer', { bookingId: id, lineId: line.id, sessionId: to.sessionId, priceOptionId: to.priceOptionId })
        const owner = who.find((w) => w.id === booking.customer!.id)!
        const moved = booking.lines.find((l) => l.id === line.id)!
        const expected = expectedLine(settings, owner, { unit: to.unit, quantity: line.quantity, itemRate: to.itemRate })
        expect([moved.totalMinor, moved.taxMinor, moved.taxRateBp]).toEqual([expected.total, expected.tax, expected.rate])
        transfers++
        continue
      }
      const lines = [pick(choices), ...(random() < 0.5 ? [pick(choices)] : [])].map((c) => ({ ...c, quantity: 1 + Math.floor(random() * 2) }))
      const { booking } = await app.invoke('bookings:create', {
        customer: { kind: 'existing', id: person.id },
        lines: lines.map((l) => ({ sessionId: l.sessionId, priceOptionId: l.priceOptionId, quantity: l.quantity })),
        ...(random() < 0.5 ? { payment: { amountMinor: 500, method: 'cash' as const } } : {}),
      })
      bookingIds.push(booking.id)
      if (lines[0]!.sessionId === yogaSession) yogaBookings.push(booking.id)
      booking.lines.forEach((l, i) => {
        const expected = expectedLine(settings, person, { unit: lines[i]!.unit, quantity: lines[i]!.quantity, itemRate: lines[i]!.itemRate })
        expect([l.totalMinor, l.taxMinor, l.taxRateBp], `step ${step}, line ${i}`).toEqual([expected.total, expected.tax, expected.rate])
      })
    }
    expect(transfers).toBeGreaterThan(0)
    expect(bookingIds.length).toBeGreaterThan(10)
    // Every stored booking and invoice agrees with its raw lines and payments.
    for (const person of who) {
      const { invoices } = await app.invoke('customers:invoices', { customerId: person.id })
      for (const invoice of invoices) {
        await expectInvoiceMatchesRows(person.id, invoice.bookingId)
        const row = (await app.db('bookings').where({ id: invoice.bookingId }).first('total_minor', 'paid_minor', 'outstanding_minor')) as {
          total_minor: number
          paid_minor: number
          outstanding_minor: number
        }
        const paid = (await app.db('payments').where({ booking_id: invoice.bookingId }).select('kind', 'amount_minor')) as Array<{ kind: string; amount_minor: number }>
        const paidSum = paid.reduce((s, p) => s + (p.kind === 'payment' ? p.amount_minor : -p.amount_minor), 0)
        expect(row).toEqual({ total_minor: invoice.totalMinor, paid_minor: paidSum, outstanding_minor: invoice.totalMinor - paidSum })
      }
    }
  })
})
