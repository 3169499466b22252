// Memberships, passes and subscriptions sold to a customer.
export { listPlans, sellPlan, setPlanStatus } from './plans'
