import type { DuplicateReason } from '../../../preload/contract/schemas/duplicates'
import type { NameMatch } from './names'

/** What two records share besides their names. */
export interface SharedContacts {
  email: boolean
  phone: boolean
  postcode: boolean
}

const NAME_REASON: Record<NameMatch, DuplicateReason> = {
  same: 'same-name',
  swapped: 'swapped',
  nickname: 'nickname',
  similar: 'similar-name',
}
/** How much a name match adds: the same name most, a near spelling least. */
const NAME_WEIGHT: Record<NameMatch, number> = { same: 30, swapped: 25, nickname: 22, similar: 18 }

/**
 * Why two records may be one person, and how sure (0–99), or null when they
 * are not likely the same. An email is nearly proof; a phone alone is often a
 * household's landline; a postcode counts only with a matching name.
 */
export function scorePair(shared: SharedContacts, name: NameMatch | null): { reasons: DuplicateReason[]; score: number } | null {
  const reasons: DuplicateReason[] = []
  const bases: number[] = []
  if (shared.email) {
    reasons.push('email')
    bases.push(name ? 80 : 85)
  }
  if (shared.phone) {
    reasons.push('phone')
    bases.push(name ? 60 : 55)
  }
  if (shared.postcode && name) {
    reasons.push('name-postcode')
    bases.push(55)
  }
  if (bases.length === 0) return null
  if (name) reasons.push(NAME_REASON[name])
  const strongest = Math.max(...bases)
  const score = Math.min(99, strongest + (name ? NAME_WEIGHT[name] : 0) + 3 * (bases.length - 1))
  return { reasons, score }
}

/** Reasons as stored in duplicate_pairs (comma-separated, strongest first). */
export function reasonsFromText(text: string): DuplicateReason[] {
  return text.split(',').filter(Boolean) as DuplicateReason[]
}
