import { doubleMetaphone } from 'double-metaphone'
import { jaroWinkler } from '@skyra/jaro-winkler'
import { foldForSearch } from '../../../preload/contract/fold'
import { ENGLISH_NICKNAMES } from './nicknameData'
import { EXTRA_NICKNAMES } from './nicknameExtras'

/**
 * When two people's names say they may be one person: the same name, a
 * nickname of it (Bob/Robert, Kasia/Katarzyna), a near spelling (Jon/John,
 * Schmidt/Schmitt, by Jaro-Winkler and Double Metaphone), or first and last
 * name typed the wrong way round. Names are folded as searches are first
 * ("Łukasz" = "lukasz", "O'Brien" = "obrien").
 */
export type NameMatch = 'same' | 'swapped' | 'nickname' | 'similar'

export interface PersonName {
  firstName: string
  lastName: string
}

/** A name folded for comparing: lower case, no accents, letters only (any script). */
export function foldName(name: string): string {
  return foldForSearch(name).replace(/[^\p{L}]/gu, '')
}

/** The first word of a first name, folded: "Mary Ann" is looked up as "mary". */
function firstWord(name: string): string {
  return foldName(foldForSearch(name).trim().split(/[\s-]+/)[0] ?? '')
}

/** nickname → the full names it is short for; a full name maps to itself too. */
let canonicals: Map<string, string[]> | null = null

function nicknameTable(): Map<string, string[]> {
  if (canonicals) return canonicals
  const table = new Map<string, Set<string>>()
  const add = (name: string, canonical: string) => {
    let set = table.get(name)
    if (!set) table.set(name, (set = new Set()))
    set.add(canonical)
  }
  for (const line of `${ENGLISH_NICKNAMES}\n${EXTRA_NICKNAMES}`.split('\n')) {
    const [full, list] = line.split(':')
    if (!full || !list) continue
    const canonical = foldName(full)
    add(canonical, canonical)
    for (const nickname of list.split(',')) if (nickname.trim()) add(foldName(nickname), canonical)
  }
  canonicals = new Map([...table].map(([name, set]) => [name, [...set]]))
  return canonicals
}

/** The full names a (folded) first name may stand for, itself included. */
export function fullNamesOf(folded: string): string[] {
  const found = nicknameTable().get(folded)
  return found ? (found.includes(folded) ? found : [folded, ...found]) : [folded]
}

/** Whether two folded first names are one name by nickname: Bob/Robert, Bobby/Rob, Kasia/Katarzyna. */
export function isNickname(a: string, b: string): boolean {
  if (!a || !b || a === b) return false
  const fromA = fullNamesOf(a)
  return fullNamesOf(b).some((name) => fromA.includes(name))
}

const phoneticCache = new Map<string, [string, string]>()

/** Double Metaphone codes (primary, alternate) of a folded name. */
export function phonetic(folded: string): [string, string] {
  let codes = phoneticCache.get(folded)
  if (!codes) {
    codes = folded ? (doubleMetaphone(folded) as [string, string]) : ['', '']
    if (phoneticCache.size > 50_000) phoneticCache.clear()
    phoneticCache.set(folded, codes)
  }
  return codes
}

function soundAlike(a: string, b: string): boolean {
  const [pa, aa] = phonetic(a)
  const [pb, ab] = phonetic(b)
  return pa !== '' && (pa === pb || pa === ab || aa === pb)
}

/** Very close spellings of one (folded) name: Jon/John, Smith/Smyth, Schmidt/Schmitt, Katherine/Catherine. */
export function isSimilarSpelling(a: string, b: string): boolean {
  if (!a || !b) return false
  if (a === b) return true
  const similarity = jaroWinkler(a, b)
  return similarity >= 0.93 || (similarity >= 0.82 && soundAlike(a, b))
}

/** The same first name as far as a desk is concerned: equal, a nickname, or a near spelling. */
function sameFirstName(a: string, b: string): NameMatch | null {
  if (a === b) return 'same'
  if (isNickname(a, b)) return 'nickname'
  if (isSimilarSpelling(a, b)) return 'similar'
  // "J Smith" and "John Smith".
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 'similar'
  return null
}

/**
 * How two names match, or null when they are different names. Needs both last
 * names, or both first names when neither has a last name.
 */
export function compareNames(one: PersonName, other: PersonName): NameMatch | null {
  const firstA = firstWord(one.firstName)
  const firstB = firstWord(other.firstName)
  const lastA = foldName(one.lastName)
  const lastB = foldName(other.lastName)
  if (lastA && lastB && isSimilarSpelling(lastA, lastB)) {
    if (!firstA && !firstB) return lastA === lastB ? 'same' : 'similar'
    if (!firstA || !firstB) return null
    const first = sameFirstName(firstA, firstB)
    if (first) return first === 'same' && lastA !== lastB ? 'similar' : first
  }
  if (firstA && lastA && firstB && lastB && firstA !== lastA) {
    // "Smith John" typed for "John Smith".
    const crossed = (a: string, b: string) => a === b || isNickname(a, b) || isSimilarSpelling(a, b)
    if (crossed(firstA, lastB) && crossed(lastA, firstB)) return 'swapped'
  }
  if (!lastA && !lastB && firstA && firstB && foldName(one.firstName) === foldName(other.firstName)) return 'same'
  return null
}

/**
 * Keys under which a name is filed so that names that may match meet without
 * comparing everyone with everyone: the sound of the last name with each full
 * name the first name may stand for, and the two names' sounds in either order
 * (for swapped names). Names that can match share at least one key, except
 * near spellings that sound different — those are still found by email, phone
 * or postcode, which compare every pair when the group is small.
 */
export function nameKeys(name: PersonName): string[] {
  const first = firstWord(name.firstName)
  const last = foldName(name.lastName)
  if (!first && !last) return []
  const lastSound = phonetic(last)[0] || last
  const firstSound = phonetic(first)[0] || first
  const keys = new Set<string>()
  for (const full of fullNamesOf(first)) keys.add(`n:${lastSound}:${(phonetic(full)[0] || full).slice(0, 2)}`)
  keys.add(`s:${[firstSound, lastSound].sort().join(':')}`)
  return [...keys]
}
