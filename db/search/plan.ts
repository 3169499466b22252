import type { SearchPlan } from '../dialects'

const PHONE_LIKE = /^[\d\s()+\-./]+$/
const CUSTOMER_NUMBER = /^c-?0*(\d{1,9})$/i

/**
 * Turns what the receptionist typed into what the index can answer.
 * Returns null for an empty search (show everything).
 */
export function planSearch(raw: string): SearchPlan | null {
  const text = raw.normalize('NFC').trim().toLowerCase()
  if (!text) return null
  const plan: SearchPlan = { fragments: [], prefixes: [], digits: null, shortDigits: null, customerNumber: null, namePrefix: null }

  const number = CUSTOMER_NUMBER.exec(text)
  if (number?.[1] && text.startsWith('c')) {
    plan.customerNumber = Number(number[1])
    return plan
  }

  if (PHONE_LIKE.test(text)) {
    // Any run of digits, whatever the formatting: "7700 900" finds "+44 7700 900123".
    const digits = text.replace(/\D/g, '')
    if (digits.length >= 3) plan.digits = digits
    else if (digits.length > 0) plan.shortDigits = digits
    return plan.digits || plan.shortDigits ? plan : null
  }

  const singles: string[] = []
  for (const token of text.split(/\s+/)) {
    if ([...token].length >= 3) {
      plan.fragments.push(token)
      continue
    }
    // Short words are matched as word starts; punctuation alone carries no meaning.
    const word = token.replace(/[^\p{L}\p{N}]/gu, '')
    if ([...word].length === 2) plan.prefixes.push(word)
    else if (word) singles.push(word)
  }
  if (plan.fragments.length || plan.prefixes.length) return plan
  // Initials alone ("z", "j s") narrow by the start of the name; beside longer words they add nothing.
  const [initial] = singles
  if (initial) {
    plan.namePrefix = initial.normalize('NFKD').replace(/\p{M}/gu, '')
    return plan
  }
  return null
}
