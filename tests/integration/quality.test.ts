import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobStatus, QualityCategory, QualityCounts, QualityRow, QualityScanResult } from '../../preload/contract'
import { finishJob, jobResult, openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import { testWorker } from '../helpers/worker'
import { openDataLayer } from '../../main/dataLayer'
import { BUILT_IN_ADMIN } from '../../main/services/context'

/*
 * The data-quality queue: each category found by the full check (a job in
 * the worker) and by the check of one customer after a save, with its rows
 * dropping off once put right; erased and deleted customers never shown.
 */
let app: TestCore
let now = new Date('2026-11-10T10:00:00Z')
beforeEach(async () => {
  now = new Date('2026-11-10T10:00:00Z')
  app = await openTestCore({ clock: () => now })
})
afterEach(async () => {
  await app.cleanup()
})

const address = { line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB' }
const goodPhone = { number: '020 7123 4567', isPrimary: true }

/** A customer with nothing wrong unless `extra` says otherwise. */
async function customer(firstName: string, extra: Record<string, unknown> = {}): Promise<number> {
  return (
    await app.invoke('customers:create', {
      firstName,
      lastName: 'Reader',
      email: `${firstName.toLowerCase()}@example.com`,
      phones: [goodPhone],
      addresses: [address],
      ...extra,
    })
  ).id
}

async function scan(): Promise<QualityScanResult> {
  return jobResult<QualityScanResult>(await finishJob(app.call, (await app.invoke('quality:scan', undefined)) as JobStatus))
}

async function rows(category: QualityCategory): Promise<QualityRow[]> {
  const all: QualityRow[] = []
  let after: number | undefined
  do {
    const page = await app.invoke('quality:page', { category, after, pageSize: 2 })
    all.push(...page.rows)
    after = page.nextAfter ?? undefined
  } while (after)
  return all
}

/** Saves the customer as the profile's form does, with these fields changed. */
async function update(id: number, patch: Record<string, unknown>): Promise<void> {
  const c = await app.invoke('customers:get', { id })
  const phones = c.phones.map((p) => ({ label: p.label, number: p.number, isPrimary: p.isPrimary }))
  const addresses = c.addresses.map(({ label, line1, line2, city, region, postcode, country }) => ({ label, line1, line2, city, region, postcode, country }))
  await app.invoke('customers:update', { id, customer: { firstName: c.firstName, lastName: c.lastName, email: c.email, phones, addresses, ...patch } })
}

const ids = async (category: QualityCategory) => (await rows(category)).map((r) => r.customerId)
const counts = async (): Promise<QualityCounts> => app.invoke('quality:counts', undefined)

describe('each category', () => {
  it('missing email: found by the check, and gone once an email is added', async () => {
    const fine = await customer('Ada')
    const none = await customer('Ben', { email: '' })
    await scan()
    expect(await ids('missingEmail')).toEqual([none])
    const [row] = await rows('missingEmail')
    expect(row).toMatchObject({ number: `C-${String(none).padStart(6, '0')}`, displayName: 'Ben Reader', problem: 'No email address.', status: 'active' })
    expect((await counts()).counts.missingEmail).toBe(1)

    await update(none, { email: 'ben@example.com' })
    expect(await ids('missingEmail')).toEqual([])
    expect((await counts()).counts.missingEmail).toBe(0)
    expect(await ids('missingEmail')).not.toContain(fine)
  })

  it('invalid email: a stored address the email rule refuses (as old imports left them), named in the row', async () => {
    const bad = await customer('Cleo')
    await customer('Dan')
    await app.db('customers').where({ id: bad }).update({ email: 'cleo@@example', email_normalized: 'cleo@@example' })
    await scan()
    expect(await rows('invalidEmail')).toMatchObject([{ customerId: bad, problem: '“cleo@@example” is not a valid email address.' }])
    expect(await ids('missingEmail')).toEqual([])
  })

  it('phone not valid for its country: the right length is not enough (a UK drama number), each bad number named', async () => {
    const drama = await customer('Eve', { phones: [goodPhone, { number: '07700 900123' }] })
    await customer('Finn', { phones: [{ number: '+49 170 1234567', isPrimary: true }] })
    await scan()
    const [row, ...others] = await rows('invalidPhone')
    expect(others).toEqual([])
    expect(row).toMatchObject({ customerId: drama, problem: '07700 900123 is not a valid number for United Kingdom.' })

    await update(drama, { phones: [goodPhone] })
    expect(await ids('invalidPhone')).toEqual([])
  })

  it('likely duplicates: pairs the duplicate scan found, read as they are (a dismissal settles a row at once); never a pair with a deleted customer', async () => {
    const a = await customer('Gus')
    const b = await customer('Gustav')
    const c = await customer('Hal')
    const gone = await customer('Hal2')
    const foundAt = now.toISOString()
    await app.db('duplicate_pairs').insert([
      { customer_a: a, customer_b: b, reasons: 'nickname', score: 80, found_at: foundAt },
      { customer_a: c, customer_b: gone, reasons: 'email', score: 95, found_at: foundAt },
    ])
    await app.db('customers').where({ id: gone }).update({ status: 'deleted', deleted_at: foundAt, status_before_delete: 'active' })
    await scan()
    expect(await rows('duplicate')).toMatchObject([{ customerId: a, otherIds: [b], problem: `May be the same person as C-${String(b).padStart(6, '0')}.` }])

    expect((await counts()).counts.duplicate).toBe(1)
    await app.db('duplicate_dismissals').insert({ customer_a: a, customer_b: b, staff_id: 1, staff_name: 'Administrator', at: foundAt })
    expect(await ids('duplicate')).toEqual([])
    expect((await counts()).counts.duplicate).toBe(0)
    expect((await scan()).counts.duplicate).toBe(0)
  })

  it('no postal address where a brochure is pending: shown as soon as the request is taken, gone when an address is added', async () => {
    const homeless = await customer('Ivy', { addresses: [] })
    const posted = await customer('Jo')
    await app.invoke('brochures:request', { customerId: posted })
    // An address without a street line cannot be posted to.
    const partial = await customer('Kit', { addresses: [{ line1: '', city: 'Bath', postcode: '', country: 'GB' }] })
    await app.invoke('brochures:request', { customerId: partial })
    expect(await ids('noPostalAddress')).toEqual([partial])
    await app.invoke('brochures:request', { customerId: homeless })
    expect(await ids('noPostalAddress')).toEqual([homeless, partial])
    expect((await rows('noPostalAddress'))[0]!.problem).toBe('A brochure is waiting to be posted, but there is no postal address.')

    await update(homeless, { addresses: [address] })
    expect(await ids('noPostalAddress')).toEqual([partial])
    // Cancelling the request also settles it.
    const [request] = await app.invoke('brochures:forCustomer', { customerId: partial })
    await app.invoke('brochures:cancel', { id: request!.id })
    expect(await ids('noPostalAddress')).toEqual([])
    await scan()
    expect(await ids('noPostalAddress')).toEqual([])
  })

  it('a customer created with a brochure request is checked as created: listed at once without a postal address, as a full scan finds', async () => {
    const homeless = await customer('Pia', { addresses: [], requestBrochure: true })
    const housed = await customer('Quin', { requestBrochure: true })
    const noRequest = await customer('Rae', { addresses: [] })
    expect(await ids('noPostalAddress')).toEqual([homeless])
    const found = await rows('noPostalAddress')
    await scan()
    expect(await rows('noPostalAddress')).toEqual(found)
    expect([housed, noRequest].some((id) => found.some((r) => r.customerId === id))).toBe(false)
  })

  it('marketing consent without evidence: consent recorded at the desk has its evidence; a flag set without it is listed until withdrawn', async () => {
    const recorded = await customer('Lou')
    await app.invoke('customers:setPreferences', { id: recorded, marketingConsent: true, unsubscribed: false, channel: 'phone', wording: 'Yes to the newsletter' })
    const bare = await customer('Max')
    await app.db('customers').where({ id: bare }).update({ marketing_consent: true })
    await scan()
    expect(await rows('consentWithoutEvidence')).toMatchObject([{ customerId: bare, problem: 'Marked as agreeing to marketing, with no record of when or how they agreed.' }])
    // A save of the record re-checks it from what it wrote and read back: the consent flag it did not touch included.
    await update(bare, { lastName: 'Maxwell' })
    expect(await ids('consentWithoutEvidence')).toEqual([bare])

    await app.invoke('customers:setPreferences', { id: bare, marketingConsent: false, unsubscribed: false, channel: 'phone', wording: '' })
    expect(await ids('consentWithoutEvidence')).toEqual([])
  })

  it('inactive longer than the retention period: no booking, payment or change since; a booking or archiving settles it; the period is a setting', async () => {
    now = new Date('2022-01-10T10:00:00Z')
    const idle = await customer('Ned')
    const booked = await customer('Ola')
    const archived = await customer('Pat')
    now = new Date('2024-06-01T10:00:00Z')
    const recent = await customer('Quin')
    now = new Date('2026-11-10T10:00:00Z')
    const catalogue = await createCatalogue(app, { now })
    await app.invoke('bookings:create', { customer: { kind: 'existing', id: booked }, lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId }] })
    await app.invoke('customers:archive', { id: archived })

    expect((await app.invoke('settings:get', undefined)).retentionMonths).toBe(36)
    await scan()
    const [row, ...others] = await rows('inactive')
    expect(others).toEqual([])
    expect(row).toMatchObject({ customerId: idle, lastActivityAt: '2022-01-10T10:00:00.000Z' })
    expect(row!.problem).toMatch(/^No booking, payment or change since 10 Jan 2022\.$/)

    await app.invoke('settings:update', { retentionMonths: 12 })
    await scan()
    expect(await ids('inactive')).toEqual([idle, recent])

    await app.invoke('customers:archive', { id: idle })
    expect(await ids('inactive')).toEqual([recent])
    // Archived in bulk (no save of its own re-checks it): no longer listed, nor counted.
    await app.db('customers').where({ id: recent }).update({ status: 'archived', archived_at: now.toISOString() })
    expect(await ids('inactive')).toEqual([])
    expect((await counts()).counts.inactive).toBe(0)
  })
})

