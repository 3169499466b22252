import type { z } from 'zod'
import { customerFilter, type SavedFilter, type saveFilterInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { NotFound } from '../errors'
import { foldName, tidyName } from './names'

interface SavedFilterRow {
  id: number
  name: string
  filter: string
}

/**
 * A stored filter read back through the current schema, so one saved by an
 * older version gains the new fields' defaults; one that no longer fits at
 * all opens as an empty filter rather than breaking the list of filters.
 */
function toSavedFilter(row: SavedFilterRow): SavedFilter {
  let stored: unknown
  try {
    stored = JSON.parse(row.filter)
  } catch {
    stored = {}
  }
  const parsed = customerFilter.safeParse(stored)
  return { id: row.id, name: row.name, filter: parsed.success ? parsed.data : customerFilter.parse({}) }
}

export async function listSavedFilters(ctx: ServiceContext): Promise<SavedFilter[]> {
  const rows = (await ctx.db('saved_filters').orderBy('name_normalized').select('id', 'name', 'filter')) as SavedFilterRow[]
  return rows.map(toSavedFilter)
}

/** Saves under a name; saving again under the same name (any case or accents) replaces that filter. */
export async function saveFilter(ctx: ServiceContext, input: z.output<typeof saveFilterInput>): Promise<SavedFilter> {
  return ctx.db.transaction(async (trx) => {
    const name = tidyName(input.name)
    const now = ctx.clock().toISOString()
    const existing = (await trx('saved_filters').where({ name_normalized: foldName(name) }).first('id', 'filter')) as
      | SavedFilterRow
      | undefined
    const filter = JSON.stringify(input.filter)
    let id: number
    if (existing) {
      id = existing.id
      await trx('saved_filters').where({ id }).update({ name, filter, updated_at: now })
    } else {
      const [row] = (await trx('saved_filters')
        .insert({ name, name_normalized: foldName(name), filter, created_at: now, updated_at: now })
        .returning('id')) as Array<{ id: number }>
      id = row!.id
    }
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'savedFilter',
      entityId: id,
      action: existing ? 'savedFilter.replaced' : 'savedFilter.saved',
      summary: `${existing ? 'Replaced' : 'Saved'} the filter “${name}”`,
      changes: existing && existing.filter !== filter ? [{ field: 'Filter', before: existing.filter, after: filter }] : [],
    })
    return { id, name, filter: input.filter }
  })
}

export async function deleteSavedFilter(ctx: ServiceContext, id: number): Promise<SavedFilter[]> {
  await ctx.db.transaction(async (trx) => {
    const row = (await trx('saved_filters').where({ id }).first('id', 'name')) as SavedFilterRow | undefined
    if (!row) throw new NotFound('This saved filter no longer exists.')
    await trx('saved_filters').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'savedFilter',
      entityId: id,
      action: 'savedFilter.deleted',
      summary: `Deleted the filter “${row.name}”`,
    })
  })
  return listSavedFilters(ctx)
}
