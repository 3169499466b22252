import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BrochurePrintout, Input, JobStatus } from '../../preload/contract'
import { envelopes } from '../../main/pdf/envelopes'
import { labelSheets } from '../../main/pdf/labels'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { parsePdf, type ParsedPage, type PlacedText } from '../helpers/pdf'

/** Brochure letters, address labels and letter templates, read back from their PDFs. */
let app: TestCore
beforeEach(async () => {
  app = await openTestCore({ clock: () => new Date('2026-12-01T10:00:00Z') })
  await app.invoke('settings:update', { businessName: 'Harbour Yoga', businessPhone: '01225 000000', businessEmail: 'hello@harbour.example' })
})
afterEach(async () => {
  await app.cleanup()
})

interface Person {
  firstName: string
  lastName: string
  address?: { line1: string; city: string; postcode: string; country: string; region?: string; line2?: string }
}

async function requestFor(person: Person): Promise<{ customerId: number; requestId: number }> {
  const { id } = await app.invoke('customers:create', {
    firstName: person.firstName,
    lastName: person.lastName,
    addresses: person.address ? [person.address] : [],
  })
  const [request] = await app.invoke('brochures:request', { customerId: id, note: '' })
  return { customerId: id, requestId: request!.id }
}

const bath = { line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB' }

async function printed(channel: 'brochures:printLetters' | 'brochures:printLabels', input: Input<typeof channel>): Promise<BrochurePrintout> {
  const status = await finishJob(app.call, (await app.invoke(channel, input as never)) as JobStatus)
  if (status.state !== 'done') throw new Error(`${status.error?.message}`)
  return status.result as unknown as BrochurePrintout
}

const pdfOf = (p: { id: string }) => readFileSync(join(app.printoutsDir, `${p.id}.pdf`))

async function defaultTemplate(): Promise<number> {
  return (await app.invoke('brochures:templates', undefined)).find((t) => t.isDefault)!.id
}

/** Text items whose text is one of the address lines, on a page. */
function itemsOf(page: ParsedPage, lines: string[]): PlacedText[] {
  return page.items.filter((i) => lines.includes(i.text))
}

function expectInside(items: PlacedText[], box: { x: number; y: number; width: number; height: number }): void {
  expect(items.length).toBeGreaterThan(0)
  for (const item of items) {
    // Baseline and font size: the glyphs sit between baseline − size and baseline + a quarter of it.
    expect(item.x).toBeGreaterThanOrEqual(box.x - 0.01)
    expect(item.x + item.width).toBeLessThanOrEqual(box.x + box.width + 0.01)
    expect(item.y - item.height * 0.95).toBeGreaterThanOrEqual(box.y - 0.01)
    expect(item.y + item.height * 0.25).toBeLessThanOrEqual(box.y + box.height + 0.01)
  }
}

describe('letter templates', () => {
  it('start with a default brochure letter, and are added, changed and removed with the default kept', async () => {
    const [first] = await app.invoke('brochures:templates', undefined)
    expect(first).toMatchObject({ name: 'Brochure letter', isDefault: true })
    expect(first!.body).toContain('{{display_name}}')

    let list = await app.invoke('brochures:saveTemplate', { name: 'Winter offer', body: 'Dear {{first_name}},\n\nWarm up with us.', isDefault: true })
    expect(list.map((t) => [t.name, t.isDefault])).toEqual([
      ['Winter offer', true],
      ['Brochure letter', false],
    ])
    const clash = await app.call('brochures:saveTemplate', { name: '  winter   OFFER ', body: 'x' })
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })

    const unknown = await app.call('brochures:saveTemplate', { name: 'Bad', body: 'Dear {{firstname}}, your {{custom.shoe_size}}' })
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'body', message: expect.stringContaining('{{firstname}}, {{custom.shoe_size}}') },
    })

    list = await app.invoke('brochures:deleteTemplate', { id: list[0]!.id })
    expect(list).toEqual([expect.objectContaining({ name: 'Brochure letter', isDefault: true })])
    expect(await app.call('brochures:deleteTemplate', { id: list[0]!.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const actions = (await app.db('change_log').where({ entity_type: 'letterTemplate' }).orderBy('id').pluck('action')) as string[]
    expect(actions).toEqual(['letterTemplate.created', 'letterTemplate.deleted'])
  })

  it('offer custom fields by their label, and preview a draft on a customer as one page', async () => {
    await app.invoke('customFields:save', { label: 'Favourite class', type: 'text', options: [] })
    const fields = await app.invoke('brochures:mergeFields', undefined)
    expect(fields.map((f) => f.key)).toEqual(expect.arrayContaining(['first_name', 'display_name', 'address_block', 'today', 'business_name', 'custom.favourite_class']))
    const { customerId } = await requestFor({ firstName: 'Zoë', lastName: 'Ålund', address: bath })
    const [definition] = await app.invoke('customFields:list', undefined)
    await app.invoke('customers:setCustomFields', { id: customerId, values: { [String(definition!.id)]: 'Ashtanga' } })

    const preview = await app.invoke('brochures:previewLetter', {
      body: 'Dear {{first_name}},\n\nSee you at {{custom.favourite_class}} — {{business_name}}, {{business_phone}}.',
      customerId,
      envelope: 'dl',
    })
    expect(preview.pages).toBe(1)
    const [page] = await parsePdf(pdfOf(preview))
    expect(page!.text).toContain('Dear Zoë,')
    expect(page!.text).toContain('See you at Ashtanga — Harbour Yoga, 01225 000000.')
    expect(page!.text).toContain('1 December 2026')

    const sample = await app.invoke('brochures:previewLetter', { body: 'Hello {{display_name}}', customerId: null, envelope: 'c5' })
    expect((await parsePdf(pdfOf(sample)))[0]!.text).toContain('Hello Alex Sample')
    const { customerId: homeless } = await requestFor({ firstName: 'No', lastName: 'Where' })
    const nowhere = await app.invoke('brochures:previewLetter', { body: 'Hello {{first_name}}', customerId: homeless, envelope: 'dl' })
    expect((await parsePdf(pdfOf(nowhere)))[0]!.text).toContain('No Where\n(no postal address: not printed)')
  })
})

