import type { Knex } from 'knex'
import type { z } from 'zod'
import type { BookingQuote, GroupRef, quoteBookingInput } from '../../../preload/contract'
import { getSettings } from '../app/settings'
import type { ServiceContext } from '../context'
import { ValidationFailed } from '../errors'
import { customerTaxOf, priceLine, type LineTax } from '../tax'
import { taxPerRate } from './invoices'

/** Prices lines for one customer: their tax status or special rate, the business's rates and whether prices include tax. */
export async function linePricerFor(db: Knex, customerId: number): Promise<(line: { unitMinor: number; quantity: number; itemRateBp: number | null }) => LineTax> {
  const [settings, customer] = await Promise.all([getSettings({ db }), customerTaxOf(db, customerId)])
  return (line) => priceLine(settings, customer, line)
}

/** What a booking line stores of its price: a pass-covered line is free and carries no tax. */
export function lineMoney(priced: LineTax, coveredByPass: boolean): { total_minor: number; tax_minor: number; tax_rate_bp: number } {
  if (coveredByPass) return { total_minor: 0, tax_minor: 0, tax_rate_bp: 0 }
  return { total_minor: priced.totalMinor, tax_minor: priced.taxMinor, tax_rate_bp: priced.taxRateBp }
}

/** The groups an item and one of its prices are limited to (none listed: everyone). */
export async function groupsLimiting(db: Knex, itemId: number, optionId: number): Promise<{ item: GroupRef[]; option: GroupRef[] }> {
  const [item, option] = await Promise.all([
    db('catalogue_item_groups as x').join('customer_groups as g', 'g.id', 'x.group_id').where('x.item_id', itemId).orderBy('g.name_normalized').select('g.id', 'g.name'),
    db('price_option_groups as x')
      .join('customer_groups as g', 'g.id', 'x.group_id')
      .where('x.price_option_id', optionId)
      .orderBy('g.name_normalized')
      .select('g.id', 'g.name'),
  ])
  return { item: item as GroupRef[], option: option as GroupRef[] }
}

function groupWords(groups: GroupRef[]): string {
  const names = groups.map((g) => g.name)
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}

/**
 * Refuses a line the customer may not book: an item or price limited to
 * groups (any of them will do) that the customer is in none of.
 */
export async function checkOfferedTo(
  db: Knex,
  customer: { id: number; displayName: string },
  line: { itemId: number; itemName: string; optionId: number; optionName: string },
  field: string,
): Promise<void> {
  const limits = await groupsLimiting(db, line.itemId, line.optionId)
  if (!limits.item.length && !limits.option.length) return
  const memberOf = new Set(
    ((await db('customer_group_members').where({ customer_id: customer.id }).select('group_id')) as Array<{ group_id: number }>).map((r) => r.group_id),
  )
  const notIn = (groups: GroupRef[]) => groups.length > 0 && !groups.some((g) => memberOf.has(g.id))
  const tail = (groups: GroupRef[]) => `${customer.displayName} is not in ${groups.length === 1 ? groups[0]!.name : 'any of them'}.`
  if (notIn(limits.item)) {
    throw ValidationFailed.field(field, `${line.itemName} is only for customers in ${groupWords(limits.item)}; ${tail(limits.item)}`)
  }
  if (notIn(limits.option)) {
    throw ValidationFailed.field(
      field,
      `The price “${line.optionName}” of ${line.itemName} is only for customers in ${groupWords(limits.option)}; ${tail(limits.option)}`,
    )
  }
}

/**
 * What New booking shows before booking: each line as it would be charged to
 * this customer (standard for a new caller), the tax per rate and the total.
 */
export async function quoteBooking(ctx: ServiceContext, input: z.output<typeof quoteBookingInput>): Promise<BookingQuote> {
  const options = (await ctx.db('price_options as o')
    .join('catalogue_items as i', 'i.id', 'o.item_id')
    .whereIn(
      'o.id',
      input.lines.map((l) => l.priceOptionId),
    )
    .select('o.id', 'o.amount_minor', 'o.currency', 'i.tax_rate_bp')) as Array<{ id: number; amount_minor: number; currency: string; tax_rate_bp: number | null }>
  const byId = new Map(options.map((o) => [o.id, o]))
  const settings = await getSettings(ctx)
  const customer = input.customerId === null ? { status: 'standard' as const, rateBp: null } : await customerTaxOf(ctx.db, input.customerId)
  const lines = input.lines.map((line, i): BookingQuote['lines'][number] => {
    const option = byId.get(line.priceOptionId)
    if (!option) throw ValidationFailed.field(`lines.${i}.priceOptionId`, 'This price no longer exists; choose another.')
    const priced = lineMoney(priceLine(settings, customer, { unitMinor: option.amount_minor, quantity: line.quantity, itemRateBp: option.tax_rate_bp }), input.passId !== null)
    return { priceOptionId: option.id, netMinor: priced.total_minor - priced.tax_minor, taxRateBp: priced.tax_rate_bp, taxMinor: priced.tax_minor, totalMinor: priced.total_minor }
  })
  const taxes = taxPerRate(lines)
  return {
    currency: options[0]?.currency ?? settings.currency,
    lines,
    netMinor: lines.reduce((sum, l) => sum + l.netMinor, 0),
    taxes,
    taxMinor: lines.reduce((sum, l) => sum + l.taxMinor, 0),
    totalMinor: lines.reduce((sum, l) => sum + l.totalMinor, 0),
  }
}
