import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BulkResult, MarkPostedResult, WorklistRow } from '../../preload/contract'
import { finishJob, jobResult, openTestCore, type TestCore } from '../helpers/core'
import { refuseInserts } from '../helpers/testDatabase'

/** Brochure requests: taken on the profile, in bulk and with a new customer; worked through on the worklist. */
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

async function customer(firstName: string, extra: Record<string, unknown> = {}): Promise<number> {
  return (await app.invoke('customers:create', { firstName, lastName: 'Reader', addresses: [address], ...extra })).id
}

async function logActions(customerId: number): Promise<string[]> {
  const rows = (await app.db('change_log').where({ customer_id: customerId }).orderBy('id').select('action')) as Array<{ action: string }>
  return rows.map((r) => r.action)
}

async function allRows(tab: 'pending' | 'posted', filter = {}): Promise<WorklistRow[]> {
  const rows: WorklistRow[] = []
  let after: string | undefined
  do {
    const page = await app.invoke('brochures:worklist', { tab, filter, after, pageSize: 2 })
    rows.push(...page.rows)
    after = page.nextCursor ?? undefined
  } while (after)
  return rows
}

describe('taking a brochure request', () => {
  it('records when it was asked and who took it, with a change log entry', async () => {
    const id = await customer('Ada')
    const requests = await app.invoke('brochures:request', { customerId: id, note: '  Summer  brochure ' })
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        customerId: id,
        requestedAt: '2026-11-10T10:00:00.000Z',
        takenByName: 'Administrator',
        note: 'Summer  brochure',
        status: 'pending',
        postedOn: null,
        postedByName: '',
        cancelledAt: null,
      },
    ])
    expect(await logActions(id)).toEqual(['customer.created', 'brochure.requested'])
    const [entry] = await app.invoke('customers:changes', { id, limit: 1 })
    expect(entry).toMatchObject({ action: 'brochure.requested', staffName: 'Administrator', summary: 'Brochure requested' })
  })

  it('refuses a second pending request, saying when the waiting one was taken, and allows one again once posted or cancelled', async () => {
    const id = await customer('Ben')
    const [first] = await app.invoke('brochures:request', { customerId: id })
    const again = await app.call('brochures:request', { customerId: id })
    expect(again).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'A brochure for Ben Reader is already waiting to be posted (requested 10 Nov 2026 by Administrator).' },
    })
    expect(await app.db('brochure_requests').count({ n: '*' })).toEqual([{ n: 1 }])

    const cancelled = await app.invoke('brochures:cancel', { id: first!.id })
    expect(cancelled[0]).toMatchObject({ status: 'cancelled', cancelledAt: '2026-11-10T10:00:00.000Z' })
    now = new Date('2026-11-12T09:00:00Z')
    const list = await app.invoke('brochures:request', { customerId: id })
    expect(list.map((r) => r.status)).toEqual(['pending', 'cancelled'])
    expect(await logActions(id)).toEqual(['customer.created', 'brochure.requested', 'brochure.cancelled', 'brochure.requested'])
    // The profile's Changes tab can show brochure requests alone.
    const brochureChanges = await app.invoke('customers:changes', { id, kind: 'brochures' })
    expect(brochureChanges.map((c) => c.summary)).toEqual(['Brochure requested', 'Brochure request of 10 Nov 2026 cancelled', 'Brochure requested'])
  })

  it('cancels only pending requests, and refuses customers in the recycle bin', async () => {
    const id = await customer('Cleo')
    const [request] = await app.invoke('brochures:request', { customerId: id })
    await app.runJob('brochures:markPosted', { selection: { kind: 'ids', ids: [request!.id] }, postedOn: '2026-11-10' })
    const cancel = await app.call('brochures:cancel', { id: request!.id })
    expect(cancel.ok).toBe(false)
    if (!cancel.ok) expect(cancel.error).toMatchObject({ code: 'CONFLICT', message: 'This brochure was already posted on 10 Nov 2026; it cannot be cancelled.' })
    expect((await app.call('brochures:cancel', { id: 999 })).ok).toBe(false)

    const binned = await customer('Dora')
    await app.invoke('customers:delete', { id: binned })
    const refused = await app.call('brochures:request', { customerId: binned })
    expect(refused.ok ? null : refused.error.message).toBe('Dora Reader is in the recycle bin; restore them first to request a brochure.')
    expect((await app.call('brochures:request', { customerId: 9999 })).ok).toBe(false)
  })
})

