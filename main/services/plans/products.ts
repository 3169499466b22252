import type { Knex } from 'knex'
import type { z } from 'zod'
import type { archivePlanProductInput, PlanProduct, savePlanProductInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { recordChange, diffFields } from '../changeLog'
import { NotFound, ValidationFailed } from '../errors'
import { formatMoney } from '../money'
import { basisPointsToPercent } from '../taxRates'

export interface PlanProductRecord {
  id: number
  kind: PlanProduct['kind']
  name: string
  description: string
  price_minor: number
  currency: string
  tax_rate_bp: number | null
  length_count: number | null
  length_unit: PlanProduct['lengthUnit']
  credits: number | null
  interval: PlanProduct['interval']
  active: number | boolean
  position: number
}

const KIND_WORDS: Record<PlanProduct['kind'], string> = { membership: 'a membership', pass: 'a pass', subscription: 'a subscription' }

function toPlanProduct(row: PlanProductRecord, sold: number): PlanProduct {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    priceMinor: row.price_minor,
    currency: row.currency,
    taxRateBp: row.tax_rate_bp,
    lengthCount: row.length_count,
    lengthUnit: row.length_unit,
    credits: row.credits,
    interval: row.interval,
    active: Boolean(row.active),
    sold,
  }
}

/** "12 months", "1 week". */
export function lengthWords(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

/** What a plan is, in a few words for the change log and the order's line. */
export function productTerms(p: Pick<PlanProductRecord, 'kind' | 'length_count' | 'length_unit' | 'credits' | 'interval'>): string {
  if (p.kind === 'subscription') return `every ${p.interval ?? 'month'}`
  const length = p.length_count !== null && p.length_unit !== null ? lengthWords(p.length_count, p.length_unit) : null
  if (p.kind === 'membership') return length ?? ''
  const credits = `${p.credits ?? 0} ${p.credits === 1 ? 'credit' : 'credits'}`
  return length ? `${credits}, valid ${length}` : credits
}

async function soldCounts(db: Knex, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map()
  const rows = (await db('customer_plans').whereIn('product_id', ids).groupBy('product_id').select('product_id').count({ n: '*' })) as Array<{
    product_id: number
    n: number | string
  }>
  return new Map(rows.map((r) => [r.product_id, Number(r.n)]))
}

/** The catalogue of plans: those on sale in the desk's order, then (when asked) the archived ones. */
export async function listPlanProducts(ctx: ServiceContext, includeArchived = false): Promise<PlanProduct[]> {
  const query = ctx.db('plan_products').orderBy([{ column: 'active', order: 'desc' }, { column: 'position' }, { column: 'name' }, { column: 'id' }])
  if (!includeArchived) query.where('active', true)
  const rows = (await query.select('*')) as PlanProductRecord[]
  const sold = await soldCounts(
    ctx.db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => toPlanProduct(r, sold.get(r.id) ?? 0))
}

export async function loadPlanProduct(db: Knex, id: number): Promise<PlanProductRecord> {
  const row = (await db('plan_products').where({ id }).first()) as PlanProductRecord | undefined
  if (!row) throw new NotFound('This plan is no longer in the catalogue.')
  return row
}

function checkTaxRate(rates: Array<{ rateBp: number }>, rateBp: number | null, before: number | null): void {
  // A rate already on the plan stays valid, so a plan saved before a rate was removed can still be edited.
  if (rateBp === null || rateBp === before || rates.some((r) => r.rateBp === rateBp)) return
  const listed = rates.map((r) => `${basisPointsToPercent(r.rateBp)}%`).join(', ')
  throw ValidationFailed.field(
    'taxRateBp',
    rates.length ? `Choose Standard or one of the rates in Settings → Tax (${listed}).` : 'No tax rates are set in Settings → Tax; leave it at Standard.',
  )
}

function productWords(p: Pick<PlanProductRecord, 'name' | 'kind' | 'price_minor' | 'currency' | 'length_count' | 'length_unit' | 'credits' | 'interval' | 'tax_rate_bp'>) {
  return {
    name: p.name,
    price: formatMoney(p.price_minor, p.currency),
    terms: productTerms(p),
    tax: p.tax_rate_bp === null ? 'Standard' : `${basisPointsToPercent(p.tax_rate_bp)}%`,
  }
}

const FIELD_LABELS = { name: 'Name', price: 'Price', terms: 'Terms', tax: 'Tax rate' }

/**
 * Adds a plan to the catalogue or edits one. A plan's kind is fixed once
 * made; editing its price or terms changes what is sold from now on, never
 * the plans already sold.
 */
export async function savePlanProduct(ctx: ServiceContext, input: z.output<typeof savePlanProductInput>): Promise<PlanProduct> {
  const settings = await getSettings(ctx)
  const now = ctx.clock().toISOString()
  // Only the fields of this kind are kept.
  const columns = {
    name: input.name,
    description: input.description,
    price_minor: input.priceMinor,
    tax_rate_bp: input.taxRateBp,
    length_count: input.kind === 'subscription' ? null : input.lengthCount,
    length_unit: input.kind === 'subscription' || input.lengthCount === null ? null : input.lengthUnit,
    credits: input.kind === 'pass' ? input.credits : null,
    interval: input.kind === 'subscription' ? input.interval : null,
    updated_at: now,
  }
  const id = await ctx.db.transaction(async (trx) => {
    if (input.id === undefined) {
      checkTaxRate(settings.taxRates, input.taxRateBp, null)
      const [{ position } = { position: 0 }] = (await trx('plan_products').max({ position: 'position' })) as Array<{ position: number | null }>
      const [row] = (await trx('plan_products')
        .insert({ ...columns, kind: input.kind, currency: settings.currency, active: true, position: Number(position ?? 0) + 1, created_at: now })
        .returning('id')) as Array<{ id: number }>
      const after = { ...columns, kind: input.kind, currency: settings.currency }
      await recordChange(trx, ctx, {
        customerId: null,
        entityType: 'plan_product',
        entityId: row!.id,
        action: 'plan_product.created',
        summary: `Added ${KIND_WORDS[input.kind]} to the catalogue: ${input.name}, ${formatMoney(input.priceMinor, settings.currency)}`,
        changes: diffFields({}, productWords(after), FIELD_LABELS),
      })
      return row!.id
    }
    const before = await loadPlanProduct(trx, input.id)
    if (before.kind !== input.kind) {
      throw ValidationFailed.field('kind', `${before.name} is ${KIND_WORDS[before.kind]}; a plan's kind cannot change. Add a new plan instead.`)
    }
    checkTaxRate(settings.taxRates, input.taxRateBp, before.tax_rate_bp)
    await trx('plan_products').where({ id: before.id }).update(columns)
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'plan_product',
      entityId: before.id,
      action: 'plan_product.updated',
      summary: `Changed the plan ${input.name}`,
      changes: diffFields(productWords(before), productWords({ ...before, ...columns }), FIELD_LABELS),
    })
    return before.id
  })
  const row = await loadPlanProduct(ctx.db, id)
  return toPlanProduct(row, (await soldCounts(ctx.db, [id])).get(id) ?? 0)
}

/** Takes a plan off sale (or back on); plans already sold stay as they are. Answers the whole catalogue, archived included. */
export async function archivePlanProduct(ctx: ServiceContext, input: z.output<typeof archivePlanProductInput>): Promise<PlanProduct[]> {
  await ctx.db.transaction(async (trx) => {
    const before = await loadPlanProduct(trx, input.id)
    if (Boolean(before.active) === !input.archived) return
    await trx('plan_products').where({ id: before.id }).update({ active: !input.archived, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'plan_product',
      entityId: before.id,
      action: input.archived ? 'plan_product.archived' : 'plan_product.restored',
      summary: `${input.archived ? 'Archived' : 'Put back on sale'} the plan ${before.name}`,
      changes: [{ field: 'On sale', before: input.archived ? 'Yes' : 'No', after: input.archived ? 'No' : 'Yes' }],
    })
  })
  return listPlanProducts(ctx, true)
}