describe('the queue as a whole', () => {
  it('counts every category, says when the book was checked, and drops erased and deleted customers', async () => {
    const plain = await customer('Rae', { email: '' })
    const erased = await customer('Sam', { email: '' })
    const deleted = await customer('Tia', { email: '' })
    expect((await counts()).checkedAt).toBeNull()
    const result = await scan()
    expect(result.customers).toBe(3)
    expect(result.counts.missingEmail).toBe(3)
    expect((await counts()).checkedAt).toBe(now.toISOString())

    await app.db('customers').where({ id: erased }).update({ erased_at: now.toISOString(), status: 'archived' })
    await app.db('customers').where({ id: deleted }).update({ status: 'deleted', deleted_at: now.toISOString(), status_before_delete: 'active' })
    // Shown without them at once, before the next check.
    expect(await ids('missingEmail')).toEqual([plain])
    expect((await counts()).counts.missingEmail).toBe(1)
    const again = await scan()
    expect(again.counts.missingEmail).toBe(1)
    expect(await app.db('quality_issues').pluck('customer_id')).toEqual([plain])
  })

  it('keeps no personal values in its own table', async () => {
    const id = await customer('Uma', { phones: [{ number: '07700 900456', isPrimary: true }] })
    await app.db('customers').where({ id }).update({ email: 'uma@@example', email_normalized: 'uma@@example' })
    await scan()
    const stored = JSON.stringify(await app.db('quality_issues').select('*'))
    expect(stored).not.toMatch(/uma|900456|Reader/i)
    expect(await ids('invalidPhone')).toEqual([id])
    expect(await ids('invalidEmail')).toEqual([id])
  })

  it('a second check changes only what changed, and keeps when a problem was first found', async () => {
    const first = await customer('Vic', { email: '' })
    await scan()
    const foundAt = (await app.db('quality_issues').where({ customer_id: first }).first('found_at')) as { found_at: string }
    now = new Date('2026-11-11T10:00:00Z')
    const second = await customer('Wyn', { email: '' })
    await scan()
    expect(await ids('missingEmail')).toEqual([first, second])
    expect(await app.db('quality_issues').where({ customer_id: first }).first('found_at')).toEqual(foundAt)
  })

  it('a check after a fix made in bulk drops tens of thousands of problems of one kind at once, in seconds', async () => {
    const many = 80_000
    // Customers without an email, written as an old system's bulk load would (the desk's forms would take minutes).
    await app.db.raw(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO customers (first_name, last_name, display_name, sort_name, email, email_normalized, status, created_at, updated_at)
       SELECT 'Bulk', 'Reader ' || i, 'Bulk Reader ' || i, 'bulk reader ' || i, '', '', 'active', ?, ? FROM n`,
      [many, now.toISOString(), now.toISOString()],
    )
    let started = performance.now()
    expect((await scan()).counts.missingEmail).toBe(many)
    const finding = performance.now() - started
    await app.db.raw(`UPDATE customers SET email = 'reader' || id || '@example.com', email_normalized = 'reader' || id || '@example.com'`)
    started = performance.now()
    expect((await scan()).counts.missingEmail).toBe(0)
    // Dropping them costs about what finding them did. Each problem put right was once added to the list of those
    // to remove by copying the list: a minute and more here, against two seconds to find them.
    expect(performance.now() - started).toBeLessThan(3 * finding + 2000)
    expect((await counts()).counts.missingEmail).toBe(0)
  }, 60_000)

  it('is for administrators: staff are refused with a sentence', async () => {
    const staff = { id: 2, name: 'Sally', role: 'staff' as const }
    const result = await app.as(staff, () => app.call('quality:page', { category: 'missingEmail' }))
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only an administrator can see the records that need attention.' } })
  })

  it('refuses an unknown category', async () => {
    const result = await app.call('quality:page', { category: 'spelling' } as never)
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})

describe('checked without being asked', () => {
  it('when the file opens, if the last check is a day old or there was none; not again within the day', async () => {
    await customer('Xan', { email: '' })
    const dataFile = app.dataFile
    await app.close()
    const open = () => openDataLayer({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, clock: () => now, dailyBackupCheckEveryMs: 3_600_000 })
    const waitForCheck = async (layer: Awaited<ReturnType<typeof open>>) => {
      for (let i = 0; i < 500; i++) {
        const job = layer.core.jobs.list().find((j) => j.kind === 'qualityScan')
        if (job?.finishedAt) return job
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return null
    }
    const layer = await open()
    try {
      expect(await waitForCheck(layer)).toMatchObject({ state: 'done', result: { customers: 1, counts: { missingEmail: 1 } } })
    } finally {
      await layer.close()
    }
    now = new Date('2026-11-10T20:00:00Z')
    const again = await open()
    try {
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(again.core.jobs.list().filter((j) => j.kind === 'qualityScan')).toEqual([])
    } finally {
      await again.close()
    }
  })
})
