/*
 * Kept apart from the schemas (and zod): the thread that writes half of a
 * large export names sources too, and starts faster and smaller without them.
 */

/** How a customer came to the business; import and migration are set by those tools, the rest chosen at the desk. */
export const customerSources = ['desk', 'phone', 'walk-in', 'online', 'referral', 'other', 'import', 'migration'] as const
export type CustomerSource = (typeof customerSources)[number]

/** Each source as the desk reads it, on screen and in the change log. */
export const customerSourceLabels: Record<CustomerSource, string> = {
  desk: 'At the desk',
  phone: 'Phone',
  'walk-in': 'Walk-in',
  online: 'Online',
  referral: 'Referral',
  other: 'Other',
  import: 'Import',
  migration: 'Migration',
}
