import type { Knex } from 'knex'
import { allRows } from '../../../db/queries/customerList'
import type { z } from 'zod'
import type { CustomerExtras, setReferralInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { customerLabel, loadExtras, requireCustomer, touchCustomer } from './extras'

const LABELS = { referredBy: 'Referred by' }

async function referrerLabel(trx: Knex, id: number | null): Promise<string> {
  if (id === null) return ''
  const row = (await trx('customers').where({ id }).first('id', 'display_name')) as { id: number; display_name: string } | undefined
  return row ? customerLabel(row) : ''
}

/** True when `referrerId`, or whoever referred them and so on, was referred by `customerId`. */
async function wouldCreateCycle(trx: Knex, customerId: number, referrerId: number): Promise<boolean> {
  const rows = allRows(
    await trx.raw(
      `WITH RECURSIVE chain(id, depth) AS (
         SELECT referred_by_id, 1 FROM customers WHERE id = ?
         UNION
         SELECT c.referred_by_id, chain.depth + 1 FROM customers c JOIN chain ON c.id = chain.id
         WHERE chain.id IS NOT NULL AND chain.depth < 10000
       )
       SELECT 1 AS hit FROM chain WHERE id = ? LIMIT 1`,
      [referrerId, customerId],
    ),
  )
  return rows.length > 0
}

/** Who referred the customer. */
export async function setReferral(ctx: ServiceContext, input: z.output<typeof setReferralInput>): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    const row = await requireCustomer(trx, input.id)
    const referrerId = input.referredById
    if (referrerId !== null && referrerId !== row.referred_by_id) {
      if (referrerId === input.id) throw ValidationFailed.field('referredById', 'A customer cannot refer themselves.')
      const referrer = (await trx('customers').where({ id: referrerId }).first('id', 'display_name', 'status')) as
        | { id: number; display_name: string; status: string }
        | undefined
      if (!referrer || referrer.status === 'deleted') {
        throw ValidationFailed.field('referredById', 'The customer who referred them could not be found.')
      }
      if (await wouldCreateCycle(trx, input.id, referrerId)) {
        throw ValidationFailed.field(
          'referredById',
          `${customerLabel(referrer)} was themselves referred, directly or through others, by this customer.`,
        )
      }
    }
    const changes = diffFields(
      { referredBy: await referrerLabel(trx, row.referred_by_id) },
      { referredBy: await referrerLabel(trx, referrerId) },
      LABELS,
    )
    if (!changes.length) return loadExtras(trx, ctx, input.id)
    await trx('customers').where({ id: input.id }).update({ referred_by_id: referrerId })
    await touchCustomer(trx, ctx, input.id)
    await recordChange(trx, ctx, {
      customerId: input.id,
      entityType: 'customer',
      entityId: input.id,
      action: 'customer.referral',
      summary: `Updated ${changes.map((c) => c.field.toLowerCase()).join(', ')}`,
      changes,
    })
    return loadExtras(trx, ctx, input.id)
  })
}
