// Memberships, passes and subscriptions: the catalogue of plans, selling them, and collecting subscriptions.
export { listPlans, sellPlan, setPlanStatus } from './plans'
export { listPlanProducts, savePlanProduct, archivePlanProduct } from './products'
export { listCollectionsDue, recordCollection } from './collections'
