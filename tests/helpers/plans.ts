import type { Channel, Input, Output, PlanSold } from '../../preload/contract'

/** Anything that calls channels: the integration core or the E2E app's API. */
interface Invoker {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
}

type ProductFields = Omit<Input<'plans:saveProduct'>, 'id'>

/** Adds a plan to the catalogue through the API (memberships default to 12 months, passes never expire). */
export async function addTestPlanProduct(app: Invoker, product: ProductFields): Promise<number> {
  const defaults: Partial<ProductFields> =
    product.kind === 'membership' ? { lengthCount: 12, lengthUnit: 'month' } : product.kind === 'subscription' ? { interval: 'month' } : {}
  return (await app.invoke('plans:saveProduct', { ...defaults, ...product })).id
}

/** Adds a plan to the catalogue and sells it to the customer (from `startsOn`, no payment unless given). */
export async function sellTestPlan(
  app: Invoker,
  customerId: number,
  product: ProductFields,
  sale: { startsOn: string; payment?: Input<'plans:sell'>['payment'] },
): Promise<PlanSold> {
  const productId = await addTestPlanProduct(app, product)
  return app.invoke('plans:sell', { customerId, productId, startsOn: sale.startsOn, payment: sale.payment ?? null })
}
