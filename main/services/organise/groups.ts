import type { Knex } from 'knex'
import type { z } from 'zod'
import type { createGroupInput, GroupRef, GroupUsage, updateGroupInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, NotFound } from '../errors'
import { loadWritableCustomer } from '../customers'
import { foldName, tidyName } from './names'
import { NO_PROGRESS, type Progress } from '../progress'
import { removeInBatches } from '../batches'

interface GroupRow {
  id: number
  name: string
  description: string
}

export async function loadGroup(db: Knex, id: number, field = 'id'): Promise<GroupRow> {
  const row = (await db('customer_groups').where({ id }).first('id', 'name', 'description')) as GroupRow | undefined
  if (!row) throw new NotFound(`This customer list no longer exists (${field}); reload the lists.`)
  return row
}

async function assertNameFree(db: Knex, name: string, exceptId: number | null): Promise<void> {
  const existing = (await db('customer_groups').where({ name_normalized: foldName(name) }).first('id', 'name')) as GroupRow | undefined
  if (!existing || existing.id === exceptId) return
  const message = `There is already a customer list called “${existing.name}”.`
  throw new Conflict(message, { field: 'name', fields: { name: message } })
}

/** Every customer list by name, for pickers and filters. */
export async function listGroups(ctx: ServiceContext): Promise<GroupRef[]> {
  return (await ctx.db('customer_groups').orderBy('name_normalized').select('id', 'name')) as GroupRef[]
}

/** Members per list; customers in the recycle bin still count (a restore brings them back). */
export async function groupUsage(ctx: ServiceContext): Promise<GroupUsage[]> {
  const [groups, counts] = await Promise.all([
    ctx.db('customer_groups').orderBy('name_normalized').select('id', 'name', 'description') as Promise<GroupRow[]>,
    ctx.db('customer_group_members').groupBy('group_id').select('group_id').count({ n: '*' }) as Promise<Array<{ group_id: number; n: number }>>,
  ])
  const byGroup = new Map(counts.map((r) => [r.group_id, Number(r.n)]))
  return groups.map((g) => ({ id: g.id, name: g.name, description: g.description, customers: byGroup.get(g.id) ?? 0 }))
}

export async function createGroup(ctx: ServiceContext, input: z.output<typeof createGroupInput>): Promise<GroupRef> {
  return ctx.db.transaction(async (trx) => {
    const name = tidyName(input.name)
    await assertNameFree(trx, name, null)
    const [row] = (await trx('customer_groups')
      .insert({ name, name_normalized: foldName(name), description: input.description, created_at: ctx.clock().toISOString() })
      .returning('id')) as Array<{ id: number }>
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'group',
      entityId: row!.id,
      action: 'group.created',
      summary: `Created the customer list “${name}”`,
    })
    return { id: row!.id, name }
  })
}

export async function updateGroup(ctx: ServiceContext, input: z.output<typeof updateGroupInput>): Promise<GroupRef> {
  return ctx.db.transaction(async (trx) => {
    const before = await loadGroup(trx, input.id)
    const name = tidyName(input.name)
    if (name === before.name && input.description === before.description) return { id: before.id, name }
    await assertNameFree(trx, name, before.id)
    await trx('customer_groups').where({ id: before.id }).update({ name, name_normalized: foldName(name), description: input.description })
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'group',
      entityId: before.id,
      action: 'group.updated',
      summary: `Changed the customer list “${name}”`,
      changes: [
        ...(name !== before.name ? [{ field: 'Name', before: before.name, after: name }] : []),
        ...(input.description !== before.description
          ? [{ field: 'Description', before: before.description || null, after: input.description || null }]
          : []),
      ],
    })
    return { id: before.id, name }
  })
}

/** Deletes a list (its members stay customers); one log entry. */
/** Deletes a list and every membership of it; one log entry. A job, in batches with progress; all or nothing. */
export async function deleteGroup(ctx: ServiceContext, id: number, progress: Progress = NO_PROGRESS): Promise<GroupUsage[]> {
  await ctx.db.transaction(async (trx) => {
    const group = await loadGroup(trx, id)
    const members = await removeInBatches(trx, { table: 'customer_group_members', column: 'group_id', value: id, key: 'customer_id' }, progress)
    await trx('customer_groups').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'group',
      entityId: id,
      action: 'group.deleted',
      summary: `Deleted the customer list “${group.name}” (${members} customers)`,
      changes: [{ field: 'List', before: group.name, after: null }],
    })
  })
  return groupUsage(ctx)
}

export async function describeGroupDelete(ctx: ServiceContext, id: number): Promise<string> {
  return `Deleting the customer list “${(await loadGroup(ctx.db, id)).name}”`
}

export async function groupsOfCustomer(db: Knex, customerId: number): Promise<GroupRef[]> {
  return (await db('customer_group_members as gm')
    .join('customer_groups as g', 'g.id', 'gm.group_id')
    .where('gm.customer_id', customerId)
    .orderBy('g.name_normalized')
    .select('g.id', 'g.name')) as GroupRef[]
}

export async function addCustomerToGroup(ctx: ServiceContext, customerId: number, groupId: number): Promise<GroupRef[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, customerId)
    const group = await loadGroup(trx, groupId, 'groupId')
    const member = await trx('customer_group_members').where({ customer_id: customerId, group_id: groupId }).first()
    if (!member) {
      await trx('customer_group_members').insert({ customer_id: customerId, group_id: groupId, created_at: ctx.clock().toISOString() })
      await recordChange(trx, ctx, {
        customerId,
        entityType: 'group',
        entityId: groupId,
        action: 'group.added',
        summary: `Added to the list “${group.name}”`,
        changes: [{ field: 'Lists', before: null, after: group.name }],
      })
    }
    return groupsOfCustomer(trx, customerId)
  })
}

export async function removeCustomerFromGroup(ctx: ServiceContext, customerId: number, groupId: number): Promise<GroupRef[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, customerId)
    const group = await loadGroup(trx, groupId, 'groupId')
    const removed = await trx('customer_group_members').where({ customer_id: customerId, group_id: groupId }).delete()
    if (removed) {
      await recordChange(trx, ctx, {
        customerId,
        entityType: 'group',
        entityId: groupId,
        action: 'group.removed',
        summary: `Removed from the list “${group.name}”`,
        changes: [{ field: 'Lists', before: group.name, after: null }],
      })
    }
    return groupsOfCustomer(trx, customerId)
  })
}
