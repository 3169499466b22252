import type { Knex } from 'knex'
import type { CustomerExtras } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { customerLabel, loadExtras, requireCustomer, touchCustomer, type ExtrasRow } from './extras'

/** The payer a customer may join: it exists, is not in the recycle bin, and belongs to no household itself. */
async function checkPayer(trx: Knex, member: ExtrasRow, payerId: number): Promise<ExtrasRow> {
  if (payerId === member.id) throw ValidationFailed.field('payerId', 'A customer cannot be their own payer.')
  const payer = (await trx('customers').where({ id: payerId }).first()) as ExtrasRow | undefined
  if (!payer || payer.status === 'deleted') throw ValidationFailed.field('payerId', 'The payer could not be found.')
  if (payer.household_payer_id !== null) {
    const theirPayer = await requireCustomer(trx, payer.household_payer_id)
    throw ValidationFailed.field(
      'payerId',
      `${customerLabel(payer)} belongs to the household of ${customerLabel(theirPayer)}: choose ${theirPayer.display_name} as the payer instead.`,
    )
  }
  const pays = await trx('customers').where({ household_payer_id: member.id }).whereNot({ status: 'deleted' }).first('id')
  if (pays) {
    throw ValidationFailed.field('payerId', `${customerLabel(member)} pays for others, so cannot join another household.`)
  }
  return payer
}

/**
 * Links a customer to the payer of their household (a parent paying for a
 * child, several people behind one address), or unlinks them with null. Only
 * the link is written: neither record's own details change.
 */
export async function setHousehold(ctx: ServiceContext, id: number, payerId: number | null): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    const member = await requireCustomer(trx, id)
    if (member.household_payer_id === payerId) return loadExtras(trx, ctx, id)
    const newPayer = payerId === null ? null : await checkPayer(trx, member, payerId)
    const oldPayer = member.household_payer_id === null ? null : await requireCustomer(trx, member.household_payer_id)

    await trx('customers').where({ id }).update({ household_payer_id: payerId })
    await touchCustomer(trx, ctx, id)
    await recordChange(trx, ctx, {
      customerId: id,
      entityType: 'customer',
      entityId: id,
      action: 'customer.household',
      summary: newPayer ? `Joined the household of ${customerLabel(newPayer)}` : `Left the household of ${customerLabel(oldPayer!)}`,
      changes: [{ field: 'Paid for by', before: oldPayer ? customerLabel(oldPayer) : null, after: newPayer ? customerLabel(newPayer) : null }],
    })
    // The payers' logs say who joined or left, without touching their records.
    for (const [payer, joined] of [
      [oldPayer, false],
      [newPayer, true],
    ] as const) {
      if (!payer) continue
      await recordChange(trx, ctx, {
        customerId: payer.id,
        entityType: 'customer',
        entityId: payer.id,
        action: 'customer.householdMember',
        summary: `${customerLabel(member)} ${joined ? 'joined' : 'left'} the household`,
        changes: [],
      })
    }
    return loadExtras(trx, ctx, id)
  })
}
