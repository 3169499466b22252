import type { ServiceContext } from '../context'
import { NotFound, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { formatCustomerNumber } from '../customers/normalize'
import { orderedPair } from './summaries'

/**
 * "It's a different person": remembers that this customer and each of the
 * others are not one person, so no warning or scan offers the pair again, and
 * drops the pair from the scan's findings. Written in both customers' history.
 */
export async function dismissDuplicates(ctx: ServiceContext, customerId: number, otherIds: readonly number[]): Promise<{ dismissed: number }> {
  const others = [...new Set(otherIds)].filter((id) => id !== customerId)
  if (others.length === 0) throw ValidationFailed.field('otherIds', 'Choose a customer other than this one.')
  return ctx.db.transaction(async (trx) => {
    const found = (await trx('customers').whereIn('id', [customerId, ...others]).pluck('id')) as number[]
    const missing = [customerId, ...others].find((id) => !found.includes(id))
    if (missing !== undefined) throw new NotFound(`Customer ${formatCustomerNumber(missing)} could not be found.`)
    const at = ctx.clock().toISOString()
    let dismissed = 0
    for (const other of others) {
      const [a, b] = orderedPair(customerId, other)
      const known = await trx('duplicate_dismissals').where({ customer_a: a, customer_b: b }).first('at')
      await trx('duplicate_pairs').where({ customer_a: a, customer_b: b }).delete()
      if (known) continue
      await trx('duplicate_dismissals').insert({ customer_a: a, customer_b: b, staff_id: ctx.staff.id, staff_name: ctx.staff.name, at })
      dismissed++
      for (const [self, them] of [
        [customerId, other],
        [other, customerId],
      ] as const) {
        await recordChange(trx, ctx, {
          customerId: self,
          entityType: 'customer',
          entityId: self,
          action: 'customer.notDuplicate',
          summary: `Marked as a different person from ${formatCustomerNumber(them)}`,
        })
      }
    }
    return { dismissed }
  })
}
