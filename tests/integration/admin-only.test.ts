import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { ServiceContext } from '../../main/services/context'
import * as organise from '../../main/services/organise'
import * as profile from '../../main/services/profile'
import { requireSampleDataRights } from '../../main/services/app'
import { seedSampleCustomers } from '../../main/demo/seed'

/** Every service call only an administrator may make, refused to staff before it changes anything. */
let app: TestCore
let staff: ServiceContext
let ids: { tag: number; otherTag: number; group: number; customer: number; field: number }

beforeAll(async () => {
  app = await openTestCore()
  staff = { ...app.context(), staff: { id: 2, name: 'Sam at the desk', role: 'staff' } }
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

const adminOnly: Array<[string, string, () => unknown]> = [
  ['renaming a tag', 'Only an administrator can rename tags.', () => organise.updateTag(staff, { id: ids.tag, name: 'Platinum', color: null })],
  ['merging tags', 'Only an administrator can merge tags.', () => organise.mergeTags(staff, ids.tag, ids.otherTag)],
  ['naming a tag merge job', 'Only an administrator can merge tags.', () => organise.describeTagMerge(staff, ids.tag, ids.otherTag)],
  ['deleting a tag', 'Only an administrator can delete tags.', () => organise.deleteTag(staff, ids.tag)],
  ['naming a tag delete job', 'Only an administrator can delete tags.', () => organise.describeTagDelete(staff, ids.tag)],
  ['deleting a customer list', 'Only an administrator can delete customer lists.', () => organise.deleteGroup(staff, ids.group)],
  ['naming a list delete job', 'Only an administrator can delete customer lists.', () => organise.describeGroupDelete(staff, ids.group)],
  ['deleting a customer', 'Only an administrator can delete customers.', () => organise.deleteCustomer(staff, ids.customer)],
  ['emptying the recycle bin', 'Only an administrator can empty the recycle bin.', () => organise.purgeCustomer(staff, ids.customer)],
  ['saving a custom field', 'Only an administrator can change custom fields.', () => profile.saveCustomField(staff, { label: 'Shoe size', type: 'text', options: [] })],
  ['deleting a custom field', 'Only an administrator can change custom fields.', () => profile.deleteCustomField(staff, ids.field)],
  ['naming a custom field delete job', 'Only an administrator can change custom fields.', () => profile.describeCustomFieldDelete(staff, ids.field)],
  ['starting sample data', 'Only an administrator can add sample data.', () => requireSampleDataRights(staff)],
  ['adding sample data', 'Only an administrator can add sample data.', () => seedSampleCustomers(staff, 5, 1)],
]

describe('admin-only service calls', () => {
  it.each(adminOnly)('refuse staff: %s', async (_what, message, call) => {
    const before = await changeLogSize()
    await expect((async () => call())()).rejects.toMatchObject({ code: 'FORBIDDEN', message })
    expect(await changeLogSize()).toBe(before)
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
})
