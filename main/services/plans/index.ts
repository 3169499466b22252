import type { z } from 'zod'
import type { CustomerPlans, sellPlanInput, setPlanStatusInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'

const notBuilt = (): never => {
  throw new Error('Not built yet')
}

export async function listPlans(_ctx: ServiceContext, _customerId: number): Promise<CustomerPlans> {
  return notBuilt()
}
export async function sellPlan(_ctx: ServiceContext, _input: z.output<typeof sellPlanInput>): Promise<CustomerPlans> {
  return notBuilt()
}
export async function setPlanStatus(_ctx: ServiceContext, _input: z.output<typeof setPlanStatusInput>): Promise<CustomerPlans> {
  return notBuilt()
}
