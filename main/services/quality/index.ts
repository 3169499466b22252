export { qualityCounts, qualityPage } from './queue'
export { scanQuality } from './scan'
export { recheckCustomers } from './recheck'
export { lastCheckedAt } from './schedule'
