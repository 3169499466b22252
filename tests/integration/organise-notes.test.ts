import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'

let app: TestCore
let now = new Date('2026-03-10T12:00:00Z')
beforeEach(async () => {
  now = new Date('2026-03-10T12:00:00Z')
  app = await openTestCore({ clock: () => now })
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Lee' })
  await app.invoke('customers:create', { firstName: 'Bob', lastName: 'Ray' })
})
afterEach(async () => {
  await app.cleanup()
})

const actions = async (id: number) => (await app.invoke('customers:changes', { id })).map((c) => c.action)

describe('notes', () => {
  it('adds notes newest on top, pinned first, with author, source and times, and logs each write', async () => {
    await app.invoke('notes:add', { customerId: 1, body: 'First' })
    await app.invoke('notes:add', { customerId: 1, body: 'Pinned one', pinned: true })
    const notes = await app.invoke('notes:add', { customerId: 1, body: 'Third', reminderOn: '2026-03-09' })
    expect(notes.map((n) => n.body)).toEqual(['Pinned one', 'Third', 'First'])
    expect(notes[0]).toMatchObject({ pinned: true, source: 'staff', authorName: 'Administrator', createdAt: now.toISOString(), customerId: 1 })
    expect(notes[1]!.reminderOn).toBe('2026-03-09')
    expect(await actions(1)).toEqual(['note.added', 'note.added', 'note.added', 'customer.created'])
  })

  it('edits, pins and deletes with before → after in the log (long bodies cut)', async () => {
    const [note] = await app.invoke('notes:add', { customerId: 1, body: 'x'.repeat(1000) })
    const edited = await app.invoke('notes:update', { id: note!.id, body: 'Short now' })
    expect(edited[0]!.body).toBe('Short now')
    const [change] = await app.invoke('customers:changes', { id: 1, kind: 'notes' })
    expect(change).toMatchObject({ action: 'note.edited' })
    expect(change!.changes[0]!.before!.length).toBeLessThanOrEqual(200)
    expect(change!.changes[0]!.after).toBe('Short now')

    await app.invoke('notes:update', { id: note!.id, body: 'Short now', pinned: true })
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ action: 'note.pinned', summary: 'Pinned a note' })
    // Saving without a change writes nothing.
    await app.invoke('notes:update', { id: note!.id, body: 'Short now', pinned: true })
    expect(await app.invoke('notes:delete', { id: note!.id })).toEqual([])
    expect(await actions(1)).toEqual(['note.deleted', 'note.pinned', 'note.edited', 'note.added', 'customer.created'])
    expect(await app.call('notes:delete', { id: note!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('persists a new order and refuses an order that misses or adds notes', async () => {
    for (const body of ['a', 'b', 'c', 'd']) await app.invoke('notes:add', { customerId: 1, body })
    const [other] = await app.invoke('notes:add', { customerId: 2, body: 'other customer' })
    const current = await app.invoke('notes:list', { customerId: 1 })
    expect(current.map((n) => n.body)).toEqual(['d', 'c', 'b', 'a'])
    const wanted = [current[2]!.id, current[0]!.id, current[3]!.id, current[1]!.id]
    await app.invoke('notes:reorder', { customerId: 1, orderedIds: wanted })
    const reloaded = await app.invoke('notes:list', { customerId: 1 })
    expect(reloaded.map((n) => n.id)).toEqual(wanted)
    expect((await app.invoke('customers:changes', { id: 1 }))[0]!.action).toBe('note.reordered')

    for (const orderedIds of [wanted.slice(1), [...wanted, other!.id], [wanted[0]!, wanted[0]!, wanted[1]!, wanted[2]!]]) {
      expect(await app.call('notes:reorder', { customerId: 1, orderedIds })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'orderedIds' },
      })
    }
    expect((await app.invoke('notes:list', { customerId: 1 })).map((n) => n.id)).toEqual(wanted)
  })

  it('lists due reminders oldest first with the customer, skipping deleted customers', async () => {
    await app.invoke('notes:add', { customerId: 1, body: 'Call back', reminderOn: '2026-03-10' })
    await app.invoke('notes:add', { customerId: 2, body: 'Older', reminderOn: '2026-03-01' })
    await app.invoke('notes:add', { customerId: 2, body: 'Later', reminderOn: '2026-04-01' })
    const due = await app.invoke('notes:reminders', {})
    expect(due.map((r) => [r.body, r.customerNumber, r.customerName])).toEqual([
      ['Older', 'C-000002', 'Bob Ray'],
      ['Call back', 'C-000001', 'Ann Lee'],
    ])
    expect((await app.invoke('notes:reminders', { dueOn: '2026-04-01' })).length).toBe(3)
    await app.invoke('customers:delete', { id: 2 })
    expect((await app.invoke('notes:reminders', { dueOn: '2026-04-01' })).map((r) => r.body)).toEqual(['Call back'])
  })

  it('marks imported notes with their source', async () => {
    await app.db('notes').insert({ customer_id: 1, body: 'From the old system', source: 'OldCRM', author_name: 'J. Smith', created_at: 'x', updated_at: 'x' })
    expect((await app.invoke('notes:list', { customerId: 1 }))[0]).toMatchObject({ source: 'OldCRM', authorName: 'J. Smith' })
  })

  it('refuses notes for unknown customers and for customers in the recycle bin', async () => {
    expect(await app.call('notes:add', { customerId: 99, body: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await app.invoke('customers:delete', { id: 2 })
    expect(await app.call('notes:add', { customerId: 2, body: 'x' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('notes:add', { customerId: 1, body: '  ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'body' } })
    expect(await app.call('notes:add', { customerId: 1, body: 'x', reminderOn: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reminderOn' },
    })
  })
})

describe('the profile summary', () => {
  it('shows created date, zero bookings, the first five notes pinned first and due reminders', async () => {
    for (let i = 1; i <= 6; i++) await app.invoke('notes:add', { customerId: 1, body: `n${i}`, reminderOn: i <= 2 ? '2026-03-10' : '2026-12-01' })
    await app.invoke('notes:add', { customerId: 1, body: 'pinned', pinned: true })
    const summary = await app.invoke('customers:summary', { id: 1 })
    expect(summary).toMatchObject({
      createdAt: '2026-03-10T12:00:00.000Z',
      bookings: 0,
      appointments: 0,
      money: [{ currency: 'GBP', invoicedMinor: 0, incomeReceivedMinor: 0, outstandingMinor: 0, creditMinor: 0 }],
      dueReminders: 2,
    })
    expect(summary.notes.map((n) => n.body)).toEqual(['pinned', 'n6', 'n5', 'n4', 'n3'])
    expect(await app.call('customers:summary', { id: 42 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
