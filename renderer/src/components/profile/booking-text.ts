import type { Membership, Pass, Subscription } from '../../../../preload/contract'

/**
 * Wording for the profile's money tabs beyond what bookings/labels.ts shares
 * with the booking screens: plan statuses and intervals.
 */

type PlanStatus = Membership['status'] | Pass['status'] | Subscription['status']

export const planStatusText: Record<PlanStatus, string> = {
  upcoming: 'Starts later',
  active: 'Active',
  expired: 'Expired',
  cancelled: 'Cancelled',
  used_up: 'Used up',
  paused: 'Paused',
}

export const planStatusColor: Record<PlanStatus, string> = {
  upcoming: 'info',
  active: 'success',
  expired: 'secondary',
  cancelled: 'secondary',
  used_up: 'secondary',
  paused: 'warning',
}

export const intervalText: Record<Subscription['interval'], string> = {
  week: 'week',
  month: 'month',
  year: 'year',
}
