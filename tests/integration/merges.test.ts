import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MergeResult, MergeUndoResult } from '../../preload/contract'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import { countRelated, makeFamily, searchDocuments, snapshotDatabase, type Family } from '../helpers/merges'

/** Merging two or three records into one, with its preview, and undoing it exactly. */
// Each test builds three records with something in every table, through the API.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 })
let app: TestCore
let now = new Date('2026-11-10T10:00:00Z')
let family: Family
beforeEach(async () => {
  now = new Date('2026-11-10T10:00:00Z')
  app = await openTestCore({ clock: () => now })
  const cat = await createCatalogue(app, { now })
  family = await makeFamily(app, { sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId })
  now = new Date('2026-11-11T09:00:00Z')
})
afterEach(async () => {
  await app.cleanup()
})

const merge = (input: { customerIds: number[]; survivorId: number; choices?: Record<string, number> }) =>
  app.runJob<MergeResult>('merges:merge', { choices: {}, ...input })
const undo = (mergeId: number) => app.runJob<MergeUndoResult>('merges:undo', { mergeId })

/** Every row counted per customer, summed over the given ones. */
function total(counts: Record<string, Record<number, number>>, key: string, ids: number[]): number {
  return ids.reduce((sum, id) => sum + (counts[key]![id] ?? 0), 0)
}

