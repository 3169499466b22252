import Mustache from 'mustache'
import type { MergeField } from '../../../preload/contract'
import { foldName } from '../organise/names'
import { ValidationFailed } from '../errors'

/**
 * Merge fields of letter templates: mustache tags over plain data, so nothing
 * in a template can run code (no lambdas in the data, partials and delimiter
 * changes refused) and values are printed as they are (no HTML escaping — the
 * letter is PDF text).
 */
export const STANDARD_FIELDS: readonly MergeField[] = [
  { key: 'first_name', label: 'First name', description: 'The customer’s first name' },
  { key: 'last_name', label: 'Last name', description: 'The customer’s last name' },
  { key: 'display_name', label: 'Display name', description: 'The name the customer is known by, e.g. “Ada Lovelace”' },
  { key: 'address_block', label: 'Address block', description: 'Always printed in the envelope window by the layout; in the body it prints nothing' },
  { key: 'today', label: 'Today’s date', description: 'The day the letters are printed, e.g. “1 December 2026”' },
  { key: 'business_name', label: 'Business name', description: 'From Settings' },
  { key: 'business_address', label: 'Business address', description: 'From Settings, on one line' },
  { key: 'business_phone', label: 'Business phone', description: 'From Settings' },
  { key: 'business_email', label: 'Business email', description: 'From Settings' },
]

/** The merge key of a custom field: "Favourite class" → custom.favourite_class. */
export function customFieldKey(label: string): string {
  const slug = foldName(label)
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
  return `custom.${slug || 'field'}`
}

export function customMergeFields(labels: string[]): MergeField[] {
  return labels.map((label) => ({ key: customFieldKey(label), label, description: 'Custom field' }))
}

type Token = [type: string, value: string, start: number, end: number, children?: Token[]]

/**
 * Refuses a body mustache cannot read, or one naming fields that do not
 * exist (each unknown one named), before it is saved or previewed.
 */
export function checkTemplateBody(body: string, known: ReadonlySet<string>): void {
  let tokens: Token[]
  try {
    tokens = Mustache.parse(body) as unknown as Token[]
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/ at \d+$/, '') : 'It cannot be read'
    throw ValidationFailed.field('body', `The template has a tag that is not closed properly (${why}). Merge fields are written like {{first_name}}.`)
  }
  const unknown = new Set<string>()
  const refused = new Set<string>()
  const walk = (list: Token[]) => {
    for (const [type, value, , , children] of list) {
      if (type === 'name' || type === '&' || type === '#' || type === '^') {
        if (!known.has(value.trim())) unknown.add(value.trim())
      } else if (type === '>' || type === '=') refused.add(type === '>' ? `{{> ${value}}}` : `{{=${value}=}}`)
      if (children) walk(children)
    }
  }
  walk(tokens)
  if (refused.size) throw ValidationFailed.field('body', `Templates may only use merge fields; remove ${[...refused].join(', ')}.`)
  if (unknown.size) {
    const names = [...unknown].map((name) => `{{${name}}}`)
    throw ValidationFailed.field(
      'body',
      `${names.length === 1 ? 'This merge field does' : 'These merge fields do'} not exist: ${names.join(', ')}. Use the Insert field menu for the ones there are.`,
    )
  }
}

export interface MergeData {
  first_name: string
  last_name: string
  display_name: string
  today: string
  business_name: string
  business_address: string
  business_phone: string
  business_email: string
  custom: Record<string, string>
}

const NO_ESCAPING = { escape: (value: unknown) => String(value) }

/** The body with its fields filled; a line left empty only by the address block goes away. */
export function fillTemplate(body: string, data: MergeData): string {
  const marked = body.replace(/^[ \t]*\{\{\s*address_block\s*\}\}[ \t]*\n?/gmu, '')
  return Mustache.render(marked, { ...data, address_block: '' }, {}, NO_ESCAPING)
}
