/** Display helpers shared by pages: numbers, dates, initials and avatar colours. */
import { customerSourceLabels, type CustomerSource } from '../../../preload/contract'

const numberFormat = new Intl.NumberFormat()

export function formatCount(value: number): string {
  return numberFormat.format(value)
}

/** "1,000+" when the backend stopped counting early (the figure is a lower bound). */
export function formatCappedCount(value: number, capped: boolean): string {
  if (capped && value > 0) return `${formatCount(value)}+`
  return formatCount(value)
}

export function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** "3 years", "5 months", "today" — how long someone has been a customer. */
export function customerSince(iso: string, now = new Date()): string {
  const from = new Date(iso)
  if (Number.isNaN(from.getTime())) return '—'
  const months = (now.getFullYear() - from.getFullYear()) * 12 + (now.getMonth() - from.getMonth())
  if (months >= 24) return `${Math.floor(months / 12)} years`
  if (months >= 12) return '1 year'
  if (months >= 2) return `${months} months`
  if (months === 1) return '1 month'
  const days = Math.floor((now.getTime() - from.getTime()) / 86_400_000)
  if (days <= 0) return 'Today'
  return days === 1 ? '1 day' : `${days} days`
}

export function initialsOf(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
  if (words.length === 0) return '?'
  const first = words[0]!.charAt(0)
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : ''
  return (first + last).toLocaleUpperCase()
}

/**
 * Muted avatar colours that keep white initials readable (WCAG AA) in both
 * themes. The same customer always gets the same colour.
 */
const avatarPalette = [
  '#1D5FA8',
  '#0F6E6A',
  '#6A4BA8',
  '#A23E6B',
  '#8A5A12',
  '#2F6B2F',
  '#4B5D73',
  '#B03A2E',
  '#285E85',
  '#7A4E2D',
]

export function avatarColor(id: number): string {
  // Knuth's multiplicative hash spreads consecutive ids over the palette.
  const hash = Math.imul(id, 2654435761) >>> 0
  return avatarPalette[hash % avatarPalette.length]!
}


/** The sources the desk picks from when it adds a customer (import and migration are set by those tools). */
export const deskSources = (['desk', 'phone', 'walk-in', 'online', 'referral', 'other'] as const).map((value) => ({ value, title: customerSourceLabels[value] }))

export function sourceLabel(source: string): string {
  return customerSourceLabels[source as CustomerSource] ?? source
}

export function capitalise(value: string): string {
  return value.charAt(0).toLocaleUpperCase() + value.slice(1)
}