describe('the merge preview', () => {
  it('lists every field with each value, counts everything that moves, and flags conflicts', async () => {
    const { anna, ann, annie } = family
    const preview = await app.invoke('merges:preview', { customerIds: [anna, ann, annie], survivorId: anna })
    expect(preview.canMerge).toBe(true)
    expect(preview.customers.map((c) => c.id)).toEqual([anna, ann, annie])
    const email = preview.fields.find((f) => f.key === 'email')!
    expect(email.values.map((v) => v.text)).toEqual(['anna.smith@example.com', 'ann.s@example.org', ''])
    expect(email).toMatchObject({ differs: true, proposed: anna })
    // Anna has no company: Ann's is proposed.
    expect(preview.fields.find((f) => f.key === 'company')).toMatchObject({ proposed: ann })
    expect(preview.fields.find((f) => f.key === `custom:${family.fieldId}`)!.values.map((v) => v.text)).toEqual(['38', '39', ''])
    const count = (key: string) => preview.counts.find((c) => c.key === key)
    // Ann's two bookings and Annie's one; Ann's membership was sold with its own order.
    expect(count('bookings')).toMatchObject({ moves: 3, duplicates: 0 })
    expect(count('payments')).toMatchObject({ moves: 2 })
    expect(count('phones')).toMatchObject({ moves: 2, duplicates: 1 })
    expect(count('addresses')).toMatchObject({ moves: 1, duplicates: 1 })
    expect(count('customer_tags')).toMatchObject({ moves: 2, duplicates: 1 })
    expect(count('customer_group_members')).toMatchObject({ moves: 1, duplicates: 1 })
    expect(count('notes')).toMatchObject({ moves: 3 })
    expect(count('customer_plans')).toMatchObject({ moves: 1 })
    expect(count('payment_methods')).toMatchObject({ moves: 1 })
    expect(count('brochure_requests')).toMatchObject({ moves: 1 })
    expect(count('referrals')).toMatchObject({ moves: 1 })
    expect(count('consent_events')!.moves).toBeGreaterThan(0)
    expect(preview.conflicts.map((c) => c.message).join(' ')).toMatch(/each have an active membership/)
    // Ann unsubscribed: the more restrictive consent wins.
    expect(preview.consent).toMatchObject({ marketingConsent: false, unsubscribed: true })
    expect(preview.rewardsBalanceMinor).toBe(500)
  })

  it('refuses a record in the recycle bin, and survivors that are not among those merged', async () => {
    const { anna, annie } = family
    await app.invoke('customers:delete', { id: annie })
    const preview = await app.invoke('merges:preview', { customerIds: [anna, annie], survivorId: anna })
    expect(preview.canMerge).toBe(false)
    expect(preview.conflicts[0]).toMatchObject({ level: 'block', message: expect.stringMatching(/recycle bin/) })
    const refused = await app.call('merges:merge', { customerIds: [anna, annie], survivorId: anna, choices: {} })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^Nothing was merged\..*recycle bin/) } })
    expect(await app.call('merges:preview', { customerIds: [anna, annie], survivorId: 999 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'survivorId' } })
  })

  it('is for administrators only', async () => {
    const { anna, ann } = family
    const refused = await app.as({ id: 1, name: 'Sam', role: 'staff' }, () => app.call('merges:preview', { customerIds: [anna, ann], survivorId: anna }))
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('merging', () => {
  it('moves every related row to the survivor in one go, keeps duplicates once, and undo restores the database exactly', async () => {
    const { anna, ann, annie, payer, friend } = family
    const ids = [anna, ann, annie]
    const before = await snapshotDatabase(app.db)
    const versionsBefore = await app.db('customers').whereIn('id', ids).orderBy('id').select('id', 'version')
    const searchBefore = await searchDocuments(app.db)
    const countsBefore = await countRelated(app.db, [...ids, payer, friend])

    const result = await merge({ customerIds: ids, survivorId: anna, choices: { email: ann, [`custom:${family.fieldId}`]: ann, household: ann } })
    expect(result).toMatchObject({ survivorId: anna, mergedNumbers: [`C-${String(ann).padStart(6, '0')}`, `C-${String(annie).padStart(6, '0')}`] })

    const after = await countRelated(app.db, [...ids, payer, friend])
    // Everything the merged records had is now the survivor's (less what the survivor already had).
    const folded: Record<string, number> = { 'phones.customer_id': 1, 'addresses.customer_id': 1, 'customer_tags.customer_id': 1, 'customer_group_members.customer_id': 1, 'customer_custom_values.customer_id': 1 }
    for (const table of ['bookings', 'customer_plans', 'notes', 'consent_events', 'phones', 'addresses', 'payment_methods', 'brochure_requests', 'reward_entries', 'customer_tags', 'customer_group_members', 'customer_custom_values']) {
      const key = `${table}.customer_id`
      expect(after[key]![ann], key).toBe(0)
      expect(after[key]![annie], key).toBe(0)
      expect(after[key]![anna], key).toBe(total(countsBefore, key, ids) - (folded[key] ?? 0))
    }
    expect(after['customers.id']![ann]).toBe(0)
    expect(after['customers.id']![annie]).toBe(0)
    expect(after['customer_aliases.survivor_id']![anna]).toBe(2)
    // The friend Ann referred was referred by the survivor; Ann's payer pays for the survivor now (chosen).
    expect(await app.db('customers').where({ id: friend }).first('referred_by_id')).toEqual({ referred_by_id: anna })
    const survivor = await app.db('customers').where({ id: anna }).first()
    expect(survivor).toMatchObject({ email: 'ann.s@example.org', household_payer_id: payer, rewards_balance_minor: 500 })
    // Booleans read as 0/1 from SQLite and false/true from PostgreSQL.
    expect([Boolean(survivor.marketing_consent), Boolean(survivor.unsubscribed)]).toEqual([false, true])
    expect(await app.db('customer_custom_values').where({ customer_id: anna }).select('value')).toEqual([{ value: '39' }])
    // One primary phone, one default card, one default letters address.
    expect(await app.db('phones').where({ customer_id: anna, is_primary: 1 }).count({ n: '*' })).toEqual([{ n: 1 }])
    expect(await app.db('payment_methods').where({ customer_id: anna, is_default: 1 }).count({ n: '*' })).toEqual([{ n: 1 }])
    expect(await app.db('addresses').where({ customer_id: anna, is_default_letters: 1 }).count({ n: '*' })).toEqual([{ n: 1 }])

    // Report totals follow: what the survivor paid is what its bookings' payments add up to.
    const paid = (await app.db('payments as p').join('bookings as b', 'b.id', 'p.booking_id').where('b.customer_id', anna).where('p.kind', 'payment').sum({ s: 'p.amount_minor' })) as Array<{ s: number }>
    expect(await app.db('report_customers').where({ customer_id: anna }).first('paid')).toEqual({ paid: paid[0]!.s })
    expect(paid[0]!.s).toBe(800)
    expect(await app.db('customer_counts').where({ status: 'active' }).first('count')).toEqual({ count: 3 })

    // Both change logs: the survivor's, and each merged record's under its own number.
    const log = await app.db('change_log').whereIn('customer_id', ids).where('action', 'like', 'customer.merged%').orderBy('id').select('customer_id', 'action', 'summary')
    expect(log.map((l: { customer_id: number; action: string }) => [l.customer_id, l.action])).toEqual([
      [anna, 'customer.merged'],
      [ann, 'customer.mergedInto'],
      [annie, 'customer.mergedInto'],
    ])
    // The survivor's history includes the merged records' own entries.
    const history = await app.invoke('customers:changes', { id: anna, limit: 200 })
    expect(history.some((e) => e.summary.includes('Merged into'))).toBe(true)
    expect(history.some((e) => e.action === 'customer.created' && e.summary.includes('Annie'))).toBe(true)

    // The merged numbers find the survivor: search, caller look-up, opening the old record.
    const annNumber = `C-${String(ann).padStart(6, '0')}`
    const found = await app.invoke('customers:list', { search: annNumber })
    expect(found.rows.map((r) => r.id)).toEqual([anna])
    expect((await app.invoke('customers:list', { search: '+44 1225 555000' })).caller?.matches.map((m) => m.id)).toEqual([anna])
    expect(await app.call('customers:get', { id: ann })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', mergedInto: { id: anna, number: `C-${String(anna).padStart(6, '0')}` } },
    })

    const merges = await app.invoke('merges:forCustomer', { customerId: anna })
    expect(merges).toMatchObject([{ id: result.mergeId, mergedIds: [ann, annie], undoBlockedBy: null }])

    // Undo: the database as it was (history aside), the search index too.
    now = new Date('2026-11-11T10:00:00Z')
    const undone = await undo(result.mergeId)
    expect(undone.restoredIds).toEqual([ann, annie])
    expect(await snapshotDatabase(app.db)).toEqual(before)
    // Undoing is a change of its own: a desk holding a copy of the survivor from before it must not save over it.
    const versionsAfter = await app.db('customers').whereIn('id', ids).orderBy('id').select('id', 'version')
    const versionOf = (rows: Array<{ id: number; version: number }>, id: number) => rows.find((row) => row.id === id)!.version
    expect(versionOf(versionsAfter, anna)).toBeGreaterThan(versionOf(versionsBefore, anna))
    for (const id of ids) expect(versionOf(versionsAfter, id)).toBeGreaterThanOrEqual(versionOf(versionsBefore, id))
    expect(await searchDocuments(app.db)).toEqual(searchBefore)
    expect((await app.invoke('customers:list', { search: 'Annie' })).rows.map((r) => r.id)).toEqual([annie])
    expect((await app.invoke('customers:get', { id: ann })).email).toBe('ann.s@example.org')
    const undoneLog = await app.db('change_log').whereIn('customer_id', ids).whereIn('action', ['customer.mergeUndone', 'customer.unmerged']).count({ n: '*' })
    expect(undoneLog).toEqual([{ n: 3 }])
    expect((await app.invoke('merges:forCustomer', { customerId: anna }))[0]).toMatchObject({ undoneAt: now.toISOString(), undoBlockedBy: null })
    expect(await app.call('merges:undo', { mergeId: result.mergeId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already undone/) } })
  })

  it('merges the survivor itself later and undoes in reverse order only', async () => {
    const { anna, ann, annie } = family
    const before = await snapshotDatabase(app.db)
    const first = await merge({ customerIds: [ann, annie], survivorId: ann })
    const second = await merge({ customerIds: [anna, ann], survivorId: anna })
    // Annie's old number follows the chain to Anna.
    expect((await app.invoke('customers:list', { search: `C-${String(annie).padStart(6, '0')}` })).rows.map((r) => r.id)).toEqual([anna])
    const blocked = await app.call('merges:undo', { mergeId: first.mergeId })
    expect(blocked).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/undo that merge first/) } })
    await undo(second.mergeId)
    await undo(first.mergeId)
    expect(await snapshotDatabase(app.db)).toEqual(before)
  })

  it('explains what blocks an undo: a moved booking given to someone else, a survivor in the recycle bin', async () => {
    const { anna, ann, payer } = family
    const result = await merge({ customerIds: [anna, ann], survivorId: anna })
    const booking = (await app.db('bookings').where({ customer_id: anna }).orderBy('id').first('id')) as { id: number }
    const annBooking = (JSON.parse(((await app.db('merges').where({ id: result.mergeId }).first('undo')) as { undo: string }).undo) as { moved: Array<{ t: string; k: number }> }).moved.find((m) => m.t === 'bookings')!.k
    expect(booking.id).toBeLessThan(annBooking + 10)
    await app.db('bookings').where({ id: annBooking }).update({ customer_id: payer })
    const records = await app.invoke('merges:forCustomer', { customerId: anna })
    expect(records[0]!.undoBlockedBy).toMatch(/A booking that came from C-\d+ now belongs to C-\d+/)
    await app.db('bookings').where({ id: annBooking }).update({ customer_id: anna })
    await app.invoke('customers:delete', { id: anna })
    expect((await app.invoke('merges:forCustomer', { customerId: anna }))[0]!.undoBlockedBy).toMatch(/recycle bin/)
    await app.invoke('recycleBin:restore', { id: anna })
    expect((await app.invoke('merges:forCustomer', { customerId: anna }))[0]!.undoBlockedBy).toBeNull()
  })

  it('keeps a field changed since the merge, and refuses an email taken since', async () => {
    const { anna, ann } = family
    const result = await merge({ customerIds: [anna, ann], survivorId: anna, choices: { company: ann } })
    const detail = await app.invoke('customers:get', { id: anna })
    // Someone else now uses Ann's old email.
    const other = await app.invoke('customers:create', { firstName: 'Other', email: 'ann.s@example.org' })
    expect((await app.invoke('merges:forCustomer', { customerId: anna }))[0]!.undoBlockedBy).toMatch(/ann\.s@example\.org.*now used by/)
    await app.invoke('customers:update', { id: other.id, customer: { firstName: 'Other', email: '' } })
    const phones = detail.phones.map(({ id, label, number, isPrimary }) => ({ id, label, number, isPrimary }))
    await app.invoke('customers:update', { id: anna, customer: { firstName: detail.firstName, lastName: detail.lastName, company: 'Renamed Ltd', email: detail.email, phones, addresses: detail.addresses } })
    await undo(result.mergeId)
    expect((await app.invoke('customers:get', { id: anna })).company).toBe('Renamed Ltd')
    expect((await app.invoke('customers:get', { id: ann })).company).toBe('Smith & Co')
  })
})
