import { isUtf8 } from 'node:buffer'
import quotedPrintable from 'quoted-printable'
import type vCard from 'vcf'
import { decodeWithCharset, UTF8, type TextEncoding } from './encoding'
import { textCell, type Cell } from './source'

/*
 * One contact flattened into the fixed columns below.
 * - Phones go by TYPE: cell/mobile/iphone → Mobile, home → Home, work → Work, anything else (voice, pager, main, none)
 *   → Other; Apple's item labels (X-ABLabel) count as a type. Fax numbers are left out: the desk does not ring a fax.
 *   Several numbers in one column are joined with "; ", the preferred one first.
 * - Emails: the preferred first (TYPE=pref, PREF=1), at most three.
 * - Address: the preferred one, else the home one, else the first; the PO box and the street lines become one
 *   "Street" text joined with ", ". A customer has one email: the card's others, and its other addresses, are
 *   kept in the note ("Other email: …", "Other address (work): …"), so nothing on the card is lost.
 * - Categories are joined with "; "; notes with a line break.
 * - Photo: an embedded picture as a `data:image/…;base64,` text; a picture given as a web address is left out.
 * - Birthday: a Date at midnight UTC when the card gives a full date; otherwise the card's text (e.g. "--0415").
 * Values are decoded from quoted-printable and their CHARSET (else the file's encoding) and unescaped (`\n`, `\,`,
 * `\;`; a 2.1 card escapes only `\;`).
 */

export const VCARD_HEADERS = [
  'Full name', 'First name', 'Last name', 'Middle name', 'Prefix', 'Suffix', 'Company',
  'Email', 'Email 2', 'Email 3', 'Mobile phone', 'Home phone', 'Work phone', 'Other phone',
  'Street', 'Extended address', 'City', 'Region', 'Postcode', 'Country',
  'Birthday', 'Note', 'Categories', 'Photo',
] as const

type Property = vCard.Property

/** How the card's text was read: as bytes (each character one byte, decoded per value) or already as text (UTF-16 files). */
export type ValueBytes = { kind: 'bytes'; fileEncoding: TextEncoding } | { kind: 'text' }

export function contactCells(properties: vCard.Properties, version: string, bytes: ValueBytes): Cell[] {
  const card = new CardReader(properties, version, bytes)
  // Names split on commas in every version: Outlook's 2.1 cards list several middle names as "Richter,James".
  const [family, given, middle, prefix, suffix] = card.components(card.first('n'), true).map(joinValues(' '))
  const phones = card.phones()
  const emails = [...new Set(card.all('email').sort(byPreference).map((property) => card.unescaped(property).replace(/^mailto:/i, '').trim()))].filter(Boolean)
  const chosen = chooseAddress(card.all('adr'))
  const address = card.components(chosen)
  const [poBox, extended, street, city, region, postcode, country] = address
  const streetLines = [...(poBox ?? []), ...(street ?? [])].flatMap((value) => value.split('\n'))
  const notes = card.all('note').map((property) => card.unescaped(property))
  for (const other of emails.slice(1)) notes.push(`Other email: ${other}`)
  for (const other of card.all('adr').filter((property) => property !== chosen)) {
    const [otherPoBox, otherExtended, otherStreet, ...rest] = card.components(other)
    const text = [...(otherPoBox ?? []), ...(otherStreet ?? []), ...(otherExtended ?? []), ...rest.flat()].map((value) => value.replace(/\n/g, ', ').trim()).filter(Boolean).join(', ')
    const kind = typesOf(other).find((type) => type === 'home' || type === 'work')
    if (text) notes.push(`Other address${kind ? ` (${kind})` : ''}: ${text}`)
  }
  const categories = card.all('categories').flatMap((property) => card.values(property))

  const cells: Array<Cell | undefined> = [
    card.unescaped(card.first('fn')),
    given, family, middle, prefix, suffix,
    joinValues(', ')(card.components(card.first('org'))[0]),
    emails[0], emails[1], emails[2],
    phones.mobile, phones.home, phones.work, phones.other,
    joinValues(', ')(streetLines),
    joinValues(', ')(extended), joinValues(', ')(city), joinValues(', ')(region), joinValues(', ')(postcode), joinValues(', ')(country),
    birthdayOf(card, card.first('bday')),
    notes.filter(Boolean).join('\n'),
    [...new Set(categories)].join('; '),
    firstPhoto(card.all('photo')),
  ]
  return cells.map((cell) => (typeof cell === 'string' ? textCell(cell.trim()) : (cell ?? null)))
}

