import type { RouterCase } from './types'

/** Issue 4: what the profile reads about a customer's bookings and money. */
export const moneyCases: Record<string, RouterCase> = {}
