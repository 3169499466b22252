/**
 * The lines of a postal address as the destination country writes them, for
 * letters and labels. Country rules (the common ones; the rest get the
 * European order, postcode before town):
 * - GB: post town in capitals, then county, then the postcode on its own line (Royal Mail).
 * - IE: town, county, then the Eircode on its own line (An Post).
 * - US: "City, ST 12345" on one line (USPS). CA: "City PROV  A1A 1A1" (Canada Post: two spaces).
 * - AU: "LOCALITY STATE 2000" on one line, locality in capitals (Australia Post).
 * - DE, PL, GR: "Postcode Town". ES: "Postcode Town", then the province. FR: "Postcode TOWN".
 * - NL: "1234 AB  TOWN" (PostNL: two spaces). IT: "Postcode Town PROV" (province abbreviation).
 * Posted abroad, the country's name comes last, in capitals, in the sender's
 * language (UPU practice); at home it is left off.
 */

export interface AddressCustomer {
  displayName: string
  company: string
}

export interface PostalAddress {
  line1: string
  line2: string
  city: string
  region: string
  postcode: string
  /** ISO 3166-1 alpha-2, '' when not known (taken as the home country). */
  country: string
}

type TownLines = (a: PostalAddress, locale: string) => string[]

const upper = (text: string, locale: string): string => text.toLocaleUpperCase(locale)
const join = (...parts: string[]): string => parts.map((p) => p.trim()).filter(Boolean).join(' ')

const postcodeFirst: TownLines = (a) => [join(a.postcode, a.city), a.region]

const TOWN_LINES: Record<string, TownLines> = {
  GB: (a) => [upper(a.city, 'en'), a.region, upper(a.postcode, 'en')],
  IE: (a) => [a.city, a.region, upper(a.postcode, 'en')],
  US: (a) => [[a.city.trim(), join(a.region, a.postcode)].filter(Boolean).join(', ')],
  CA: (a) => [[join(a.city, a.region), upper(a.postcode, 'en')].filter((p) => p.trim()).join('  ')],
  AU: (a) => [join(upper(a.city, 'en'), upper(a.region, 'en'), a.postcode)],
  DE: (a) => [join(a.postcode, a.city)],
  FR: (a) => [join(a.postcode, upper(a.city, 'fr'))],
  PL: (a) => [join(a.postcode, a.city)],
  NL: (a) => [[upper(a.postcode, 'nl').trim(), upper(a.city, 'nl').trim()].filter(Boolean).join('  ')],
  ES: postcodeFirst,
  IT: (a) => [join(a.postcode, a.city, upper(a.region, 'it'))],
  GR: (a) => [join(a.postcode, a.city)],
}

/** The language the sender writes a foreign country's name in. */
const SENDER_LANGUAGE: Record<string, string> = { DE: 'de', AT: 'de', FR: 'fr', PL: 'pl', NL: 'nl', ES: 'es', IT: 'it', GR: 'el' }

/** The country's name for the last line of an address posted abroad, in capitals. */
export function countryLine(country: string, homeCountry: string): string {
  const language = SENDER_LANGUAGE[homeCountry.toUpperCase()] ?? 'en'
  let name = country
  try {
    name = new Intl.DisplayNames([language], { type: 'region' }).of(country.toUpperCase()) ?? country
  } catch {
    // Not a region code Intl knows: print what was stored.
  }
  return upper(name, language)
}

/**
 * The address block: name (and company), street lines, the town line(s) in the
 * destination's order, and the country when abroad. Empty parts leave no gap.
 */
export function letterAddressLines(customer: AddressCustomer, address: PostalAddress, homeCountry: string): string[] {
  const home = homeCountry.toUpperCase()
  const country = (address.country || home).toUpperCase()
  const town = (TOWN_LINES[country] ?? postcodeFirst)(address, SENDER_LANGUAGE[country] ?? 'en')
  const lines = [customer.displayName, customer.company, address.line1, address.line2, ...town]
  if (country !== home) lines.push(countryLine(country, home))
  return lines.map((line) => line.normalize('NFC').replace(/\s+$/u, '').replace(/^\s+/u, '')).filter(Boolean)
}

