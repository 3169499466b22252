import type { BookingStatus } from '../../../preload/contract'

/*
 * What a booking row derives from its id, lines and payments. Pure (no
 * database, no other service), so the booking services and the sample data
 * write these values the same way.
 */

/** "B-000042": the booking's reference, shown to the customer. */
export function formatBookingReference(id: number): string {
  return `B-${String(id).padStart(6, '0')}`
}

/** "Yoga Flow — Drop-in": one booking line as it reads on the booking and invoice. */
export function lineDescription(itemName: string, optionName: string): string {
  return `${itemName} — ${optionName}`.slice(0, 300)
}

/** "Yoga Flow ×2, Massage 60 min": places per item in the order booked. */
export function summarise(lines: Array<{ itemName: string; quantity: number }>): string {
  const perItem = new Map<string, number>()
  for (const line of lines) perItem.set(line.itemName, (perItem.get(line.itemName) ?? 0) + line.quantity)
  const text = [...perItem].map(([name, quantity]) => (quantity > 1 ? `${name} ×${quantity}` : name)).join(', ')
  return text.length > 300 ? `${text.slice(0, 299)}…` : text
}

/** What a booking (or one of its lines) charges the customer: its total, nothing once cancelled. */
export function chargeOf(status: BookingStatus, totalMinor: number): number {
  return status === 'cancelled' ? 0 : totalMinor
}

/**
 * What a booking still owes: what it charges less what was paid. Negative
 * means credit due back to the customer.
 */
export function outstandingOf(status: BookingStatus, totalMinor: number, paidMinor: number): number {
  return chargeOf(status, totalMinor) - paidMinor
}
