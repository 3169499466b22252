import type { SearchPlan } from '../dialects'
import { foldForMatching } from '../../preload/contract/fold'
import { stripInvisible, withoutEdgePunctuation } from '../../preload/contract/text'

const PHONE_LIKE = /^[\d\s()+\-./]+$/
const CUSTOMER_NUMBER = /^c-?0*(\d{1,9})$/i
/** A word worth looking for has a letter or a digit; quotes, stars and dashes alone carry no meaning. */
const MEANINGFUL = /[\p{L}\p{N}]/u

/** A plan that matches nobody: something was typed, but nothing in it can be looked for. */
function nothing(): SearchPlan {
  return { fragments: [], prefixes: [], digits: null, shortDigits: null, customerNumber: null, initials: [] }
}

/**
 * Turns what the receptionist typed into what the index can answer, folded
 * exactly as the index's documents are (preload/contract/fold.ts). Returns
 * null for an empty search (show everything), and a plan matching nobody
 * for one of punctuation alone.
 */
export function planSearch(raw: string): SearchPlan | null {
  const typed = stripInvisible(raw).normalize('NFC').trim()
  if (!typed) return null
  const text = foldForMatching(typed).trim()
  const plan = nothing()

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
    return plan
  }

  const singles: string[] = []
  for (const typedToken of text.split(/\s+/)) {
    const token = withoutEdgePunctuation(typedToken)
    if (!MEANINGFUL.test(token)) continue
    if ([...token].length >= 3) {
      plan.fragments.push(token)
      continue
    }
    // Short words are matched as word starts, without their punctuation.
    const word = token.replace(/[^\p{L}\p{N}]/gu, '')
    if ([...word].length === 2) plan.prefixes.push(word)
    else if (word) singles.push(word)
  }
  // Single letters are initials: "z" and "j s" alone, or beside longer words ("anna s"). The same one
  // twice asks for two ("j j": Jane Jones); a third asks no more, as the index holds no more.
  const times = new Map<string, number>()
  plan.initials = singles.filter((initial) => {
    times.set(initial, (times.get(initial) ?? 0) + 1)
    return times.get(initial)! <= 2
  })
  return plan
}
