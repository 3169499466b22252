import type { Knex } from 'knex'
import type { z } from 'zod'
import type { addPaymentMethodInput, CustomerExtras } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { NotFound, ValidationFailed } from '../errors'
import { loadExtras, requireCustomer, touchCustomer } from './extras'
import { cardLabel, containsCardNumber, isCardExpired, type PaymentMethodRow } from './cards'

/*
 * Only a reference to a card is kept: brand, last four digits and expiry. The
 * change log names a card by brand and last four digits only.
 */

async function requireCard(trx: Knex, id: number): Promise<PaymentMethodRow> {
  const row = (await trx('payment_methods').where({ id }).first()) as PaymentMethodRow | undefined
  if (!row) throw new NotFound('This card is no longer on file.')
  return row
}

async function makeOnlyDefault(trx: Knex, customerId: number, cardId: number): Promise<void> {
  await trx('payment_methods').where({ customer_id: customerId }).update({ is_default: trx.raw('id = ?', [cardId]) })
}

export async function addPaymentMethod(ctx: ServiceContext, input: z.output<typeof addPaymentMethodInput>): Promise<CustomerExtras> {
  if (containsCardNumber(input.last4)) {
    throw ValidationFailed.field('last4', 'Never enter a full card number: only the last four digits.')
  }
  if (!/^\d{4}$/.test(input.last4)) throw ValidationFailed.field('last4', 'Enter the last four digits of the card.')
  if (isCardExpired(input.expMonth, input.expYear, ctx.clock())) throw ValidationFailed.field('expYear', 'This card has expired.')

  return ctx.db.transaction(async (trx) => {
    await requireCustomer(trx, input.customerId)
    const existing = await trx('payment_methods').where({ customer_id: input.customerId }).first('id')
    const [inserted] = (await trx('payment_methods')
      .insert({
        customer_id: input.customerId,
        brand: input.brand,
        last4: input.last4,
        exp_month: input.expMonth,
        exp_year: input.expYear,
        is_default: false,
        created_at: ctx.clock().toISOString(),
      })
      .returning('id')) as Array<{ id: number }>
    const cardId = inserted!.id
    if (!existing || input.isDefault) await makeOnlyDefault(trx, input.customerId, cardId)
    await touchCustomer(trx, ctx, input.customerId)
    await recordChange(trx, ctx, {
      customerId: input.customerId,
      entityType: 'customer',
      entityId: input.customerId,
      action: 'paymentMethod.added',
      summary: `Added ${cardLabel(input)}`,
      changes: [{ field: 'Payment methods', before: null, after: cardLabel(input) }],
    })
    return loadExtras(trx, ctx, input.customerId)
  })
}

/** Removes a card; if it was the default, the newest remaining card becomes the default. */
export async function removePaymentMethod(ctx: ServiceContext, id: number): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    const card = await requireCard(trx, id)
    await trx('payment_methods').where({ id }).delete()
    if (card.is_default) {
      const newest = (await trx('payment_methods')
        .where({ customer_id: card.customer_id })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .first('id')) as { id: number } | undefined
      if (newest) await makeOnlyDefault(trx, card.customer_id, newest.id)
    }
    await touchCustomer(trx, ctx, card.customer_id)
    await recordChange(trx, ctx, {
      customerId: card.customer_id,
      entityType: 'customer',
      entityId: card.customer_id,
      action: 'paymentMethod.removed',
      summary: `Removed ${cardLabel(card)}`,
      changes: [{ field: 'Payment methods', before: cardLabel(card), after: null }],
    })
    return loadExtras(trx, ctx, card.customer_id)
  })
}

export async function setDefaultPaymentMethod(ctx: ServiceContext, id: number): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    const card = await requireCard(trx, id)
    if (card.is_default) return loadExtras(trx, ctx, card.customer_id)
    const previous = (await trx('payment_methods').where({ customer_id: card.customer_id, is_default: true }).first()) as
      | PaymentMethodRow
      | undefined
    await makeOnlyDefault(trx, card.customer_id, id)
    await touchCustomer(trx, ctx, card.customer_id)
    await recordChange(trx, ctx, {
      customerId: card.customer_id,
      entityType: 'customer',
      entityId: card.customer_id,
      action: 'paymentMethod.defaultChanged',
      summary: `Default card: ${cardLabel(card)}`,
      changes: [{ field: 'Default card', before: previous ? cardLabel(previous) : null, after: cardLabel(card) }],
    })
    return loadExtras(trx, ctx, card.customer_id)
  })
}
