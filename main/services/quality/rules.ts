import { isPlausibleEmail, type QualityCategory } from '../../../preload/contract'
import { isValidNumber } from './phones'

/** What the checks need to know about one customer, read in bulk by the scan or for one customer after a save. */
export interface CustomerFacts {
  id: number
  status: string
  email: string
  erasedAt: string | null
  marketingConsent: boolean
  updatedAt: string
  phones: Array<{ number: string; e164: string | null }>
  /** Any address a letter can be delivered to. */
  hasPostalAddress: boolean
  pendingBrochure: boolean
  /** A consent event granting marketing exists. */
  consentEvidence: boolean
  /** The latest booking change or start (payments update their booking). */
  lastBookingAt: string | null
}

export interface FoundIssue {
  category: QualityCategory
  /** Never a personal value: a date, or other customers' ids. */
  detail: string
}

/** The last thing that happened with a customer: their record changed, a booking made, changed or paid. */
export function lastActivity(facts: Pick<CustomerFacts, 'updatedAt' | 'lastBookingAt'>): string {
  return facts.lastBookingAt && facts.lastBookingAt > facts.updatedAt ? facts.lastBookingAt : facts.updatedAt
}

/**
 * The problems of one customer kept in the queue's table. Likely duplicates
 * are not among them: they are read live from the duplicate scan's pairs. Deleted and erased customers have none;
 * archived ones are not "inactive" (archiving is what is done about it).
 */
export function issuesOf(facts: CustomerFacts, inactiveBefore: string): FoundIssue[] {
  if (facts.status === 'deleted' || facts.erasedAt) return []
  const found: FoundIssue[] = []
  const email = facts.email.trim()
  if (!email) found.push({ category: 'missingEmail', detail: '' })
  else if (!isPlausibleEmail(email)) found.push({ category: 'invalidEmail', detail: '' })
  if (facts.phones.some((p) => !p.e164 || !isValidNumber(p.e164))) found.push({ category: 'invalidPhone', detail: '' })
  if (facts.pendingBrochure && !facts.hasPostalAddress) found.push({ category: 'noPostalAddress', detail: '' })
  if (facts.marketingConsent && !facts.consentEvidence) found.push({ category: 'consentWithoutEvidence', detail: '' })
  const last = lastActivity(facts)
  if ((facts.status === 'active' || facts.status === 'blocked') && last < inactiveBefore) found.push({ category: 'inactive', detail: last })
  return found
}

/** The moment before which a customer counts as inactive: `months` calendar months before now. */
export function inactiveBefore(now: Date, months: number): string {
  const cut = new Date(now)
  cut.setUTCMonth(cut.getUTCMonth() - months)
  return cut.toISOString()
}
