import type { Knex } from 'knex'
import type { z } from 'zod'
import type { CatalogueItem, CatalogueKind, GroupRef, PriceOption, saveCatalogueItemInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { basisPointsToPercent } from '../taxRates'

type SaveItemInput = z.output<typeof saveCatalogueItemInput>

interface ItemRecord {
  id: number
  kind: CatalogueKind
  name: string
  description: string
  location: string
  active: number | boolean
  tax_rate_bp: number | null
  at_customer_address: number | boolean
  confirmation_email: number | boolean
  created_at: string
  updated_at: string
}

interface PriceOptionRecord {
  id: number
  item_id: number
  name: string
  amount_minor: number
  currency: string
  position: number
  archived: number | boolean
}

export function toPriceOption(row: PriceOptionRecord, groups: GroupRef[] = []): PriceOption {
  return {
    id: row.id,
    itemId: row.item_id,
    name: row.name,
    amountMinor: row.amount_minor,
    currency: row.currency,
    archived: Boolean(row.archived),
    position: row.position,
    groups,
  }
}

/** The groups of each item (or price option) asked for, by name. */
async function groupsBy(db: Knex, table: 'catalogue_item_groups' | 'price_option_groups', key: 'item_id' | 'price_option_id', ids: number[]) {
  const byOwner = new Map<number, GroupRef[]>()
  if (!ids.length) return byOwner
  const rows = (await db(`${table} as x`)
    .join('customer_groups as g', 'g.id', 'x.group_id')
    .whereIn(`x.${key}`, ids)
    .orderBy('g.name_normalized')
    .select(`x.${key} as owner`, 'g.id', 'g.name')) as Array<{ owner: number; id: number; name: string }>
  for (const row of rows) {
    const list = byOwner.get(row.owner) ?? []
    list.push({ id: row.id, name: row.name })
    byOwner.set(row.owner, list)
  }
  return byOwner
}

/** Every item (or the ones asked for) with its prices in order and how many sessions are still to come. */
async function loadItems(db: Knex, now: Date, ids?: number[]): Promise<CatalogueItem[]> {
  const itemQuery = db('catalogue_items').orderBy('name').orderBy('id')
  if (ids) itemQuery.whereIn('id', ids)
  const items = (await itemQuery.select('*')) as ItemRecord[]
  if (!items.length) return []
  const itemIds = items.map((i) => i.id)
  const [options, upcoming] = await Promise.all([
    db('price_options').whereIn('item_id', itemIds).orderBy('position').orderBy('id').select('*') as Promise<PriceOptionRecord[]>,
    db('catalogue_sessions')
      .whereIn('item_id', itemIds)
      .where('starts_at', '>=', now.toISOString())
      .groupBy('item_id')
      .select('item_id', db.raw('count(*) as n')) as Promise<Array<{ item_id: number; n: number }>>,
  ])
  const upcomingByItem = new Map(upcoming.map((u) => [u.item_id, Number(u.n)]))
  const [itemGroups, optionGroups] = await Promise.all([
    groupsBy(db, 'catalogue_item_groups', 'item_id', itemIds),
    groupsBy(db, 'price_option_groups', 'price_option_id', options.map((o) => o.id)),
  ])
  return items.map((item) => ({
    id: item.id,
    kind: item.kind,
    name: item.name,
    description: item.description,
    location: item.location,
    active: Boolean(item.active),
    taxRateBp: item.tax_rate_bp,
    atCustomerAddress: Boolean(item.at_customer_address),
    confirmationEmail: Boolean(item.confirmation_email),
    groups: itemGroups.get(item.id) ?? [],
    priceOptions: options.filter((o) => o.item_id === item.id).map((o) => toPriceOption(o, optionGroups.get(o.id) ?? [])),
    upcomingSessions: upcomingByItem.get(item.id) ?? 0,
    createdAt: item.created_at,
    updatedAt: item.updated_at,
  }))
}

export async function listCatalogue(ctx: ServiceContext): Promise<CatalogueItem[]> {
  return loadItems(ctx.db, ctx.clock())
}

async function loadItem(db: Knex, now: Date, id: number): Promise<CatalogueItem> {
  const [item] = await loadItems(db, now, [id])
  if (!item) throw new NotFound('This catalogue item no longer exists.')
  return item
}

/** Price options named in some booking line: they must stay (archived) rather than vanish from old invoices. */
async function bookedOptionIds(db: Knex, optionIds: number[]): Promise<Set<number>> {
  if (!optionIds.length) return new Set()
  const rows = (await db('booking_lines').whereIn('price_option_id', optionIds).distinct('price_option_id')) as Array<{
    price_option_id: number
  }>
  return new Set(rows.map((r) => r.price_option_id))
}

/** Creates or edits an item with its prices: options are matched by id, new ones added, missing ones archived or removed. */
export async function saveCatalogueItem(ctx: ServiceContext, input: SaveItemInput): Promise<CatalogueItem> {
  const now = ctx.clock().toISOString()
  const settings = await getSettings(ctx)
  const id = await ctx.db.transaction(async (trx) => {
    const columns = {
      kind: input.kind,
      name: input.name,
      description: input.description,
      location: input.location,
      active: input.active,
      tax_rate_bp: input.taxRateBp,
      // Only an appointment can be done at the customer's address.
      at_customer_address: input.kind === 'appointment' && input.atCustomerAddress,
      confirmation_email: input.confirmationEmail,
      updated_at: now,
    }
    await checkGroups(trx, [input.groupIds, ...input.priceOptions.map((o) => o.groupIds)])
    let itemId: number
    if (input.id === undefined) {
      const [row] = (await trx('catalogue_items')
        .insert({ ...columns, created_at: now })
        .returning('id')) as Array<{ id: number }>
      itemId = row!.id
      checkTaxRate(settings.taxRates, input.taxRateBp, null)
    } else {
      itemId = input.id
      const before = (await trx('catalogue_items').where({ id: itemId }).first('name', 'kind', 'tax_rate_bp')) as
        | Pick<ItemRecord, 'name' | 'kind' | 'tax_rate_bp'>
        | undefined
      if (!before) throw new NotFound('This catalogue item no longer exists.')
      checkTaxRate(settings.taxRates, input.taxRateBp, before.tax_rate_bp)
      // Bookings are counted as bookings or appointments by their item's kind; changing it would rewrite that history.
      if (before.kind !== input.kind && (await itemIsBooked(trx, itemId))) {
        throw ValidationFailed.field('kind', `${before.name} has bookings, so it stays ${KIND_WORDS[before.kind]}. Create a new item instead.`)
      }
      await trx('catalogue_items').where({ id: itemId }).update(columns)
    }
    await savePriceOptions(trx, itemId, input.priceOptions)
    await trx('catalogue_item_groups').where({ item_id: itemId }).delete()
    if (input.groupIds.length) await trx('catalogue_item_groups').insert(unique(input.groupIds).map((group_id) => ({ item_id: itemId, group_id })))
    return itemId
  })
  return loadItem(ctx.db, ctx.clock(), id)
}

const unique = (ids: number[]) => [...new Set(ids)]

/** An item's rate is one the business lists (or the one it already had, kept after the rate left Settings). */
function checkTaxRate(rates: Array<{ rateBp: number }>, rateBp: number | null, before: number | null): void {
  if (rateBp === null || rateBp === before || rates.some((r) => r.rateBp === rateBp)) return
  const listed = rates.map((r) => `${basisPointsToPercent(r.rateBp)}%`).join(', ')
  throw ValidationFailed.field(
    'taxRateBp',
    rates.length
      ? `${basisPointsToPercent(rateBp)}% is not one of the rates in Settings → Tax (${listed}). Choose one of them or Standard.`
      : 'No tax rates are set up in Settings → Tax; leave the rate as Standard.',
  )
}

async function checkGroups(db: Knex, lists: number[][]): Promise<void> {
  const wanted = unique(lists.flat())
  if (!wanted.length) return
  const found = (await db('customer_groups').whereIn('id', wanted).select('id')) as Array<{ id: number }>
  if (found.length !== wanted.length) throw ValidationFailed.field('groupIds', 'One of the chosen groups no longer exists; reload and choose again.')
}

async function savePriceOptions(trx: Knex, itemId: number, options: SaveItemInput['priceOptions']): Promise<void> {
  const existing = new Set(
    ((await trx('price_options').where({ item_id: itemId }).select('id')) as Array<{ id: number }>).map((r) => r.id),
  )
  const kept = new Set<number>()
  for (const [position, option] of options.entries()) {
    const row = { name: option.name, amount_minor: option.amountMinor, currency: option.currency, archived: option.archived, position }
    let optionId: number
    if (option.id === undefined) {
      const [inserted] = (await trx('price_options').insert({ ...row, item_id: itemId }).returning('id')) as Array<{ id: number }>
      optionId = inserted!.id
    } else {
      if (!existing.has(option.id)) {
        throw ValidationFailed.field(`priceOptions.${position}.id`, 'This price belongs to another item; reload and try again.')
      }
      optionId = option.id
      kept.add(optionId)
      await trx('price_options').where({ id: optionId }).update(row)
      await trx('price_option_groups').where({ price_option_id: optionId }).delete()
    }
    if (option.groupIds.length) {
      await trx('price_option_groups').insert(unique(option.groupIds).map((group_id) => ({ price_option_id: optionId, group_id })))
    }
  }
  const left = [...existing].filter((id) => !kept.has(id))
  const booked = await bookedOptionIds(trx, left)
  const toArchive = left.filter((id) => booked.has(id))
  const toDelete = left.filter((id) => !booked.has(id))
  if (toArchive.length) await trx('price_options').whereIn('id', toArchive).update({ archived: true, position: options.length })
  if (toDelete.length) await trx('price_options').whereIn('id', toDelete).delete()
}

const KIND_WORDS: Record<CatalogueKind, string> = { class: 'a class', event: 'an event', appointment: 'an appointment type' }

async function itemIsBooked(db: Knex, itemId: number): Promise<boolean> {
  const line = await db('booking_lines as l')
    .leftJoin('catalogue_sessions as s', 's.id', 'l.session_id')
    .leftJoin('price_options as o', 'o.id', 'l.price_option_id')
    .where((q) => q.where('s.item_id', itemId).orWhere('o.item_id', itemId))
    .first('l.id')
  return line !== undefined
}

/** Removes an item with its sessions and prices, unless anything of it was ever booked. */
export async function deleteCatalogueItem(ctx: ServiceContext, id: number): Promise<CatalogueItem[]> {
  await ctx.db.transaction(async (trx) => {
    const item = (await trx('catalogue_items').where({ id }).first('id', 'name')) as Pick<ItemRecord, 'id' | 'name'> | undefined
    if (!item) throw new NotFound('This catalogue item no longer exists.')
    if (await itemIsBooked(trx, id)) throw new Conflict(`${item.name} has bookings; make it inactive instead.`)
    await trx('catalogue_sessions').where({ item_id: id }).delete()
    await trx('price_option_groups').whereIn('price_option_id', trx('price_options').where({ item_id: id }).select('id')).delete()
    await trx('catalogue_item_groups').where({ item_id: id }).delete()
    await trx('price_options').where({ item_id: id }).delete()
    await trx('catalogue_items').where({ id }).delete()
  })
  return listCatalogue(ctx)
}