export interface FittedBlock {
  lines: string[]
  sizePt: number
  /** Baseline to baseline, mm. */
  lineHeight: number
}

/** Font sizes tried from largest; DIN 5008 asks for no less than 8 pt in a letter's address. */
export const LETTER_SIZES = [10, 9.5, 9, 8.5, 8]
const LINE_FACTOR = 1.2
const PT = 25.4 / 72
/** The font's descent below the last baseline, as a share of the size (DejaVu Sans: 0.236 em). */
const DESCENT = 0.24

/** How many lines of a size fit a height: the first baseline one em down, the last line's descent inside. */
function linesThatFit(height: number, sizePt: number, lineHeight: number): number {
  return Math.max(1, Math.floor((height - (1 + DESCENT) * sizePt * PT) / lineHeight) + 1)
}

/**
 * Makes the lines fit a box: the largest size at which every line, wrapped at
 * spaces where too wide, fits; at the smallest size lines are cut with "…"
 * (never wrapped) and, if still too many, the street lines are joined.
 * `measure` gives a text's width in mm at a size (the PDF font's own metrics).
 */
export function fitAddressBlock(
  lines: string[],
  box: { width: number; height: number },
  measure: (text: string, sizePt: number) => number,
  sizes: readonly number[] = LETTER_SIZES,
): FittedBlock {
  for (const sizePt of sizes) {
    const lineHeight = sizePt * LINE_FACTOR * PT
    const maxLines = linesThatFit(box.height, sizePt, lineHeight)
    const wrapped = lines.flatMap((line) => wrap(line, box.width, (t) => measure(t, sizePt)))
    if (wrapped.length <= maxLines && wrapped.every((l) => measure(l, sizePt) <= box.width)) return { lines: wrapped, sizePt, lineHeight }
  }
  const sizePt = sizes[sizes.length - 1]!
  const lineHeight = sizePt * LINE_FACTOR * PT
  const maxLines = linesThatFit(box.height, sizePt, lineHeight)
  let kept = [...lines]
  // Too many lines even unwrapped: the street lines go on one line, then the middle lines go.
  if (kept.length > maxLines && kept.length >= 4) kept = joinStreetLines(kept)
  while (kept.length > maxLines) kept.splice(Math.max(1, kept.length - 3), 1)
  return { lines: kept.map((l) => shorten(l, box.width, (t) => measure(t, sizePt))), sizePt, lineHeight }
}

function joinStreetLines(lines: string[]): string[] {
  // Name first; the two lines after the name (and company) are taken as the street lines.
  const at = lines.length >= 6 ? 2 : 1
  return [...lines.slice(0, at), `${lines[at]}, ${lines[at + 1]}`, ...lines.slice(at + 2)]
}

/** Splits a line at spaces so each part fits; a word wider than the box stays whole (shortened later). */
export function wrap(line: string, width: number, measure: (text: string) => number): string[] {
  if (measure(line) <= width) return [line]
  const out: string[] = []
  let current = ''
  for (const word of line.split(/\s+/u)) {
    const next = current ? `${current} ${word}` : word
    if (current && measure(next) > width) {
      out.push(current)
      current = word
    } else current = next
  }
  if (current) out.push(current)
  return out
}

/** Cuts a line to fit, ending it with "…". */
export function shorten(line: string, width: number, measure: (text: string) => number): string {
  if (measure(line) <= width) return line
  const chars = [...line]
  let low = 0
  let high = chars.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (measure(`${chars.slice(0, mid).join('').trimEnd()}…`) <= width) low = mid
    else high = mid - 1
  }
  return `${chars.slice(0, low).join('').trimEnd()}…`
}
