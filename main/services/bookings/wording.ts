import type { BookingStatus } from '../../../preload/contract'

export const STATUS_WORDS: Record<BookingStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
}

export function placesText(count: number): string {
  return `${count} ${count === 1 ? 'place' : 'places'}`
}
