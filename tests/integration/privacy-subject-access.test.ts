import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finishJob, jobResult, openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { parsePdf } from '../helpers/pdf'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'
import { printoutPaths } from '../../main/pdf/printouts'
import { SUBJECT_ACCESS_FORMAT, SUBJECT_ACCESS_VERSION, type SubjectAccessData } from '../../main/services/privacy/subjectData'
import type { SubjectAccessResult } from '../../preload/contract'
import { columnNames, tableNames } from '../helpers/schema'

/*
 * A subject access request gives one person everything held about them:
 * checked against the database table by table, and read back from the PDF.
 */

let app: TestCore
let cat: TestCatalogue
let saveDir: string
const targets: { pdf: string | null; json: string | null } = { pdf: null, json: null }
let subject: number
let other: number
let linked: number

const asBytes = (buffer: Buffer) => new Uint8Array(buffer)

/** A customer with rows in every table that holds something about a customer; `tag` marks their texts. */
async function populate(id: number, tag: string): Promise<void> {
  await app.invoke('customers:setPreferences', { id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: `Newsletter wording ${tag}` })
  await app.invoke('customers:setPreferences', { id, marketingConsent: false, unsubscribed: false, channel: 'phone', wording: '' })
  await app.invoke('notes:add', { customerId: id, body: `Staff note ${tag}: prefers mornings.` })
  await app.invoke('notes:add', { customerId: id, body: `Second note ${tag}`, pinned: true, reminderOn: '2026-12-20' })
  await app.invoke('customers:addTag', { customerId: id, name: `tag-${tag}` })
  const group = await app.invoke('groups:create', { name: `List ${tag}` })
  await app.invoke('customers:addToGroup', { customerId: id, groupId: group.id })
  await app.invoke('paymentMethods:add', { customerId: id, brand: 'visa', last4: tag === 'SUBJ' ? '4242' : '1881', expMonth: 8, expYear: 2030 })
  await app.invoke('brochures:request', { customerId: id, note: `Brochure ${tag}` })
  await app.invoke('rewards:adjust', { customerId: id, amountMinor: 500, reason: `Goodwill ${tag}` })
  const booking = await app.invoke('bookings:create', {
    customer: { kind: 'existing', id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
    payment: { amountMinor: 2500, method: 'card' },
    note: `Booking note ${tag}`,
  })
  await app.invoke('bookings:addPayment', { bookingId: booking.booking.id, kind: 'refund', amountMinor: 1250, method: 'card', reference: `RF-${tag}` })
  await app.invoke('bookings:create', {
    customer: { kind: 'existing', id },
    lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
  })
}

beforeAll(async () => {
  saveDir = mkdtempSync(join(tmpdir(), 'frontdesk-sar-'))
  app = await openTestCore({
    dialogs: { ...NO_FILE_DIALOGS, choosePrintoutFile: async () => targets.pdf, chooseDataFile: async () => targets.json },
  })
  cat = await createCatalogue(app)
  subject = (
    await app.invoke('customers:create', {
      firstName: 'Αικατερίνη',
      lastName: 'Παπαδοπούλου',
      email: 'katerina@example.gr',
      company: 'Ζαχαροπλαστείο Αθηνά',
      phones: [{ label: 'mobile', number: '+30 691 234 5678', isPrimary: true }],
      addresses: [{ label: 'home', line1: 'Οδός Ερμού 12', city: 'Αθήνα', postcode: '105 63', country: 'GR', isDefaultLetters: true }],
    })
  ).id
  other = (
    await app.invoke('customers:create', {
      firstName: 'Oliver',
      lastName: 'Otherton',
      email: 'oliver.other@example.com',
      phones: [{ label: 'mobile', number: '07700 900111' }],
      addresses: [{ line1: '9 Elsewhere Lane', city: 'Bath', postcode: 'BA1 9ZZ', country: 'GB' }],
    })
  ).id
  linked = (await app.invoke('customers:create', { firstName: 'Дмитрий', lastName: 'Смирнов', email: 'dmitry@example.ru', phones: [{ number: '07700 900222' }] })).id
  await populate(subject, 'SUBJ')
  await populate(other, 'OTHER')
  // The subject pays for Дмитрий's household and was recommended by him.
  await app.invoke('customers:setHousehold', { id: linked, payerId: subject })
  await app.invoke('customers:setReferral', { id: subject, referredById: linked })
  await app.invoke('notes:add', { customerId: linked, body: 'Note about Dmitry LINKED-PRIVATE' })
  const field = (await app.invoke('customFields:save', { label: 'Favourite class', type: 'text' })).find((f) => f.label === 'Favourite class')!
  await app.invoke('customers:setCustomFields', { id: subject, values: { [String(field.id)]: 'Γιόγκα' } })
  await app.invoke('customers:setCustomFields', { id: other, values: { [String(field.id)]: 'OTHER-FIELD-VALUE' } })
  const photo = await sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .png()
    .toBuffer()
  await app.invoke('customers:setPhoto', { id: subject, image: asBytes(photo) })
  const product = await app.invoke('plans:saveProduct', { kind: 'subscription', name: 'Swim club', priceMinor: 3000, interval: 'month' })
  await app.invoke('plans:sell', { customerId: subject, productId: product.id, startsOn: '2026-11-01', payment: { amountMinor: null, method: 'card' } })
  await app.invoke('plans:sell', { customerId: other, productId: product.id, startsOn: '2026-11-01' })
}, 60_000)

afterAll(async () => {
  await app.cleanup()
  rmSync(saveDir, { recursive: true, force: true })
})

async function request(customerId: number): Promise<{ result: SubjectAccessResult; data: SubjectAccessData; json: string }> {
  const status = await finishJob(app.call, await app.invoke('privacy:subjectAccess', { customerId }))
  const result = jobResult<SubjectAccessResult>(status)
  const json = readFileSync(join(app.printoutsDir, 'subject-access', `${result.printout.id}.json`), 'utf8')
  return { result, data: JSON.parse(json) as SubjectAccessData, json }
}

const ids = async (query: Promise<Array<Record<string, unknown>>>, column = 'id') => (await query).map((r) => Number(r[column])).sort((a, b) => a - b)
const sorted = (values: unknown[]) => values.map(Number).sort((a, b) => a - b)

describe('a subject access request', () => {
  let made: Awaited<ReturnType<typeof request>>
  beforeAll(async () => {
    made = await request(subject)
  }, 60_000)

  it('holds every row about the person, table by table, as the database has them', async () => {
    const { data } = made
    const db = app.db
    expect(data.format).toBe(SUBJECT_ACCESS_FORMAT)
    expect(data.version).toBe(SUBJECT_ACCESS_VERSION)
    expect(data.customer).toMatchObject({ id: subject, number: `C-${String(subject).padStart(6, '0')}`, firstName: 'Αικατερίνη', email: 'katerina@example.gr' })
    const own = db('bookings').select('id').where({ customer_id: subject })
    const byCustomer = (table: string) => db(table).where({ customer_id: subject }).select('*') as Promise<Array<Record<string, unknown>>>
    expect(sorted(data.phones.map((r) => r.id))).toEqual(await ids(byCustomer('phones')))
    expect(sorted(data.addresses.map((r) => r.id))).toEqual(await ids(byCustomer('addresses')))
    expect(sorted(data.consents.events.map((r) => r.id))).toEqual(await ids(byCustomer('consent_events')))
    expect(data.consents.events.map((e) => e.granted)).toEqual([true, false])
    expect(sorted(data.bookings.map((r) => r.id))).toEqual(await ids(byCustomer('bookings')))
    expect(sorted(data.bookings.flatMap((b) => b.lines.map((r) => r.id)))).toEqual(await ids(db('booking_lines').whereIn('booking_id', own.clone()).select('id')))
    expect(sorted(data.bookings.flatMap((b) => [...b.payments, ...b.refunds].map((r) => r.id)))).toEqual(
      await ids(db('payments').whereIn('booking_id', own.clone()).select('id')),
    )
    expect(data.bookings.flatMap((b) => b.refunds.map((r) => r.reference))).toEqual(['RF-SUBJ'])
    expect(sorted(data.plans.map((r) => r.id))).toEqual(await ids(byCustomer('customer_plans')))
    expect(data.plans[0]!.collections.map((c) => c.bookingId)).toEqual(await ids(db('bookings').whereNotNull('plan_id').where({ customer_id: subject }).select('id')))
    expect(data.plans[0]!.collections).toHaveLength(1)
    expect(sorted(data.notes.map((r) => r.id))).toEqual(await ids(byCustomer('notes')))
    expect(data.notes.every((n) => n.kind === 'staff note')).toBe(true)
    expect(sorted(data.tags.map((r) => r.id))).toEqual(await ids(byCustomer('customer_tags'), 'tag_id'))
    expect(sorted(data.groups.map((r) => r.id))).toEqual(await ids(byCustomer('customer_group_members'), 'group_id'))
    expect(data.customFields).toEqual([expect.objectContaining({ label: 'Favourite class', value: 'Γιόγκα' })])
    expect(sorted(data.paymentMethods.map((r) => r.id))).toEqual(await ids(byCustomer('payment_methods')))
    expect(data.paymentMethods[0]).toMatchObject({ brand: 'visa', last4: '4242', expMonth: 8, expYear: 2030 })
    expect(sorted(data.brochureRequests.map((r) => r.id))).toEqual(await ids(byCustomer('brochure_requests')))
    expect(sorted(data.rewards.entries.map((r) => r.id))).toEqual(await ids(byCustomer('reward_entries')))
    expect(data.rewards.balanceMinor).toBe(500)
    expect(data.photo).toMatchObject({ mime: 'image/jpeg' })
    expect(Buffer.from(data.photo!.base64, 'base64')).toEqual(
      Buffer.from(((await db('customer_photos').where({ customer_id: subject }).first('bytes')) as { bytes: Buffer }).bytes),
    )
    expect(data.household).toEqual({ payer: null, members: [{ id: linked, number: `C-${String(linked).padStart(6, '0')}`, name: 'Дмитрий Смирнов' }] })
    expect(data.referrals.referredBy).toMatchObject({ id: linked, name: 'Дмитрий Смирнов' })
    // The change log up to the request: everything logged about the person before it was made.
    const logged = await ids(db('change_log').where({ customer_id: subject }).whereNot({ action: 'subject_access' }).select('id'))
    expect(sorted(data.changeLog.map((r) => r.id))).toEqual(logged)
    expect(data.changeLog.length).toBeGreaterThan(10)
    expect(data.sections.find((s) => s.title === 'Bookings')).toEqual({ title: 'Bookings', count: 3 })
  })

  it('covers every table that holds rows about a customer', async () => {
    // A table added later with a customer column must be given in the request (or deliberately left out here, with why).
    const given = [
      'addresses', 'bookings', 'brochure_requests', 'change_log', 'consent_events', 'customer_custom_values', 'customer_group_members', 'customer_photos',
      'customer_plans', 'customer_tags', 'import_keys', 'messages', 'notes', 'payment_methods', 'phones', 'reward_entries', 'site_account_tokens',
    ]
    const leftOut = [
      // The business's own bookkeeping: report totals, duplicate suspicions, undo data of imports and merges.
      'report_customer_months', 'report_customers', 'import_changes', 'duplicate_pairs', 'duplicate_dismissals', 'customer_aliases',
      // The data-quality queue: the desk's own to-do list, worked out from the record given above.
      'quality_issues',
    ]
    const withCustomer: string[] = []
    for (const name of await tableNames(app.db)) {
      if ((await columnNames(app.db, name)).includes('customer_id')) withCustomer.push(name)
    }
    const unknown = withCustomer.filter((t) => !given.includes(t) && !leftOut.includes(t))
    expect(unknown).toEqual([])
  })

  it("holds nothing of another customer's but the link itself", () => {
    const { json, data } = made
    for (const foreign of ['Otherton', 'oliver.other@example.com', '900111', 'Elsewhere', 'OTHER', '1881', 'dmitry@example.ru', '900222', 'LINKED-PRIVATE']) {
      expect(json, foreign).not.toContain(foreign)
    }
    const otherBookings = data.bookings.filter((b) => b.customerId !== subject)
    expect(otherBookings).toEqual([])
    expect(data.changeLog.every((e) => e.customerId === undefined || e.customerId === subject)).toBe(true)
  })

  it('reads back from the PDF: letterhead, the Greek and Cyrillic names, every section, and notes marked as staff notes', async () => {
    const { result } = made
    const pages = await parsePdf(printoutPaths(app.printoutsDir, result.printout.id).pdf)
    const text = pages.map((p) => p.text).join('\n')
    if (process.env.SAR_PDF_OUT) copyFileSync(printoutPaths(app.printoutsDir, result.printout.id).pdf, process.env.SAR_PDF_OUT)
    expect(result.printout.pages).toBe(pages.length)
    expect(result.printout.unprintable).toEqual([])
    expect(pages[0]!.text).toContain('Your personal data')
    expect(pages[0]!.text).toContain('Αικατερίνη Παπαδοπούλου')
    expect(text).toContain('Οδός Ερμού 12')
    expect(text).toContain('Дмитрий Смирнов')
    expect(text).toContain('Γιόγκα')
    for (const section of result.sections) expect(text, section.title).toContain(section.title)
    expect(text).toMatch(/Staff note\s+.*Staff note SUBJ: prefers mornings\./)
    expect(text).toContain('Newsletter wording')
    expect(text).toContain('RF-SUBJ')
    expect(text).toContain('4242')
    expect(text).not.toContain('Otherton')
    expect(pages.at(-1)!.text).toContain(`Page ${pages.length} of ${pages.length}`)
  })

  it('logs that the data was given, on the person’s own history', async () => {
    const history = await app.invoke('customers:changes', { id: subject })
    expect(history[0]).toMatchObject({ action: 'subject_access', summary: 'Subject access data given', staffName: 'Administrator' })
  })

  it('saves the PDF and the data file where the desk chooses, whole, and nothing when the dialog is cancelled', async () => {
    const { result, json } = made
    targets.pdf = join(saveDir, 'katerina.pdf')
    targets.json = join(saveDir, 'katerina.json')
    expect(await app.invoke('privacy:subjectAccessSave', { id: result.printout.id, format: 'pdf' })).toEqual({ fileName: 'katerina.pdf' })
    expect(await app.invoke('privacy:subjectAccessSave', { id: result.printout.id, format: 'json' })).toEqual({ fileName: 'katerina.json' })
    expect(readFileSync(targets.json, 'utf8')).toBe(json)
    expect(readFileSync(targets.pdf)).toEqual(readFileSync(printoutPaths(app.printoutsDir, result.printout.id).pdf))
    expect(readdirSync(saveDir).sort()).toEqual(['katerina.json', 'katerina.pdf'])
    targets.pdf = null
    expect(await app.invoke('privacy:subjectAccessSave', { id: result.printout.id, format: 'pdf' })).toBeNull()
    expect(await app.call('privacy:subjectAccessSave', { id: 'a'.repeat(24), format: 'json' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('includes the history of records merged into this one, under their old numbers', async () => {
    const old = (await app.invoke('customers:create', { firstName: 'Katerina', lastName: 'Papadopoulou', email: 'kp-old@example.com' })).id
    await app.invoke('notes:add', { customerId: old, body: 'Written on the old record' })
    // A merge as the merge feature leaves it: the merged number is an alias of the survivor.
    const [{ id: mergeId }] = (await app.db('merges')
      .insert({ survivor_id: subject, merged_ids: JSON.stringify([old]), at: new Date().toISOString(), staff_name: 'Administrator', undo: '{}' })
      .returning('id')) as [{ id: number }]
    await app.db('customer_aliases').insert({ customer_id: old, survivor_id: subject, merge_id: mergeId })
    const { data } = await request(subject)
    const oldEntries = data.changeLog.filter((e) => e.customerId === old)
    expect(oldEntries.map((e) => e.summary)).toEqual([expect.stringContaining('Created'), expect.stringContaining('note')])
    expect(data.mergedRecords).toEqual([expect.objectContaining({ mergedNumbers: [`C-${String(old).padStart(6, '0')}`] })])
    expect(data.changeLog.every((e) => e.customerId === subject || e.customerId === old)).toBe(true)
    await app.db('customer_aliases').where({ customer_id: old }).delete()
    await app.db('merges').where({ id: mergeId }).delete()
  })

  it('of someone erased since gives what is left: no erased value, their redacted history marked', async () => {
    const number = `C-${String(other).padStart(6, '0')}`
    jobResult(await finishJob(app.call, await app.invoke('privacy:erase', { customerId: other, confirm: number })))
    const { data, json, result } = await request(other)
    expect(data.customer).toMatchObject({ name: 'Erased customer', erasedAt: expect.any(String) })
    for (const erased of ['Otherton', 'oliver.other@example.com', '900111', 'Elsewhere', 'Staff note OTHER', 'OTHER-FIELD-VALUE']) expect(json, erased).not.toContain(erased)
    expect(data.bookings).toHaveLength(3)
    expect(data.changeLog.filter((e) => e.redactedAt).length).toBeGreaterThan(5)
    const text = (await parsePdf(printoutPaths(app.printoutsDir, result.printout.id).pdf)).map((p) => p.text).join('\n')
    expect(text).toContain('Personal data erased')
    expect(text).not.toContain('Otherton')
  })

  it('is for administrators only, and refuses a customer who does not exist', async () => {
    const refused = await app.as({ id: 1, name: 'Sam Staff', role: 'staff' }, () => app.call('privacy:subjectAccess', { customerId: subject }))
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await app.call('privacy:subjectAccess', { customerId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
