import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { Channel, Input } from '../../preload/contract'
import type { StaffMember } from '../../main/services/context'
import * as organise from '../../main/services/organise'

/**
 * What only an administrator may do, asked for by a member of staff through
 * the router (as the app's page would): refused in words before anything
 * changes. The rule for each is main/ipc/access.ts; tests/integration/roles.test.ts
 * covers every channel, this file the wording and that nothing changed.
 */
let app: TestCore
const sam: StaffMember = { id: 2, name: 'Sam at the desk', role: 'staff' }
let ids: { tag: number; otherTag: number; group: number; customer: number; field: number }

beforeAll(async () => {
  app = await openTestCore()
  const tag = await app.invoke('tags:create', { name: 'VIP' })
  const otherTag = await app.invoke('tags:create', { name: 'Gold' })
  const group = await app.invoke('groups:create', { name: 'Newsletter' })
  const customer = await app.invoke('customers:create', { firstName: 'Ann' })
  const [field] = await app.invoke('customFields:save', { label: 'Allergies', type: 'text', options: [] })
  ids = { tag: tag.id, otherTag: otherTag.id, group: group.id, customer: customer.id, field: field!.id }
})
afterAll(async () => {
  await app.cleanup()
})

async function changeLogSize(): Promise<number> {
  const [row] = (await app.db('change_log').count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n)
}

type Request = { [C in Channel]: [string, string, C, () => Input<C>] }[Channel]

const adminOnly: Request[] = [
  ['merging tags', 'Only an administrator can merge tags.', 'tags:merge', () => ({ sourceId: ids.tag, targetId: ids.otherTag })],
  ['deleting a tag', 'Only an administrator can delete tags.', 'tags:delete', () => ({ id: ids.tag })],
  ['deleting a customer list', 'Only an administrator can delete customer lists.', 'groups:delete', () => ({ id: ids.group })],
  ['deleting a customer', 'Only an administrator can delete customers.', 'customers:delete', () => ({ id: ids.customer })],
  ['opening the recycle bin', 'Only an administrator can open the recycle bin.', 'recycleBin:list', () => undefined],
  ['restoring from the recycle bin', 'Only an administrator can restore customers from the recycle bin.', 'recycleBin:restore', () => ({ id: ids.customer })],
  ['emptying the recycle bin', 'Only an administrator can empty the recycle bin.', 'recycleBin:purge', () => ({ id: ids.customer })],
  ['saving a custom field', 'Only an administrator can change custom fields.', 'customFields:save', () => ({ label: 'Shoe size', type: 'text', options: [] })],
  ['deleting a custom field', 'Only an administrator can change custom fields.', 'customFields:delete', () => ({ id: ids.field })],
  ['adding sample data', 'Only an administrator can add sample data.', 'demo:seed', () => ({ count: 5, seed: 1 })],
  ['changing settings', 'Only an administrator can change settings.', 'settings:update', () => ({ businessName: 'Taken over' })],
  ['importing', 'Only an administrator can import customers.', 'imports:choose', () => undefined],
  ['exporting', 'Only an administrator can export customers.', 'exports:columns', () => undefined],
  ['adjusting rewards', 'Only an administrator can adjust a rewards balance.', 'rewards:adjust', () => ({ customerId: ids.customer, amountMinor: 100, reason: 'Try' })],
  ['adding staff', 'Only an administrator can manage staff accounts.', 'staff:create', () => ({ name: 'Eve', role: 'admin', password: 'let me in please' })],
]

describe('admin-only requests', () => {
  it.each(adminOnly)('refuse staff: %s', async (_what, message, channel, input) => {
    const before = await changeLogSize()
    const result = await app.as(sam, () => app.call(channel, input() as never))
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message } })
    expect(await changeLogSize()).toBe(before)
  })

  it('renaming a tag is for administrators (it changes every tagged customer); recolouring is anyone’s', async () => {
    const before = await changeLogSize()
    expect(await app.as(sam, () => app.call('tags:update', { id: ids.tag, name: 'Platinum', color: null }))).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only an administrator can rename tags.' },
    })
    expect(await changeLogSize()).toBe(before)
    expect(await app.as(sam, () => app.call('tags:update', { id: ids.tag, name: 'VIP', color: '#FF0000' }))).toMatchObject({ ok: true, data: { color: '#FF0000' } })
  })

  it('are checked in one place: no service reads the staff role but permissions.ts', () => {
    const root = join(__dirname, '..', '..', 'main')
    const readers: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.ts') && /staff\.role\b/.test(readFileSync(path, 'utf8'))) readers.push(relative(root, path))
      }
    }
    walk(root)
    expect(readers).toEqual([join('services', 'permissions.ts')])
  })

  it('the one rule left in a service needs the database (whether a tag’s name changes), so the table cannot hold it', async () => {
    await expect(organise.updateTag({ ...app.context(), staff: sam }, { id: ids.otherTag, name: 'Silver', color: null })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})