describe('the worklist', () => {
  it('pages pending requests oldest first with each customer’s address and flags, and counts each tab within the dates', async () => {
    const plain = await customer('Plain')
    const noAddress = await customer('Nomad', { addresses: [] })
    const noTown = await customer('Half', { addresses: [{ line1: '2 Low Road' }, { line1: '3 Side Lane', postcode: 'BA2 2BB', isDefaultLetters: false }] })
    const archived = await customer('Arch')
    const blocked = await customer('Block')
    const unsubscribed = await customer('Unsub')
    const deleted = await customer('Gone')
    const ids = [plain, noAddress, noTown, archived, blocked, unsubscribed, deleted]
    for (const [i, id] of ids.entries()) {
      now = new Date(Date.UTC(2026, 10, 1 + i, 12))
      await app.invoke('brochures:request', { customerId: id })
    }
    await app.invoke('customers:archive', { id: archived })
    await app.invoke('customers:block', { id: blocked, reason: 'Rude' })
    await app.db('customers').where({ id: unsubscribed }).update({ unsubscribed: true })
    await app.invoke('customers:delete', { id: deleted })

    const rows = await allRows('pending')
    expect(rows.map((r) => [r.customerName, r.flags])).toEqual([
      ['Plain Reader', []],
      ['Nomad Reader', ['cannotPost']],
      ['Half Reader', []],
      ['Arch Reader', ['archived']],
      ['Block Reader', ['blocked']],
      ['Unsub Reader', ['unsubscribed']],
      ['Gone Reader', ['deleted']],
    ])
    expect(rows[0]).toMatchObject({ customerNumber: expect.stringMatching(/^C-0*\d+$/), address: '1 High Street, Bath BA1 1AA, GB', takenByName: 'Administrator' })
    // The first postable address stands in when the first one lacks a town and a postcode.
    expect(rows[2]!.address).toBe('3 Side Lane, BA2 2BB')

    expect(await app.invoke('brochures:counts', { filter: {} })).toEqual({ pending: 7, posted: 0 })
    const window = { from: '2026-11-02', to: '2026-11-04' }
    expect((await allRows('pending', window)).map((r) => r.customerName)).toEqual(['Nomad Reader', 'Half Reader', 'Arch Reader'])
    expect(await app.invoke('brochures:counts', { filter: window })).toEqual({ pending: 3, posted: 0 })

    now = new Date('2026-11-20T10:00:00Z')
    await app.runJob('brochures:markPosted', { selection: { kind: 'ids', ids: [rows[0]!.id, rows[2]!.id] }, postedOn: '2026-11-19' })
    expect(await app.invoke('brochures:counts', { filter: {} })).toEqual({ pending: 5, posted: 2 })
    const posted = await allRows('posted')
    expect(posted.map((r) => [r.customerName, r.postedOn, r.postedByName])).toEqual([
      ['Half Reader', '2026-11-19', 'Administrator'],
      ['Plain Reader', '2026-11-19', 'Administrator'],
    ])
  })

  it('refuses backwards dates and broken cursors', async () => {
    const backwards = await app.call('brochures:worklist', { tab: 'pending', filter: { from: '2026-11-05', to: '2026-11-01' } })
    expect(backwards.ok ? null : backwards.error).toMatchObject({ code: 'VALIDATION', field: 'filter.to' })
    const cursor = await app.call('brochures:worklist', { tab: 'pending', after: 'bm9wZQ' })
    expect(cursor.ok ? null : cursor.error.message).toBe('This page is no longer valid; go back to the first page.')
  })
})