describe('brochure letters', () => {
  it('put each address inside the envelope window, one letter per customer, with the fields filled', async () => {
    const people: Person[] = [
      { firstName: 'Ελένη', lastName: 'Παπαδοπούλου', address: { line1: 'Οδός Ερμού 10', city: 'Αθήνα', postcode: '105 63', country: 'GR' } },
      { firstName: 'Дмитрий', lastName: 'Иванов', address: { line1: 'ул. Тверская, д. 7', city: 'Москва', postcode: '125009', country: 'RU' } },
      { firstName: 'Małgorzata', lastName: 'Wiśniewska-Żółć', address: { line1: 'ul. Świętokrzyska 12', city: 'Łódź', postcode: '90-001', country: 'PL' } },
      { firstName: 'Nguyễn', lastName: 'Thị Hường', address: { line1: '12 Phố Hàng Bạc', city: 'Hà Nội', postcode: '100000', country: 'VN' } },
      { firstName: 'Ada', lastName: 'Lovelace', address: bath },
    ]
    const ids = []
    for (const person of people) ids.push((await requestFor(person)).requestId)
    // A second request from the same customer makes no second letter.
    await app.db('brochure_requests').insert({ customer_id: 5, requested_at: '2026-11-01T10:00:00.000Z', taken_by_name: 'x', status: 'posted', posted_on: '2026-11-02', created_at: 'x', updated_at: 'x' })
    const again = ((await app.db('brochure_requests').max({ id: 'id' }).first()) as { id: number }).id
    const templateId = (await app.invoke('brochures:saveTemplate', { name: 'Names', body: 'Dear {{first_name}} {{last_name}},\n\nYour brochure, on {{today}}.\n\n{{business_name}}' }))
      .find((t) => t.name === 'Names')!.id

    for (const envelope of ['dl', 'c5'] as const) {
      const result = await printed('brochures:printLetters', { selection: { kind: 'ids', ids: [...ids, again] }, templateId, envelope })
      expect(result).toMatchObject({ printed: 5, pages: 5, cannotPost: [], leftOut: [], unprintable: [] })
      const pages = await parsePdf(pdfOf(result))
      expect(pages).toHaveLength(5)
      people.forEach((person, i) => {
        const page = pages[i]!
        expect(page.text).toContain(`Dear ${person.firstName} ${person.lastName},`)
        expect(page.text).toContain('Your brochure, on 1 December 2026.')
        const name = `${person.firstName} ${person.lastName}`
        const addressItems = itemsOf(page, [name, person.address!.line1])
        expect(addressItems.map((i) => i.text)).toEqual(expect.arrayContaining([name, person.address!.line1]))
        // The whole block: the name down to the last line before the date, all inside the safe window area.
        const block = page.items.filter((item) => item.y >= envelopes[envelope].safeArea.y && item.y < 96 && item.x < 110)
        expect(block.length).toBeGreaterThanOrEqual(3)
        expectInside(block, envelopes[envelope].safeArea)
        expectInside(block, { ...envelopes[envelope].window, y: envelopes[envelope].window.y - (envelopes[envelope].height - envelopes[envelope].panelHeight) })
      })
      // Abroad, the country's name ends the block.
      expect(pages[1]!.text).toContain('RUSSIA')
      expect(pages[4]!.text).not.toContain('UNITED KINGDOM')
    }
  })

  it('leave out customers who cannot be posted, and flagged ones unless asked, naming them', async () => {
    const posted = await requestFor({ firstName: 'Has', lastName: 'Address', address: bath })
    const nowhere = await requestFor({ firstName: 'No', lastName: 'Address' })
    const unsubscribed = await requestFor({ firstName: 'Un', lastName: 'Subscribed', address: bath })
    const archived = await requestFor({ firstName: 'Ar', lastName: 'Chived', address: bath })
    await app.db('customers').where({ id: unsubscribed.customerId }).update({ unsubscribed: true })
    await app.invoke('customers:archive', { id: archived.customerId })
    const selection = { kind: 'ids' as const, ids: [posted, nowhere, unsubscribed, archived].map((r) => r.requestId) }

    const check = await app.invoke('brochures:printCheck', { selection })
    expect(check).toEqual({
      requests: 4,
      postable: 3,
      cannotPost: [{ customerId: nowhere.customerId, customerName: 'No Address', flags: ['cannotPost'] }],
      flagged: [
        { customerId: unsubscribed.customerId, customerName: 'Un Subscribed', flags: ['unsubscribed'] },
        { customerId: archived.customerId, customerName: 'Ar Chived', flags: ['archived'] },
      ],
    })

    const templateId = await defaultTemplate()
    const skipped = await printed('brochures:printLetters', { selection, templateId, envelope: 'dl' })
    expect(skipped).toMatchObject({ printed: 1, pages: 1, cannotPost: [{ customerName: 'No Address' }], leftOut: [{ customerName: 'Un Subscribed' }, { customerName: 'Ar Chived' }] })
    const all = await printed('brochures:printLetters', { selection, templateId, envelope: 'dl', skipFlagged: false })
    expect(all).toMatchObject({ printed: 3, pages: 3, leftOut: [] })
    const text = (await parsePdf(pdfOf(all))).map((p) => p.text).join('\n')
    expect(text).toContain('Dear Un Subscribed,')
    expect(text.replace(/\s+/g, ' ')).toContain('please get in touch on 01225 000000 or at hello@harbour.example. We look forward to seeing you.')
    expect(text).not.toContain('No Address')

    const none = await finishJob(app.call, await app.invoke('brochures:printLetters', { selection: { kind: 'ids', ids: [nowhere.requestId] }, templateId, envelope: 'dl' }))
    expect(none.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('has a postal address') })
  })

  it('number the pages of a letter longer than a page, and every letter starts on its own page', async () => {
    const a = await requestFor({ firstName: 'Long', lastName: 'Letter', address: bath })
    const b = await requestFor({ firstName: 'Short', lastName: 'Letter', address: bath })
    const body = `Dear {{first_name}},\n\n${Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} about the season's classes.`).join('\n\n')}`
    const templateId = (await app.invoke('brochures:saveTemplate', { name: 'Long', body })).find((t) => t.name === 'Long')!.id
    const result = await printed('brochures:printLetters', { selection: { kind: 'ids', ids: [a.requestId, b.requestId] }, templateId, envelope: 'dl' })
    const pages = await parsePdf(pdfOf(result))
    const perLetter = pages.length / 2
    expect(perLetter).toBeGreaterThan(1)
    expect(pages[0]!.text).toContain(`Page 1 of ${perLetter}`)
    expect(pages[perLetter - 1]!.text).toContain(`Page ${perLetter} of ${perLetter}`)
    expect(pages[perLetter]!.text).toContain('Dear Short,')
    expect(pages[perLetter]!.text).toContain('Page 1 of')
  })

  it('print every request matching the worklist filter, and refuse when the count changed', async () => {
    for (const n of ['One', 'Two', 'Three']) await requestFor({ firstName: n, lastName: 'Filter', address: bath })
    const templateId = await defaultTemplate()
    const filter = { from: null, to: null }
    const result = await printed('brochures:printLetters', { selection: { kind: 'filter', tab: 'pending', filter, expectedCount: 3 }, templateId, envelope: 'c5' })
    expect(result).toMatchObject({ printed: 3, pages: 3 })
    const stale = await finishJob(
      app.call,
      await app.invoke('brochures:printLetters', { selection: { kind: 'filter', tab: 'pending', filter, expectedCount: 2 }, templateId, envelope: 'c5' }),
    )
    expect(stale.error).toMatchObject({ code: 'CONFLICT' })
  })
})

describe('a long print run', () => {
  it('reports its progress and stops on Cancel, leaving no PDF', async () => {
    const at = '2026-12-01T09:00:00.000Z'
    const people = Array.from({ length: 3000 }, (_, i) => ({ first_name: 'Bulk', last_name: `Reader ${i}`, display_name: `Bulk Reader ${i}`, sort_name: `reader ${i}`, created_at: at, updated_at: at }))
    for (let i = 0; i < people.length; i += 200) {
      const ids = ((await app.db('customers').insert(people.slice(i, i + 200)).returning('id')) as Array<{ id: number }>).map((r) => r.id)
      await app.db('addresses').insert(ids.map((id) => ({ customer_id: id, line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB', is_default_letters: true })))
      await app.db('brochure_requests').insert(ids.map((id) => ({ customer_id: id, requested_at: at, taken_by_name: 'Test', status: 'pending', created_at: at, updated_at: at })))
    }
    const templateId = await defaultTemplate()
    let status = await app.invoke('brochures:printLetters', { selection: { kind: 'filter', tab: 'pending', filter: { from: null, to: null }, expectedCount: 3000 }, templateId, envelope: 'dl' })
    expect(status).toMatchObject({ kind: 'letters', cancellable: true })
    const deadline = Date.now() + 30_000
    while (status.done === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      status = await app.invoke('jobs:get', { id: status.id })
    }
    expect(status).toMatchObject({ state: 'running', total: 3000, phase: 'Letters' })
    await app.invoke('jobs:cancel', { id: status.id })
    const final = await finishJob(app.call, status)
    expect(final.state).toBe('cancelled')
    expect(readdirSync(app.printoutsDir).filter((f) => f.endsWith('.pdf'))).toEqual([])
  })
})

describe('address labels', () => {
  it.each(Object.values(labelSheets))('land in their cells on $kind, from the starting label on, onto further sheets', async (sheet) => {
    const perSheet = sheet.columns * sheet.rows
    const count = perSheet + 2
    const ids: number[] = []
    for (let i = 0; i < count; i++) ids.push((await requestFor({ firstName: `Label${i + 1}`, lastName: 'Ωmega', address: bath })).requestId)
    const start = 4
    const result = await printed('brochures:printLabels', { selection: { kind: 'ids', ids }, sheet: sheet.kind, start })
    expect(result.printed).toBe(count)
    const pages = await parsePdf(pdfOf(result))
    expect(pages).toHaveLength(2)
    expect(pages[0]!.width).toBeCloseTo(sheet.pageWidth, 0)
    for (let i = 0; i < count; i++) {
      const slot = i + start - 1
      const page = pages[Math.floor(slot / perSheet)]!
      const within = slot % perSheet
      const cell = {
        x: sheet.left + (within % sheet.columns) * sheet.pitchX,
        y: sheet.top + Math.floor(within / sheet.columns) * sheet.pitchY,
        width: sheet.labelWidth,
        height: sheet.labelHeight,
      }
      const items = page.items.filter((item) => item.text === `Label${i + 1} Ωmega`)
      expect(items).toHaveLength(1)
      const street = page.items.filter((item) => item.text === '1 High Street' && item.x >= cell.x && item.x < cell.x + cell.width && item.y > cell.y && item.y < cell.y + cell.height)
      expect(street).toHaveLength(1)
      expectInside(items, { x: cell.x + sheet.padding, y: cell.y + sheet.padding, width: cell.width - 2 * sheet.padding, height: cell.height - 2 * sheet.padding })
    }
  })
})