class CardReader {
  constructor(
    private readonly properties: vCard.Properties,
    private readonly version: string,
    private readonly bytes: ValueBytes,
  ) {}

  /** Every property of a name, matched without regard to case or dashes (vcf camel-cases "X-ABLABEL" and "X-ABLabel" differently). */
  all(name: string): Property[] {
    const wanted = simplified(name)
    return Object.entries(this.properties).flatMap(([key, value]) => (simplified(key) === wanted ? [value].flat() : []))
  }

  first(name: string): Property | undefined {
    return this.all(name)[0]
  }

  /** The value as text: quoted-printable and charset decoded, escapes still in place; line breaks as "\n". */
  text(property: Property | undefined): string {
    if (!property) return ''
    const raw = property.valueOf() ?? ''
    const quoted = /quoted-printable/i.test(String(parameter(property, 'encoding') ?? '')) || typesOf(property).includes('quoted-printable')
    const charset = parameter(property, 'charset')
    let text = raw
    if (this.bytes.kind === 'bytes' || quoted) {
      const bytes = Buffer.from(quoted ? quotedPrintable.decode(raw) : raw, 'latin1')
      text = decodeValue(bytes, typeof charset === 'string' ? charset : undefined, this.bytes.kind === 'bytes' ? this.bytes.fileEncoding : UTF8)
    }
    return text.replace(/\r\n?/g, '\n')
  }

  unescaped(property: Property | undefined): string {
    return this.unescape(this.text(property))
  }

  /** A structured value (N, ADR, ORG): its `;`-separated components, each a list of its `,`-separated values (2.1 has no such lists unless `commas`). */
  components(property: Property | undefined, commas = this.version !== '2.1'): string[][] {
    return splitEscaped(this.text(property), ';').map((component) => this.listOf(component, commas))
  }

  /** A list value (CATEGORIES): its `,`-separated values, in every version. */
  values(property: Property): string[] {
    return this.listOf(this.text(property), true)
  }

  phones(): Record<'mobile' | 'home' | 'work' | 'other', string> {
    const columns = { mobile: [] as string[], home: [] as string[], work: [] as string[], other: [] as string[] }
    for (const property of this.all('tel').sort(byPreference)) {
      const types = [...typesOf(property), ...this.labelTypes(property)]
      // A tel: URI (vCard 4.0) carries its extension as a parameter: "tel:+1-555-555-5555;ext=102".
      const number = this.unescaped(property)
        .replace(/^tel:([^;]*)(?:;ext=([^;]*))?.*$/i, (_all, digits: string, extension?: string) => (extension ? `${digits} ext. ${extension}` : digits))
        .trim()
      if (!number || types.includes('fax')) continue
      const column = types.some((type) => ['cell', 'mobile', 'iphone'].includes(type)) ? 'mobile' : types.includes('home') ? 'home' : types.includes('work') ? 'work' : 'other'
      columns[column].push(number)
    }
    return { mobile: columns.mobile.join('; '), home: columns.home.join('; '), work: columns.work.join('; '), other: columns.other.join('; ') }
  }

  /** Apple groups a number with its label (`item2.TEL` + `item2.X-ABLabel:_$!<Mobile>!$_`): the label read as types. */
  private labelTypes(property: Property): string[] {
    if (!property.group) return []
    const label = this.all('xablabel').find((each) => each.group === property.group)
    const text = label ? this.text(label).toLowerCase() : ''
    return (['cell', 'home', 'work', 'fax'] as const).filter((type) => (type === 'cell' ? /mobile|cell|iphone/ : new RegExp(type)).test(text))
  }

  private listOf(component: string, commas = this.version !== '2.1'): string[] {
    const values = commas ? splitEscaped(component, ',') : [component]
    return values.map((value) => this.unescape(value).trim()).filter(Boolean)
  }

