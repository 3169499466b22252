import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testWorker } from '../helpers/worker'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { openFrontdesk } from '../../main/app-core'
import type { changeKinds, JobStatus, RecyclePurgeResult } from '../../preload/contract'

let app: TestCore
let now: Date
beforeEach(async () => {
  now = new Date('2026-05-01T09:00:00Z')
  app = await openTestCore({ clock: () => now })
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', phones: [{ number: '07700 900123' }] })
  await app.invoke('customers:create', { firstName: 'Bob', lastName: 'Ray', email: 'bob@example.com' })
})
afterEach(async () => {
  await app.cleanup()
})

const days = (n: number) => new Date(now.getTime() + n * 86_400_000)

describe('the recycle bin', () => {
  it('deletes into the bin: out of tabs, search and counts, email free, profile still readable', async () => {
    await app.invoke('customers:addTag', { customerId: 1, name: 'VIP' })
    await app.invoke('notes:add', { customerId: 1, body: 'Keep me' })
    const recycled = await app.invoke('customers:delete', { id: 1 })
    expect(recycled).toMatchObject({ id: 1, number: 'C-000001', displayName: 'Ann Lee', deletedBy: 'Administrator', deletedAt: now.toISOString() })
    expect(recycled.purgeOn).toBe(days(30).toISOString())
    expect(await app.invoke('customers:counts', {})).toMatchObject({ active: 1, archived: 0, blocked: 0 })
    expect((await app.invoke('customers:list', { search: 'Ann' })).rows).toEqual([])
    expect((await app.invoke('customers:list', { tab: 'archived' })).rows).toEqual([])
    expect((await app.invoke('customers:get', { id: 1 })).status).toBe('deleted')
    expect(await app.call('customers:update', { id: 1, customer: { firstName: 'X' } })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('customers:archive', { id: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('customers:delete', { id: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // The email is free for someone new.
    const newcomer = await app.invoke('customers:create', { firstName: 'Anna', email: 'ANN@example.com' })
    // Restoring would clash: refused, naming the other customer.
    expect(await app.call('recycleBin:restore', { id: 1 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining(newcomer.number), existing: { id: newcomer.id } },
    })
    await app.invoke('customers:update', { id: newcomer.id, customer: { firstName: 'Anna', email: 'anna@example.com' } })
    const restored = await app.invoke('recycleBin:restore', { id: 1 })
    expect(restored).toMatchObject({ status: 'active', tags: [{ name: 'VIP' }] })
    expect((await app.invoke('customers:list', { search: 'Ann Lee' })).rows.map((r) => r.id)).toEqual([1])
    expect((await app.invoke('customers:changes', { id: 1, kind: 'status' })).map((c) => c.action)).toEqual(['customer.restored', 'customer.deleted'])
    expect(await app.invoke('recycleBin:list', undefined)).toEqual([])
  })

  it('restores the status the customer had (blocked stays blocked)', async () => {
    await app.invoke('customers:block', { id: 2, reason: 'No-shows' })
    await app.invoke('customers:delete', { id: 2 })
    expect(await app.invoke('recycleBin:restore', { id: 2 })).toMatchObject({ status: 'blocked', statusReason: 'No-shows' })
    expect(await app.invoke('customers:counts', {})).toMatchObject({ active: 1, blocked: 1 })
  })

  it('only administrators delete, restore or purge', async () => {
    const sam = { id: 1, name: 'Sam', role: 'staff' as const }
    expect(await app.as(sam, () => app.call('customers:delete', { id: 1 }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only an administrator can delete customers.' } })
    await app.invoke('customers:delete', { id: 1 })
    expect(await app.as(sam, () => app.call('recycleBin:purge', { id: 1 }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await app.as(sam, () => app.call('recycleBin:restore', { id: 1 }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await app.invoke('recycleBin:restore', { id: 1 })).status).toBe('active')
  })

  it('purges for good on demand: children go, the change log stays', async () => {
    await app.invoke('notes:add', { customerId: 1, body: 'Private' })
    await app.invoke('customers:addTag', { customerId: 1, name: 'VIP' })
    expect(await app.call('recycleBin:purge', { id: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await app.invoke('customers:delete', { id: 1 })
    expect(await app.runJob<RecyclePurgeResult>('recycleBin:purge', { id: 1 })).toEqual({ purged: 1, checkpointed: true })
    expect(await app.invoke('recycleBin:list', undefined)).toEqual([])
    for (const table of ['customers', 'phones', 'notes', 'customer_tags']) {
      expect(await app.db(table).where(table === 'customers' ? { id: 1 } : { customer_id: 1 }).count({ n: '*' })).toEqual([{ n: 0 }])
    }
    expect((await app.invoke('customers:changes', { id: 1 })).map((c) => c.action)).toEqual([
      'customer.purged',
      'customer.deleted',
      'tag.added',
      'note.added',
      'customer.created',
    ])
    expect(await app.call('customers:get', { id: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await app.invoke('customers:counts', {})).active).toBe(1)
    expect(await app.db('customer_counts').where({ status: 'deleted' }).first()).toMatchObject({ count: 0 })
  })

  it('purges as a job in the worker: the channel answers at once, the customer goes only when the job is done', async () => {
    await app.invoke('customers:delete', { id: 1 })
    // A job ahead in the queue keeps the purge waiting, so what is read meanwhile is certainly from before it.
    const ahead = await app.invoke('demo:seed', { count: 1500, seed: 3 })
    const started = await app.invoke('recycleBin:purge', { id: 1 })
    expect(started).toMatchObject({ kind: 'recyclePurge', state: 'queued', label: 'Deleting Ann Lee (C-000001) for good', result: null })
    expect(await app.invoke('customers:get', { id: 1 })).toMatchObject({ status: 'deleted' })
    expect((await app.invoke('recycleBin:list', undefined)).map((r) => r.id)).toEqual([1])
    expect((await app.invoke('jobs:get', { id: started.id })).state).toBe('queued')

    expect((await finishJob(app.call, ahead)).state).toBe('done')
    const seen: JobStatus[] = []
    let status = started
    while (status.state === 'queued' || status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 5))
      status = await app.invoke('jobs:get', { id: started.id })
      seen.push(status)
    }
    expect(status).toMatchObject({ state: 'done', result: { purged: 1, checkpointed: true } })
    expect(seen.filter((s) => s.state === 'running').every((s) => s.done <= s.total)).toBe(true)
    expect(await app.call('customers:get', { id: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await app.invoke('recycleBin:list', undefined)).toEqual([])
    // Refused at once, before any job, when the customer is not in the bin (or no longer exists).
    expect(await app.call('recycleBin:purge', { id: 2 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('recycleBin:purge', { id: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(app.jobs.list().filter((j) => j.kind === 'recyclePurge')).toHaveLength(1)
  })

  it('leaves out who is past recycleBinDays and removes them for good in the background, on listing and when the app opens', async () => {
    const binJobs = (core: Pick<TestCore, 'jobs'>) => core.jobs.list().filter((j) => j.kind === 'recyclePurgeExpired')
    await app.invoke('customers:delete', { id: 1 })
    now = days(5)
    await app.invoke('customers:delete', { id: 2 })
    await app.invoke('settings:update', { recycleBinDays: 10 })
    expect((await app.invoke('recycleBin:list', undefined)).map((r) => r.id)).toEqual([2, 1])
    // Nobody due: no job.
    expect(binJobs(app)).toEqual([])

    now = days(6) // customer 1 is now 11 days in the bin, customer 2 six
    // Listed without them at once; the removal itself is a job the list does not wait for.
    expect((await app.invoke('recycleBin:list', undefined)).map((r) => r.id)).toEqual([2])
    const [purging] = binJobs(app)
    expect(purging).toMatchObject({ state: expect.stringMatching(/queued|running/), cancellable: false })
    // Listing again meanwhile starts no second one.
    await app.invoke('recycleBin:list', undefined)
    expect(binJobs(app).filter((j) => j.state === 'queued' || j.state === 'running')).toHaveLength(1)
    expect(await app.jobs.whenFinished(purging!.id)).toMatchObject({ state: 'done', result: { purged: 1, checkpointed: true } })
    expect(await app.db('customers').where({ id: 1 }).first()).toBeUndefined()
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({
      action: 'customer.purged',
      summary: 'Removed for good after 10 days in the recycle bin: C-000001',
    })

    now = days(5)
    await app.close()
    const problems: string[] = []
    const reopened = await openFrontdesk({
      dataFile: app.dataFile,
      isTrustedSender: () => true,
      clock: () => now,
      worker: testWorker,
      onUnexpectedError: (where) => problems.push(where),
    })
    try {
      // Open did not wait for the removal: it is still a job under way when the desk is ready.
      const [onOpen] = binJobs(reopened)
      expect(onOpen).toMatchObject({ state: expect.stringMatching(/queued|running/), label: 'Emptying the recycle bin of customers past their time' })
      expect(await reopened.jobs.whenFinished(onOpen!.id)).toMatchObject({ state: 'done', result: { purged: 1 } })
      expect(await reopened.db('customers').where({ id: 2 }).first()).toBeUndefined()
      expect(problems).toEqual([])
    } finally {
      await reopened.close()
    }
    app = { ...app, close: async () => {} } as TestCore
  })

  it('refuses out-of-range bin settings', async () => {
    expect(await app.call('settings:update', { recycleBinDays: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'recycleBinDays' } })
    expect(await app.call('settings:update', { recycleBinDays: 366 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await app.invoke('settings:get', undefined)).recycleBinDays).toBe(30)
  })
})

describe('the changes tab filtered by kind', () => {
  it('shows only the actions of that kind', async () => {
    await app.invoke('customers:update', { id: 1, customer: { firstName: 'Annie', lastName: 'Lee', email: 'ann@example.com' } })
    await app.invoke('notes:add', { customerId: 1, body: 'n' })
    await app.invoke('customers:addTag', { customerId: 1, name: 't' })
    const list = await app.invoke('groups:create', { name: 'g' })
    await app.invoke('customers:addToGroup', { customerId: 1, groupId: list.id })
    await app.invoke('customers:archive', { id: 1 })
    await app.db('change_log').insert([
      { at: 'x', staff_name: 'x', entity_type: 'customer', entity_id: 1, customer_id: 1, action: 'customer.preferences' },
      { at: 'x', staff_name: 'x', entity_type: 'customer', entity_id: 1, customer_id: 1, action: 'customer.householdJoined' },
      { at: 'x', staff_name: 'x', entity_type: 'paymentMethod', entity_id: 1, customer_id: 1, action: 'paymentMethod.added' },
    ])
    const kind = async (k: (typeof changeKinds)[number]) =>
      (await app.invoke('customers:changes', { id: 1, kind: k })).map((c) => c.action)
    expect(await kind('contact')).toEqual(['customer.updated', 'customer.created'])
    expect(await kind('status')).toEqual(['customer.archived'])
    expect(await kind('notes')).toEqual(['note.added'])
    expect(await kind('tags')).toEqual(['tag.added'])
    expect(await kind('groups')).toEqual(['group.added'])
    expect(await kind('preferences')).toEqual(['customer.preferences'])
    expect(await kind('account')).toEqual(['paymentMethod.added', 'customer.householdJoined'])
    expect((await kind('all')).length).toBe(9)
    expect(await kind('bookings')).toEqual([])
    expect(await app.call('customers:changes', { id: 1, kind: 'money' as never })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'kind' } })
  })
})
