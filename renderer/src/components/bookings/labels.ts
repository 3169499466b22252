import type { BookingSource, BookingStatus, CatalogueKind, TenderType } from '../../../../preload/contract'

/** The words and colours the desk sees for bookings, sessions and money. */

export const statusLabels: Record<BookingStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
}

export const statusColours: Record<BookingStatus, string> = {
  pending: 'warning',
  confirmed: 'primary',
  cancelled: 'error',
  completed: 'success',
  no_show: 'secondary',
}

export const sourceLabels: Record<BookingSource, string> = {
  phone: 'Phone',
  walk_in: 'Walk-in',
  online: 'Online',
  import: 'Import',
}

export const tenderLabels: Record<TenderType, string> = {
  card: 'Card',
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  cheque: 'Cheque',
  voucher: 'Voucher',
  other: 'Other',
  rewards: 'Rewards',
}

export const tenderOptions = (Object.keys(tenderLabels) as TenderType[]).map((value) => ({ value, title: tenderLabels[value] }))

export const kindLabels: Record<CatalogueKind, string> = {
  class: 'Class',
  event: 'Event',
  appointment: 'Appointment',
}

export const kindColours: Record<CatalogueKind, string> = {
  class: 'primary',
  event: 'accent',
  appointment: 'secondary',
}

/** "Tue 3 Feb 2026" in the user's locale. */
export function formatSessionDay(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
}

/** "09:00" in the user's locale. */
export function formatTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
}

/** "09:00–10:30". */
export function formatTimeRange(startIso: string, endIso: string): string {
  return `${formatTime(startIso)}–${formatTime(endIso)}`
}

/** "Tue 3 Feb 2026, 09:00–10:30". */
export function formatSession(startIso: string, endIso: string): string {
  return `${formatSessionDay(startIso)}, ${formatTimeRange(startIso, endIso)}`
}

/** "1 place left", "12 places left", "Full". */
export function spacesText(spacesLeft: number): string {
  if (spacesLeft <= 0) return 'Full'
  return spacesLeft === 1 ? '1 place left' : `${spacesLeft} places left`
}