  private unescape(text: string): string {
    if (this.version === '2.1') return text.replace(/\\;/g, ';')
    return text.replace(/\\([\\;,:nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char))
  }
}

/**
 * A value's bytes as text: by the CHARSET it names; else as UTF-8 when they are UTF-8 (what every phone writes); else in
 * the file's encoding. Judged value by value, because a whole file that is UTF-8 fails the test when folding splits a
 * character over two lines, and old exports mix UTF-8 and Windows-1252 cards.
 */
function decodeValue(bytes: Buffer, charset: string | undefined, fileEncoding: TextEncoding): string {
  if (charset || !isUtf8(bytes)) return decodeWithCharset(bytes, charset, fileEncoding)
  return bytes.toString('utf8')
}

function simplified(name: string): string {
  return name.toLowerCase().replace(/-/g, '')
}

function parameter(property: Property, name: string): unknown {
  const key = Object.keys(property).find((each) => simplified(each) === name)
  const value = key === undefined ? undefined : property[key]
  return Array.isArray(value) ? value[0] : value
}

/** TYPE values, lower case, lists and quotes undone (`TYPE="home,voice"`, `type=HOME;type=pref`, 2.1's bare `CELL`). */
function typesOf(property: Property): string[] {
  return [property.type ?? []].flat().flatMap((type) => String(type).replace(/"/g, '').toLowerCase().split(','))
}

/** Lower is preferred: PREF=1 (4.0) or TYPE=pref (2.1/3.0) before the rest. */
function preference(property: Property): number {
  const pref = Number(parameter(property, 'pref'))
  if (Number.isInteger(pref) && pref > 0) return pref
  return typesOf(property).includes('pref') ? 1 : 101
}

function byPreference(a: Property, b: Property): number {
  return preference(a) - preference(b)
}

function chooseAddress(addresses: Property[]): Property | undefined {
  const preferred = [...addresses].sort(byPreference)[0]
  if (preferred && preference(preferred) < 101) return preferred
  return addresses.find((address) => typesOf(address).includes('home')) ?? addresses[0]
}

/** Joins a component's values (and the lines inside them); a comma left dangling at a line's end ("Silicon Alley 5,") goes. */
function joinValues(separator: string): (values: string[] | undefined) => string {
  return (values) =>
    (values ?? [])
      .flatMap((value) => value.split('\n'))
      .map((line) => line.trim().replace(/\s*,$/, ''))
      .filter(Boolean)
      .join(separator)
}

/** Splits on `separator` where it is not escaped with a backslash; escapes stay for the unescaping that follows. */
function splitEscaped(text: string, separator: ';' | ','): string[] {
  const parts: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === separator) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

function birthdayOf(card: CardReader, property: Property | undefined): Cell | undefined {
  const text = card.text(property).trim()
  const date = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$/.exec(text)
  if (!property || !date) return text
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number]
  // Apple stores a birthday without a year under a stand-in year it names in X-APPLE-OMIT-YEAR.
  if (Number(parameter(property, 'xappleomityear')) === year) return `--${date[2]}${date[3]}`
  const value = new Date(Date.UTC(year, month - 1, day))
  return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === day ? value : text
}

const PICTURE_TYPES: Record<string, string> = { jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp', heic: 'image/heic', tiff: 'image/tiff' }

function firstPhoto(photos: Property[]): string | null {
  for (const photo of photos) {
    const picture = photoOf(photo)
    if (picture) return picture
  }
  return null
}

/** An embedded picture as a data: URI, its type taken from its bytes first; null for a web address or anything unreadable. */
function photoOf(property: Property): string | null {
  const raw = (property.valueOf() ?? '').trim()
  const encoding = String(parameter(property, 'encoding') ?? '').toLowerCase()
  const dataUri = /^data:([^;,]*)[^,]*;base64,(.*)$/is.exec(raw)
  const base64 = dataUri ? dataUri[2]! : encoding === 'b' || encoding === 'base64' || typesOf(property).includes('base64') ? raw : null
  if (base64 === null) return null
  const bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64')
  if (bytes.length === 0) return null
  const named = [dataUri?.[1], String(parameter(property, 'mediatype') ?? ''), ...typesOf(property)]
    .map((type) => (type ?? '').toLowerCase().replace(/^image\//, ''))
    .map((type) => PICTURE_TYPES[type])
    .find(Boolean)
  const mime = pictureTypeOf(bytes) ?? named
  return mime ? `data:${mime};base64,${bytes.toString('base64')}` : null
}

function pictureTypeOf(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg'
  const ascii = bytes.subarray(0, 12).toString('latin1')
  if (ascii.startsWith('\x89PNG')) return 'image/png'
  if (ascii.startsWith('GIF8')) return 'image/gif'
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp'
  return undefined
}
