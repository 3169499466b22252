import type { Knex } from 'knex'
import type { z } from 'zod'
import type { createTagInput, TagRef, TagUsage, updateTagInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { foldForMatching } from '../../../preload/contract/fold'
import { stripInvisible } from '../../../preload/contract/text'
import { loadWritableCustomer } from '../customers'
import { requireAdmin } from '../permissions'
import { foldName, tidyName } from './names'
import { NO_PROGRESS, type Progress } from '../progress'
import { removeInBatches } from '../batches'
import { chunks } from '../../../db/idChunks'

interface TagRow {
  id: number
  name: string
  name_normalized: string
  color: string | null
}

const toRef = (row: TagRow): TagRef => ({ id: row.id, name: row.name, color: row.color })

async function loadTag(db: Knex, id: number, field = 'id'): Promise<TagRow> {
  const row = (await db('tags').where({ id }).first()) as TagRow | undefined
  if (!row) throw new NotFound(`This tag no longer exists (${field}); reload the tags.`)
  return row
}

function nameTaken(existing: TagRow, hint = ''): Conflict {
  const message = `There is already a tag called “${existing.name}”.${hint}`
  return new Conflict(message, { field: 'name', fields: { name: message } })
}

/** Every tag by name, for pickers and filters. */
export async function listTags(ctx: ServiceContext): Promise<TagRef[]> {
  return (await ctx.db('tags').orderBy('name_normalized').select('id', 'name', 'color')) as TagRef[]
}

/** Customers per tag. Links of customers in the recycle bin count too: a restore brings them back. */
async function usageCounts(db: Knex): Promise<Map<number, number>> {
  const rows = (await db('customer_tags').groupBy('tag_id').select('tag_id').count({ n: '*' })) as Array<{ tag_id: number; n: number }>
  return new Map(rows.map((r) => [r.tag_id, Number(r.n)]))
}

/**
 * Customers each tag is on, counted up to `cap`: a suggestion's rank needs no more, and a tag on most
 * of a million customers is not counted at every keystroke (70 ms where this takes well under one).
 */
async function usageCountsUpTo(db: Knex, tagIds: number[], cap: number): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  for (const ids of chunks(tagIds)) {
    const rows = (await db('tags as t')
      .whereIn('t.id', ids)
      .select('t.id as tag_id', db.raw('(SELECT count(*) FROM (SELECT 1 FROM customer_tags ct WHERE ct.tag_id = t.id LIMIT ?) used) AS n', [cap]))) as Array<{
      tag_id: number
      n: number
    }>
    for (const row of rows) counts.set(row.tag_id, Number(row.n))
  }
  return counts
}

/** Past this many customers, tags rank as equally used (then by name). */
const SUGGESTION_USAGE_CAP = 1000

/**
 * Autocomplete: tags starting with what was typed, then tags containing it,
 * each group most used first, folded as customer search folds ("lodz" finds
 * Łódź). The tags table is small (names, not customers), so it is read whole
 * and matched here; the counts read the (tag_id) index.
 */
export async function suggestTags(ctx: ServiceContext, query: string, limit: number): Promise<TagRef[]> {
  const folded = foldForMatching(stripInvisible(query)).trim()
  const tags = (await ctx.db('tags').select('id', 'name', 'name_normalized', 'color')) as TagRow[]
  const names = new Map(tags.map((t) => [t.id, foldForMatching(t.name)]))
  const candidates = tags.filter((t) => names.get(t.id)!.includes(folded))
  const counts = await usageCountsUpTo(
    ctx.db,
    candidates.map((t) => t.id),
    SUGGESTION_USAGE_CAP,
  )
  const rank = (t: TagRow) => (names.get(t.id)!.startsWith(folded) ? 0 : 1)
  return candidates
    .sort((a, b) => rank(a) - rank(b) || (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0) || a.name_normalized.localeCompare(b.name_normalized))
    .slice(0, limit)
    .map(toRef)
}

