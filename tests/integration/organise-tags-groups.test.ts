import type { TagUsage } from '../../preload/contract'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import * as organise from '../../main/services/organise'
import type { ServiceContext } from '../../main/services/context'

let app: TestCore
let staff: ServiceContext
beforeEach(async () => {
  app = await openTestCore()
  staff = { ...app.context(), staff: { id: 1, name: 'Sam at the desk', role: 'staff' } }
  for (const firstName of ['Ann', 'Bob', 'Cy']) await app.invoke('customers:create', { firstName })
})
afterEach(async () => {
  await app.cleanup()
})

async function linkCount(table: string, where: Record<string, number>): Promise<number> {
  const [row] = (await app.db(table).where(where).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n)
}

describe('tags', () => {
  it('are unique whatever the case or accents, and a clash names the existing tag', async () => {
    const cafe = await app.invoke('tags:create', { name: '  Café VIP ', color: '#2E7D32' })
    expect(cafe).toMatchObject({ name: 'Café VIP', color: '#2E7D32' })
    const clash = await app.call('tags:create', { name: 'cafe vip' })
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name', message: expect.stringContaining('Café VIP') } })
  })

  it('tags a customer by name (creating it once), logs on the customer and returns their tags', async () => {
    expect((await app.invoke('customers:addTag', { customerId: 1, name: 'Regular' })).map((t) => t.name)).toEqual(['Regular'])
    const tags = await app.invoke('customers:addTag', { customerId: 2, name: 'REGULAR' })
    expect(tags).toHaveLength(1)
    expect(await app.db('tags').count({ n: '*' })).toEqual([{ n: 1 }])
    await app.invoke('customers:addTag', { customerId: 2, name: 'regular' }) // already there: no second log entry
    expect((await app.invoke('customers:changes', { id: 2, kind: 'tags' })).map((c) => c.action)).toEqual(['tag.added'])
    expect(await app.invoke('customers:removeTag', { customerId: 2, tagId: tags[0]!.id })).toEqual([])
    expect((await app.invoke('customers:changes', { id: 2, kind: 'tags' })).map((c) => c.action)).toEqual(['tag.removed', 'tag.added'])
    expect(await app.call('customers:removeTag', { customerId: 2, tagId: 99 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it("shows each customer's tags in the list by name, with their colours, whatever page or search finds them", async () => {
    await app.invoke('tags:create', { name: 'Zumba', color: '#2E7D32' })
    for (const name of ['Zumba', 'ávila trip', 'Mornings']) await app.invoke('customers:addTag', { customerId: 1, name })
    await app.invoke('customers:addTag', { customerId: 2, name: 'Mornings' })
    const tagsOf = (rows: Array<{ id: number; tags: Array<{ name: string; color: string | null }> }>, id: number) => rows.find((r) => r.id === id)?.tags
    for (const input of [{}, { search: 'ann' }, { search: 'a' }, { sort: 'name' as const, direction: 'desc' as const }, { tagIds: [] }]) {
      const rows = (await app.invoke('customers:list', input)).rows
      expect(tagsOf(rows, 1)?.map((t) => t.name), JSON.stringify(input)).toEqual(['ávila trip', 'Mornings', 'Zumba'])
      expect(tagsOf(rows, 1)?.[2]?.color).toBe('#2E7D32')
      if (!('search' in input)) {
        expect(tagsOf(rows, 2)?.map((t) => t.name)).toEqual(['Mornings'])
        expect(tagsOf(rows, 3)).toEqual([])
      }
    }
  })

  it('suggests prefix matches first, then contains, most used first', async () => {
    await app.invoke('customers:addTag', { customerId: 1, name: 'Vegan' })
    await app.invoke('customers:addTag', { customerId: 1, name: 'Very important' })
    await app.invoke('customers:addTag', { customerId: 2, name: 'Very important' })
    await app.invoke('customers:addTag', { customerId: 1, name: 'Névé skier' })
    expect((await app.invoke('tags:suggest', { query: 've' })).map((t) => t.name)).toEqual(['Very important', 'Vegan', 'Névé skier'])
    expect((await app.invoke('tags:suggest', { query: 'neve', limit: 1 })).map((t) => t.name)).toEqual(['Névé skier'])
    expect((await app.invoke('tags:suggest', { query: '%' })).length).toBe(0)
    expect((await app.invoke('tags:usage', undefined)).map((t) => [t.name, t.customers])).toEqual([
      ['Névé skier', 1],
      ['Vegan', 1],
      ['Very important', 2],
    ])
    // Folded as customer search folds, letters Unicode does not decompose too; invisible characters typed are dropped.
    await app.invoke('customers:addTag', { customerId: 2, name: 'Łódź group' })
    for (const query of ['lodz', 'ŁÓDŹ', 'lo\u200Bdz', 'odz g']) expect((await app.invoke('tags:suggest', { query })).map((t) => t.name)).toEqual(['Łódź group'])
  })

  it('merges without duplicate links, logging one entry; staff may not merge, rename or delete', async () => {
    await app.invoke('customers:addTag', { customerId: 1, name: 'VIP' })
    await app.invoke('customers:addTag', { customerId: 2, name: 'VIP' })
    await app.invoke('customers:addTag', { customerId: 2, name: 'V.I.P.' })
    await app.invoke('customers:addTag', { customerId: 3, name: 'V.I.P.' })
    const [vip, dotted] = [(await app.db('tags').where({ name: 'VIP' }).first()).id, (await app.db('tags').where({ name: 'V.I.P.' }).first()).id]
    expect(await app.as(staff.staff, () => app.call('tags:merge', { sourceId: dotted, targetId: vip }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await expect(organise.updateTag(staff, { id: vip, name: 'Gold', color: null })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await app.as(staff.staff, () => app.call('tags:delete', { id: vip }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await organise.updateTag(staff, { id: vip, name: 'VIP', color: '#FF0000' })).toMatchObject({ color: '#FF0000' })

    const logBefore = await linkCount('change_log', {})
    expect(await app.runJob('tags:merge', { sourceId: dotted, targetId: vip })).toMatchObject({ id: vip, name: 'VIP' })
    expect(await linkCount('customer_tags', { tag_id: vip })).toBe(3)
    expect(await linkCount('customer_tags', { tag_id: dotted })).toBe(0)
    expect(await app.db('tags').where({ id: dotted }).first()).toBeUndefined()
    expect(await linkCount('change_log', {})).toBe(logBefore + 1)
    expect(await app.db('change_log').orderBy('id', 'desc').first()).toMatchObject({ action: 'tag.merged', customer_id: null, entity_type: 'tag' })
    expect(await app.call('tags:merge', { sourceId: vip, targetId: vip })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'targetId' } })
  })

  it('renaming into an existing name suggests a merge; delete removes the links', async () => {
    const a = await app.invoke('tags:create', { name: 'Alpha' })
    await app.invoke('tags:create', { name: 'Beta' })
    expect(await app.call('tags:update', { id: a.id, name: 'BETA' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: expect.stringMatching(/Merge/) },
    })
    expect(await app.invoke('tags:update', { id: a.id, name: 'Alfa' })).toMatchObject({ name: 'Alfa' })
    await app.invoke('customers:addTag', { customerId: 1, name: 'alfa' })
    expect((await app.runJob<TagUsage[]>('tags:delete', { id: a.id })).map((t) => t.name)).toEqual(['Beta'])
    expect(await linkCount('customer_tags', {})).toBe(0)
  })
})

describe('customer lists (groups)', () => {
  it('creates with unique names, adds and removes customers with a log, counts usage; only admins delete', async () => {
    const list = await app.invoke('groups:create', { name: 'Newsletter', description: 'Monthly' })
    expect(await app.call('groups:create', { name: 'newsletter' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })
    expect(await app.invoke('customers:addToGroup', { customerId: 1, groupId: list.id })).toEqual([{ id: list.id, name: 'Newsletter' }])
    await app.invoke('customers:addToGroup', { customerId: 1, groupId: list.id })
    await app.invoke('customers:addToGroup', { customerId: 2, groupId: list.id })
    expect(await app.invoke('groups:usage', undefined)).toEqual([{ id: list.id, name: 'Newsletter', description: 'Monthly', customers: 2 }])
    expect(await app.invoke('customers:removeFromGroup', { customerId: 2, groupId: list.id })).toEqual([])
    expect((await app.invoke('customers:changes', { id: 2, kind: 'groups' })).map((c) => c.action)).toEqual(['group.removed', 'group.added'])
    expect((await app.invoke('customers:changes', { id: 1, kind: 'groups' })).length).toBe(1)
    expect(await app.invoke('groups:update', { id: list.id, name: 'Monthly letter' })).toEqual({ id: list.id, name: 'Monthly letter' })
    expect(await app.as(staff.staff, () => app.call('groups:delete', { id: list.id }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await app.runJob('groups:delete', { id: list.id })).toEqual([])
    expect(await app.call('customers:addToGroup', { customerId: 1, groupId: list.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('saved filters', () => {
  it('saves by name, overwrites the same name, lists and deletes', async () => {
    const saved = await app.invoke('savedFilters:save', { name: 'Consenting', filter: { marketingConsent: 'yes' } })
    expect(saved.filter).toMatchObject({ marketingConsent: 'yes', tagIds: [], search: '' })
    const again = await app.invoke('savedFilters:save', { name: 'consenting ', filter: { marketingConsent: 'no', createdFrom: '2026-01-01' } })
    expect(again.id).toBe(saved.id)
    await app.invoke('savedFilters:save', { name: 'All Bobs', filter: { search: 'bob' } })
    const list = await app.invoke('savedFilters:list', undefined)
    expect(list.map((f) => [f.name, f.filter.marketingConsent])).toEqual([
      ['All Bobs', 'any'],
      ['consenting', 'no'],
    ])
    expect((await app.invoke('savedFilters:delete', { id: saved.id })).map((f) => f.name)).toEqual(['All Bobs'])
    expect(await app.call('savedFilters:delete', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await app.call('savedFilters:save', { name: 'x', filter: { createdFrom: '2026-02-01', createdTo: '2026-01-01' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'filter.createdTo' },
    })
  })
})
