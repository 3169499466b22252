import type { z } from 'zod'
import type { CustomerExtras, setTaxInput, TaxStatus } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { loadExtras, requireCustomer, touchCustomer } from './extras'
import { basisPointsToPercent, percentToBasisPoints } from '../taxRates'

const STATUS_LABELS: Record<TaxStatus, string> = { standard: 'Standard', exempt: 'Exempt', special: 'Special rate' }
const LABELS = { status: 'Tax', rate: 'Tax rate' }

function describe(status: TaxStatus, rateBp: number | null): Record<string, string> {
  return { status: STATUS_LABELS[status], rate: rateBp === null ? '' : `${basisPointsToPercent(rateBp)}%` }
}

/** Standard, exempt, or a special rate (kept in basis points); only "special" keeps a rate. */
export async function setTax(ctx: ServiceContext, input: z.output<typeof setTaxInput>): Promise<CustomerExtras> {
  if (input.taxStatus === 'special' && !input.specialRate) {
    throw ValidationFailed.field('specialRate', 'Enter the special tax rate, e.g. 5 or 12.5.')
  }
  const rateBp = input.taxStatus === 'special' ? percentToBasisPoints(input.specialRate) : null
  return ctx.db.transaction(async (trx) => {
    const row = await requireCustomer(trx, input.id)
    const changes = diffFields(describe(row.tax_status, row.tax_rate_bp), describe(input.taxStatus, rateBp), LABELS)
    if (!changes.length) return loadExtras(trx, ctx, input.id)
    await trx('customers').where({ id: input.id }).update({ tax_status: input.taxStatus, tax_rate_bp: rateBp })
    await touchCustomer(trx, ctx, input.id)
    await recordChange(trx, ctx, {
      customerId: input.id,
      entityType: 'customer',
      entityId: input.id,
      action: 'customer.tax',
      summary: `Tax: ${describe(input.taxStatus, rateBp).status}${rateBp === null ? '' : ` (${basisPointsToPercent(rateBp)}%)`}`,
      changes,
    })
    return loadExtras(trx, ctx, input.id)
  })
}