export async function tagUsage(ctx: ServiceContext): Promise<TagUsage[]> {
  const [tags, counts] = await Promise.all([
    ctx.db('tags').orderBy('name_normalized').select('id', 'name', 'name_normalized', 'color') as Promise<TagRow[]>,
    usageCounts(ctx.db),
  ])
  return tags.map((t) => ({ ...toRef(t), customers: counts.get(t.id) ?? 0 }))
}

async function findTagByName(db: Knex, name: string): Promise<TagRow | undefined> {
  return (await db('tags').where({ name_normalized: foldName(name) }).first()) as TagRow | undefined
}

async function insertTag(trx: Knex, ctx: ServiceContext, name: string, color: string | null): Promise<TagRow> {
  const tidy = tidyName(name)
  const [row] = (await trx('tags')
    .insert({ name: tidy, name_normalized: foldName(tidy), color, created_at: ctx.clock().toISOString() })
    .returning(['id', 'name', 'name_normalized', 'color'])) as TagRow[]
  await recordChange(trx, ctx, {
    customerId: null,
    entityType: 'tag',
    entityId: row!.id,
    action: 'tag.created',
    summary: `Created the tag “${tidy}”`,
  })
  return row!
}

/** The tag with this name (any case or accents), created if new: what typing a tag on a customer does. */
export async function findOrCreateTag(trx: Knex, ctx: ServiceContext, name: string): Promise<TagRow> {
  return (await findTagByName(trx, name)) ?? insertTag(trx, ctx, name, null)
}

export async function createTag(ctx: ServiceContext, input: z.output<typeof createTagInput>): Promise<TagRef> {
  return ctx.db.transaction(async (trx) => {
    const existing = await findTagByName(trx, input.name)
    if (existing) throw nameTaken(existing)
    return toRef(await insertTag(trx, ctx, input.name, input.color))
  })
}

/** Recolour (anyone) or rename (administrators: a rename changes the tag on every customer). */
export async function updateTag(ctx: ServiceContext, input: z.output<typeof updateTagInput>): Promise<TagRef> {
  return ctx.db.transaction(async (trx) => {
    const before = await loadTag(trx, input.id)
    const name = tidyName(input.name)
    const renamed = name !== before.name
    if (renamed) {
      requireAdmin(ctx, 'Only an administrator can rename tags.')
      const existing = await findTagByName(trx, name)
      if (existing && existing.id !== before.id) throw nameTaken(existing, ' Merge the two tags instead.')
    }
    if (!renamed && input.color === before.color) return toRef(before)
    await trx('tags').where({ id: before.id }).update({ name, name_normalized: foldName(name), color: input.color })
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'tag',
      entityId: before.id,
      action: 'tag.updated',
      summary: renamed ? `Renamed the tag “${before.name}” to “${name}”` : `Changed the colour of “${name}”`,
      changes: [
        ...(renamed ? [{ field: 'Name', before: before.name, after: name }] : []),
        ...(input.color !== before.color ? [{ field: 'Colour', before: before.color, after: input.color }] : []),
      ],
    })
    return { id: before.id, name, color: input.color }
  })
}

/**
 * Moves every customer of `source` to `target` (customers with both keep one
 * link) and removes `source`. Logged as ONE entry on the tag rather than one
 * per customer: a popular tag can sit on 400,000 customers, and 400k log rows
 * would make a routine tidy-up take minutes and swell the log. Runs as a job
 * (seconds at that size), in batches with progress; all or nothing.
 */
export async function mergeTags(ctx: ServiceContext, sourceId: number, targetId: number, progress: Progress = NO_PROGRESS): Promise<TagRef> {
  checkMerge(sourceId, targetId)
  return ctx.db.transaction(async (trx) => {
    const source = await loadTag(trx, sourceId, 'sourceId')
    const target = await loadTag(trx, targetId, 'targetId')
    const moved = await removeInBatches(trx, { table: 'customer_tags', column: 'tag_id', value: source.id, key: 'customer_id' }, progress, (keys) =>
      trx.raw(
        `INSERT INTO customer_tags (customer_id, tag_id, created_at)
         SELECT customer_id, ?, created_at FROM customer_tags WHERE tag_id = ? AND customer_id BETWEEN ? AND ?
         ON CONFLICT DO NOTHING`,
        [target.id, source.id, keys[0]!, keys[keys.length - 1]!],
      ),
    )
    await trx('tags').where({ id: source.id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'tag',
      entityId: target.id,
      action: 'tag.merged',
      summary: `Merged the tag “${source.name}” into “${target.name}” (${moved} customers)`,
      changes: [{ field: 'Tag', before: source.name, after: target.name }],
    })
    return toRef(target)
  })
}

