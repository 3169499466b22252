import type { plansInputs } from '../../../preload/contract/schemas/plans'
import * as plans from '../../services/plans'
import type { DomainHandlers } from './domain'

export function plansHandlers(): DomainHandlers<typeof plansInputs> {
  return {
    'plans:list': (ctx, { customerId }) => plans.listPlans(ctx, customerId),
    'plans:sell': (ctx, input) => plans.sellPlan(ctx, input),
    'plans:setStatus': (ctx, input) => plans.setPlanStatus(ctx, input),
    'plans:products': (ctx, input) => plans.listPlanProducts(ctx, input?.includeArchived ?? false),
    'plans:saveProduct': (ctx, input) => plans.savePlanProduct(ctx, input),
    'plans:archiveProduct': (ctx, input) => plans.archivePlanProduct(ctx, input),
    'plans:collectionsDue': (ctx, input) => plans.listCollectionsDue(ctx, input),
    'plans:recordCollection': (ctx, input) => plans.recordCollection(ctx, input),
  }
}
