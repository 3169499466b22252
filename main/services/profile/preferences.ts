import type { z } from 'zod'
import type { ConsentEvidenceChannel, ConsentEvent, CustomerExtras, FieldChange, setPreferencesInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { loadExtras, requireCustomer, touchCustomer } from './extras'
import { recheckCustomers } from '../quality/recheck'

const yesNo = (value: boolean) => (value ? 'Yes' : 'No')
const FLAG_LABELS = { marketing: 'Newsletter/marketing', unsubscribed: 'No emails at all' } as const

/**
 * Records the customer's email preferences. Every change of a flag leaves
 * evidence (who, when, channel, wording) in consent_events. "No emails at all"
 * always withdraws marketing consent too.
 */
export async function setPreferences(ctx: ServiceContext, input: z.output<typeof setPreferencesInput>): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    const row = await requireCustomer(trx, input.id)
    const before = { marketing: Boolean(row.marketing_consent), unsubscribed: Boolean(row.unsubscribed) }
    const after = { marketing: input.unsubscribed ? false : input.marketingConsent, unsubscribed: input.unsubscribed }
    if (after.marketing && !before.marketing && !input.wording) {
      throw ValidationFailed.field('wording', 'Record the wording the customer agreed to.')
    }
    const changed = (['unsubscribed', 'marketing'] as const).filter((kind) => before[kind] !== after[kind])
    if (!changed.length) return loadExtras(trx, ctx, input.id)

    const at = ctx.clock().toISOString()
    await trx('consent_events').insert(
      changed.map((kind) => ({
        customer_id: input.id,
        at,
        staff_id: ctx.staff.id,
        staff_name: ctx.staff.name,
        kind,
        granted: after[kind],
        channel: input.channel,
        wording: input.wording,
      })),
    )
    await trx('customers').where({ id: input.id }).update({ marketing_consent: after.marketing, unsubscribed: after.unsubscribed })
    await touchCustomer(trx, ctx, input.id)
    const changes: FieldChange[] = changed.map((kind) => ({ field: FLAG_LABELS[kind], before: yesNo(before[kind]), after: yesNo(after[kind]) }))
    await recordChange(trx, ctx, {
      customerId: input.id,
      entityType: 'customer',
      entityId: input.id,
      action: 'customer.preferences',
      summary: changes.map((c) => `${c.field}: ${c.before} → ${c.after}`).join('; '),
      changes,
    })
    await recheckCustomers(trx, [input.id], ctx.clock())
    return loadExtras(trx, ctx, input.id)
  })
}

/** Consent evidence for the customer, newest first. */
export async function consentHistory(ctx: ServiceContext, id: number): Promise<ConsentEvent[]> {
  await requireCustomer(ctx.db, id)
  const rows = (await ctx.db('consent_events').where({ customer_id: id }).orderBy('id', 'desc')) as Array<{
    id: number
    at: string
    staff_name: string
    kind: ConsentEvent['kind']
    granted: number | boolean
    channel: ConsentEvidenceChannel
    wording: string
  }>
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    staffName: row.staff_name,
    kind: row.kind,
    granted: Boolean(row.granted),
    channel: row.channel,
    wording: row.wording,
  }))
}
