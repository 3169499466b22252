import type { StaffRole } from '../../../../preload/contract'

/** What each role may do, in the words the Staff page uses. */
export const roleDescriptions: Record<StaffRole, string> = {
  admin: 'Everything, including staff, settings, imports, exports, deleting and backups',
  staff: 'The front desk: customers, bookings, payments, reports — not administration',
  team: 'Service crews: customers’ contact details and the bookings assigned to them',
}

export const roleColors: Record<StaffRole, string> = { admin: 'primary', staff: 'secondary', team: 'accent' }