describe('marking requests as posted', () => {
  async function threePending(): Promise<number[]> {
    const ids: number[] = []
    for (const name of ['One', 'Two', 'Three']) {
      const [request] = await app.invoke('brochures:request', { customerId: await customer(name) })
      ids.push(request!.id)
    }
    return ids
  }

  it('marks every request matching the filter on the day given, with a log entry each', async () => {
    const ids = await threePending()
    const result = await app.runJob<MarkPostedResult>('brochures:markPosted', {
      selection: { kind: 'filter', tab: 'pending', filter: { from: '2026-11-10', to: '2026-11-10' }, expectedCount: 3 },
      postedOn: '2026-11-10',
    })
    expect(result).toEqual({ posted: 3 })
    const rows = (await app.db('brochure_requests').whereIn('id', ids).select('status', 'posted_on', 'posted_by_name')) as unknown[]
    expect(rows).toEqual(Array(3).fill({ status: 'posted', posted_on: '2026-11-10', posted_by_name: 'Administrator' }))
    const log = (await app.db('change_log').where({ action: 'brochure.posted' }).select('entity_id', 'summary')) as Array<{ entity_id: number; summary: string }>
    expect(log.map((r) => r.entity_id).sort()).toEqual([...ids].sort())
    expect(log[0]!.summary).toBe('Brochure posted on 10 Nov 2026')
  })

  it('refuses a future posting date, a stale "all matching" count and requests no longer pending, changing nothing', async () => {
    const ids = await threePending()
    const future = await app.call('brochures:markPosted', { selection: { kind: 'ids', ids }, postedOn: '2026-11-11' })
    expect(future.ok ? null : future.error).toMatchObject({ code: 'VALIDATION', field: 'postedOn', message: 'The posting date cannot be in the future.' })

    const stale = await app.call('brochures:markPosted', { selection: { kind: 'filter', tab: 'pending', filter: {}, expectedCount: 2 }, postedOn: '2026-11-10' })
    expect(stale.ok ? null : stale.error.message).toBe('The worklist changed since you selected it: 3 requests match now. Check and try again.')

    await app.invoke('brochures:cancel', { id: ids[1]! })
    const partly = await app.call('brochures:markPosted', { selection: { kind: 'ids', ids }, postedOn: '2026-11-09' })
    expect(partly.ok ? null : partly.error.message).toBe('1 of the chosen requests were posted, cancelled or removed meanwhile. Reload the worklist and choose again.')
    expect(await app.db('brochure_requests').where({ status: 'posted' }).count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await app.db('change_log').where({ action: 'brochure.posted' }).count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('rolls back whole when writing the log fails midway', async () => {
    const ids = await threePending()
    // A trigger refusing the second log row stands in for a disk failing halfway.
    await refuseInserts(app.db, 'refuse_second', 'change_log', `NEW.action = 'brochure.posted' AND NEW.entity_id = ${ids[1]}`)
    const status = await app.callJob('brochures:markPosted', { selection: { kind: 'ids', ids }, postedOn: '2026-11-10' })
    expect(status.state).toBe('failed')
    expect(await app.db('brochure_requests').where({ status: 'pending' }).count({ n: '*' })).toEqual([{ n: 3 }])
  })
})

describe('requests in bulk and with a new customer', () => {
  it('requests for every customer matching the list filter, skipping those already waiting', async () => {
    const ids = [await customer('Ann'), await customer('Bo'), await customer('Cy'), await customer('Di')]
    await app.invoke('brochures:request', { customerId: ids[1]! })
    const active = (await app.invoke('customers:counts', {})).active
    const result = await app.runJob<BulkResult>('customers:bulk', {
      selection: { kind: 'filter', tab: 'active', filter: {}, expectedCount: active },
      action: { kind: 'requestBrochure' },
    })
    expect(result).toEqual({ selected: 4, changed: 3 })
    expect(await app.invoke('brochures:counts', { filter: {} })).toEqual({ pending: 4, posted: 0 })
    // One log entry per request made, none for the customer who was already waiting.
    expect(await app.db('change_log').where({ action: 'brochure.requested' }).count({ n: '*' })).toEqual([{ n: 4 }])
    const picked = await app.runJob<BulkResult>('customers:bulk', { selection: { kind: 'ids', ids: [ids[0]!] }, action: { kind: 'requestBrochure' } })
    expect(picked).toEqual({ selected: 1, changed: 0 })
  })

  it('takes the request with a new customer, in the same transaction', async () => {
    const created = await app.invoke('customers:create', { firstName: 'Eve', lastName: 'New', addresses: [address], requestBrochure: true })
    expect((await app.invoke('brochures:forCustomer', { customerId: created.id })).map((r) => r.status)).toEqual(['pending'])
    expect(await logActions(created.id)).toEqual(['customer.created', 'brochure.requested'])

    const plain = await app.invoke('customers:create', { firstName: 'Fay', lastName: 'New' })
    expect(await app.invoke('brochures:forCustomer', { customerId: plain.id })).toEqual([])

    // A failing request undoes the new customer too.
    await refuseInserts(app.db, 'refuse_request', 'brochure_requests')
    const failed = await app.call('customers:create', { firstName: 'Gil', lastName: 'New', requestBrochure: true })
    expect(failed.ok).toBe(false)
    expect(await app.db('customers').where({ first_name: 'Gil' }).count({ n: '*' })).toEqual([{ n: 0 }])
  })
})

describe('a large mailing', () => {
  it('requests for 5,000 customers in bulk and marks them all posted in one transaction', async () => {
    await app.runJob('demo:seed', { count: 5000 })
    const counts = await app.invoke('customers:counts', {})
    const started = performance.now()
    const result = await app.runJob<BulkResult>('customers:bulk', {
      selection: { kind: 'filter', tab: 'active', filter: {}, expectedCount: counts.active },
      action: { kind: 'requestBrochure' },
    })
    const requestMs = performance.now() - started
    expect(result).toEqual({ selected: counts.active, changed: counts.active })

    const pageStarted = performance.now()
    const page = await app.invoke('brochures:worklist', { tab: 'pending', pageSize: 50 })
    const pageMs = performance.now() - pageStarted
    expect(page.rows).toHaveLength(50)

    // The main process only checks the selection; the marking runs as a job.
    const markStarted = performance.now()
    const job = await app.invoke('brochures:markPosted', {
      selection: { kind: 'filter', tab: 'pending', filter: {}, expectedCount: counts.active },
      postedOn: '2026-11-10',
    })
    const answerMs = performance.now() - markStarted
    const posted = jobResult<MarkPostedResult>(await finishJob(app.call, job))
    const markMs = performance.now() - markStarted
    console.info(
      `brochures: ${counts.active} requested in bulk ${requestMs.toFixed(0)} ms, first worklist page ${pageMs.toFixed(0)} ms, ` +
        `mark posted answered in ${answerMs.toFixed(0)} ms and done in ${markMs.toFixed(0)} ms`,
    )
    expect(posted).toEqual({ posted: counts.active })
    expect(job.label).toBe(`Marking ${counts.active.toLocaleString('en-GB')} brochure requests as posted`)
    expect(await app.invoke('brochures:counts', { filter: {} })).toEqual({ pending: 0, posted: counts.active })
    expect(await app.db('change_log').where({ action: 'brochure.posted' }).count({ n: '*' })).toEqual([{ n: counts.active }])
  }, 120_000)
})
