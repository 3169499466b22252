import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { ErasureResult, MergeResult, MergeUndoResult } from '../../preload/contract'
import type { SubjectAccessData } from '../../main/services/privacy/subjectData'
import { collectSubjectData } from '../../main/services/privacy/subjectData'
import { renderSubjectAccess } from '../../main/services/privacy/subjectPdf'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { NO_PROGRESS } from '../../main/services/progress'
import { parsePdf } from '../helpers/pdf'

/*
 * What was written to a customer follows them: a merge moves their emails to
 * the record they were merged into (and undo moves them back), an erasure
 * removes them (nothing still waiting is sent), and a subject access request
 * lists them.
 */

let app: TestCore | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

const number = (id: number) => `C-${String(id).padStart(6, '0')}`

async function person(core: TestCore, firstName: string, email: string): Promise<number> {
  return (await core.invoke('customers:create', { firstName, lastName: 'Pennyfeather', email })).id
}

async function email(core: TestCore, customerId: number, subject: string): Promise<number> {
  return (await core.invoke('messages:send', { customerId, subject, body: 'Dear {{firstName}}, about your visit.' })).id
}

describe('emails in merges, erasure and subject access', () => {
  it('move to the survivor of a merge with their rows unchanged, and back on undo', async () => {
    const core = (app = await openTestCore())
    const survivor = await person(core, 'Imogen', 'imogen@example.org')
    const merged = await person(core, 'Immy', 'immy@example.org')
    const own = await email(core, survivor, 'To the survivor')
    const theirs = [await email(core, merged, 'First to the other'), await email(core, merged, 'Second to the other')]
    const rowsBefore = await core.db('messages').whereIn('id', theirs).orderBy('id')

    const preview = await core.invoke('merges:preview', { customerIds: [survivor, merged], survivorId: survivor })
    expect(preview.counts.find((c) => c.key === 'messages')).toMatchObject({ label: 'Emails', moves: 2 })

    const result = await core.runJob<MergeResult>('merges:merge', { customerIds: [survivor, merged], survivorId: survivor, choices: {} })
    const page = await core.invoke('messages:forCustomer', { customerId: survivor, pageSize: 10 })
    expect(page.rows.map((m) => m.id).sort()).toEqual([own, ...theirs].sort())
    const moved = await core.db('messages').whereIn('id', theirs).orderBy('id')
    expect(moved.map((m: { customer_id: number }) => m.customer_id)).toEqual([survivor, survivor])
    // Only the owner changed: what was written, and to whom, stays as it was.
    expect(moved.map((m: Record<string, unknown>) => ({ ...m, customer_id: 0 }))).toEqual(rowsBefore.map((m: Record<string, unknown>) => ({ ...m, customer_id: 0 })))

    await core.runJob<MergeUndoResult>('merges:undo', { mergeId: result.mergeId })
    expect(await core.db('messages').where({ customer_id: merged }).orderBy('id').pluck('id')).toEqual(theirs)
    expect(await core.db('messages').where({ customer_id: survivor }).pluck('id')).toEqual([own])
  })

  it('are removed with an erasure, waiting ones included, and counted in its preview', async () => {
    const core = (app = await openTestCore())
    const id = await person(core, 'Perpetua', 'perpetua@example.org')
    const other = await person(core, 'Other', 'other@example.org')
    const sent = await email(core, id, 'Hello Perpetua')
    await core.db('messages').where({ id: sent }).update({ status: 'sent', sent_at: new Date().toISOString() })
    await email(core, id, 'Still waiting for Perpetua')
    const kept = await email(core, other, 'For someone else')

    const preview = await core.invoke('privacy:erasePreview', { customerId: id })
    expect(preview.removed).toContainEqual({ label: 'Emails sent to them or waiting to be sent', count: 2 })

    await core.runJob<ErasureResult>('privacy:erase', { customerId: id, confirm: number(id) })
    expect(await core.db('messages').where({ customer_id: id }).count({ n: '*' }).first()).toEqual({ n: 0 })
    expect(await core.db('messages').pluck('id')).toEqual([kept])
    const outbox = await core.invoke('messages:outbox', { status: 'all', pageSize: 50 })
    expect(JSON.stringify(outbox)).not.toContain('Perpetua')
    // The history keeps the line, with the name redacted.
    const summaries = (await core.db('change_log').where({ customer_id: id, action: 'message.queued' }).pluck('summary')) as string[]
    expect(summaries).toHaveLength(2)
    expect(summaries.join(' ')).not.toContain('Perpetua')
  })

  it('are listed in a subject access request: date, kind, subject, to and status, in the data file and the PDF', async () => {
    const core = (app = await openTestCore())
    const id = await person(core, 'Clemency', 'clemency@example.org')
    const waiting = await email(core, id, 'Your Friday class')
    const failed = await email(core, id, 'Receipt for November')
    await core.db('messages').where({ id: failed }).update({ status: 'failed', last_error: '550 No such user' })

    const ctx = { db: core.db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
    const data: SubjectAccessData = await collectSubjectData(ctx, id, NO_PROGRESS)
    expect(data.messages).toEqual([
      expect.objectContaining({ id: waiting, kind: 'general', subject: 'Your Friday class', toAddress: 'clemency@example.org', status: 'queued', queuedAt: expect.any(String) }),
      expect.objectContaining({ id: failed, subject: 'Receipt for November', status: 'failed' }),
    ])
    expect(data.messages[0]!.bodyText).toContain('Dear Clemency')
    expect(data.sections).toContainEqual({ title: 'Emails', count: 2 })

    const pdf = await renderSubjectAccess(ctx, data)
    const text = (await parsePdf(pdf.bytes)).map((p) => p.text).join('\n')
    expect(text).toContain('Emails')
    expect(text).toContain('Your Friday class')
    expect(text).toContain('Receipt for November')
    expect(text).toContain('Failed')
  })
})