function checkMerge(sourceId: number, targetId: number): void {
  if (sourceId === targetId) throw ValidationFailed.field('targetId', 'Choose two different tags to merge.')
}

/** The job's name for a merge, refusing at once what the job would refuse (the same tag twice, a tag gone). */
export async function describeTagMerge(ctx: ServiceContext, sourceId: number, targetId: number): Promise<string> {
  checkMerge(sourceId, targetId)
  const [source, target] = [await loadTag(ctx.db, sourceId, 'sourceId'), await loadTag(ctx.db, targetId, 'targetId')]
  return `Merging the tag “${source.name}” into “${target.name}”`
}

/** Removes a tag from every customer and deletes it; one log entry, as for a merge. A job, in batches. */
export async function deleteTag(ctx: ServiceContext, id: number, progress: Progress = NO_PROGRESS): Promise<TagUsage[]> {
  await ctx.db.transaction(async (trx) => {
    const tag = await loadTag(trx, id)
    const customers = await removeInBatches(trx, { table: 'customer_tags', column: 'tag_id', value: tag.id, key: 'customer_id' }, progress)
    await trx('tags').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'tag',
      entityId: id,
      action: 'tag.deleted',
      summary: `Deleted the tag “${tag.name}” (removed from ${customers} customers)`,
      changes: [{ field: 'Tag', before: tag.name, after: null }],
    })
  })
  return tagUsage(ctx)
}

export async function describeTagDelete(ctx: ServiceContext, id: number): Promise<string> {
  return `Deleting the tag “${(await loadTag(ctx.db, id)).name}”`
}

export async function tagsOfCustomer(db: Knex, customerId: number): Promise<TagRef[]> {
  return (await db('customer_tags as ct')
    .join('tags as t', 't.id', 'ct.tag_id')
    .where('ct.customer_id', customerId)
    .orderBy('t.name_normalized')
    .select('t.id', 't.name', 't.color')) as TagRef[]
}

/** Tags a customer by name: an existing tag (any case/accents) or a new one. */
export async function addCustomerTag(ctx: ServiceContext, customerId: number, name: string): Promise<TagRef[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, customerId)
    const tag = await findOrCreateTag(trx, ctx, name)
    const linked = await trx('customer_tags').where({ customer_id: customerId, tag_id: tag.id }).first()
    if (!linked) {
      await trx('customer_tags').insert({ customer_id: customerId, tag_id: tag.id, created_at: ctx.clock().toISOString() })
      await recordChange(trx, ctx, {
        customerId,
        entityType: 'tag',
        entityId: tag.id,
        action: 'tag.added',
        summary: `Tagged “${tag.name}”`,
        changes: [{ field: 'Tags', before: null, after: tag.name }],
      })
    }
    return tagsOfCustomer(trx, customerId)
  })
}

export async function removeCustomerTag(ctx: ServiceContext, customerId: number, tagId: number): Promise<TagRef[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, customerId)
    const tag = await loadTag(trx, tagId, 'tagId')
    const removed = await trx('customer_tags').where({ customer_id: customerId, tag_id: tagId }).delete()
    if (removed) {
      await recordChange(trx, ctx, {
        customerId,
        entityType: 'tag',
        entityId: tagId,
        action: 'tag.removed',
        summary: `Removed the tag “${tag.name}”`,
        changes: [{ field: 'Tags', before: tag.name, after: null }],
      })
    }
    return tagsOfCustomer(trx, customerId)
  })
}
