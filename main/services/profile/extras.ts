import type { Knex } from 'knex'
import type { CustomerExtras, CustomerStatus, HouseholdMember, TaxStatus } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import { loadCustomFieldValues } from './customFieldCodec'
import { loadPaymentMethods } from './cards'
import { basisPointsToPercent } from '../taxRates'
import { getSettings } from '../app'

/** The customers columns the profile extras read. */
export interface ExtrasRow {
  id: number
  display_name: string
  // 'deleted' = in the recycle bin.
  status: CustomerStatus | 'deleted'
  marketing_consent: number | boolean
  unsubscribed: number | boolean
  tax_status: TaxStatus
  tax_rate_bp: number | null
  referred_by_id: number | null
  rewards_balance_minor: number
  household_payer_id: number | null
}

const EXTRAS_COLUMNS = [
  'id',
  'display_name',
  'status',
  'marketing_consent',
  'unsubscribed',
  'tax_status',
  'tax_rate_bp',
  'referred_by_id',
  'rewards_balance_minor',
  'household_payer_id',
]

/** The customer's extras row, or NotFound. */
export async function requireCustomer(db: Knex, id: number): Promise<ExtrasRow> {
  const row = (await db('customers').where({ id }).first(EXTRAS_COLUMNS)) as ExtrasRow | undefined
  if (!row) throw new NotFound(`Customer ${formatCustomerNumber(id)} does not exist.`)
  return row
}

/** "Ann Smith (C-000012)": how the change log names another customer. */
export function customerLabel(row: { id: number; display_name: string }): string {
  return `${row.display_name} (${formatCustomerNumber(row.id)})`
}

/** Marks the record as updated; call in the transaction that changed it. */
export async function touchCustomer(trx: Knex, ctx: ServiceContext, id: number): Promise<void> {
  await trx('customers').where({ id }).update({ updated_at: ctx.clock().toISOString() })
}

/**
 * The payer and everyone they pay for. A customer with a payer sees the payer's
 * household; a payer sees their own; anyone else has none. Deleted customers
 * (in the recycle bin) are left out.
 */
export async function loadHousehold(db: Knex, row: ExtrasRow): Promise<HouseholdMember[]> {
  const payerId = row.household_payer_id ?? row.id
  const rows = (await db('customers')
    .where((q) => q.where({ id: payerId }).orWhere({ household_payer_id: payerId }))
    .whereNot({ status: 'deleted' })
    .orderByRaw('CASE WHEN id = ? THEN 0 ELSE 1 END', [payerId])
    .orderBy('sort_name')
    .orderBy('id')
    .select('id', 'display_name')) as Array<{ id: number; display_name: string }>
  // A payer alone is no household.
  if (!rows.some((r) => r.id !== payerId)) return []
  return rows.map((r) => ({ id: r.id, number: formatCustomerNumber(r.id), displayName: r.display_name, isPayer: r.id === payerId }))
}

/** Everything the profile shows beyond the contact record. */
export async function loadExtras(db: Knex, ctx: ServiceContext, id: number): Promise<CustomerExtras> {
  const row = await requireCustomer(db, id)
  const referrer = row.referred_by_id
    ? ((await db('customers').where({ id: row.referred_by_id }).first('id', 'display_name')) as { id: number; display_name: string } | undefined)
    : undefined
  const [household, paymentMethods, customFields, photo, settings] = await Promise.all([
    loadHousehold(db, row),
    loadPaymentMethods(db, id, ctx.clock()),
    loadCustomFieldValues(db, id),
    db('customer_photos').where({ customer_id: id }).first('customer_id'),
    getSettings({ db }),
  ])
  return {
    marketingConsent: Boolean(row.marketing_consent),
    unsubscribed: Boolean(row.unsubscribed),
    taxStatus: row.tax_status,
    specialRate: row.tax_status === 'special' && row.tax_rate_bp !== null ? basisPointsToPercent(row.tax_rate_bp) : '',
    referredBy: referrer ? { id: referrer.id, number: formatCustomerNumber(referrer.id), displayName: referrer.display_name } : null,
    rewardsBalanceMinor: row.rewards_balance_minor,
    currency: settings.currency,
    household,
    paymentMethods,
    customFields,
    hasPhoto: photo !== undefined,
  }
}

export function getExtras(ctx: ServiceContext, id: number): Promise<CustomerExtras> {
  return loadExtras(ctx.db, ctx, id)
}
