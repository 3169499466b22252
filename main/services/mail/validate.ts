import type { Knex } from 'knex'
import Mustache from 'mustache'
import { ValidationFailed } from '../errors'
import { knownFieldNames, SECTION_GROUPS, STANDARD_EMAIL_FIELDS } from './fields'

/*
 * What a template may contain: text, Markdown and {{field}} tags, with
 * {{#field}}…{{/field}} / {{^field}}…{{/field}} to show a part only when a
 * value is there (or is not). Tags that print a value unprotected ({{{x}}},
 * {{&x}}), pull in other templates ({{>x}}) or change the {{ }} markers are
 * refused. Mustache itself runs no code, and the values are plain text.
 */

export type TemplatePart = 'subject' | 'body'

export interface TemplateProblem {
  field: TemplatePart
  message: string
}

type Token = [type: string, value: string, start: number, end: number, children?: Token[]]

/** The names a template may use without a customer file at hand: the standard fields, and any custom.<key>. */
const STANDARD_NAMES: ReadonlySet<string> = new Set([...STANDARD_EMAIL_FIELDS.map((f) => f.key), ...SECTION_GROUPS])

/** Field names a template may use: a set, null for the standard ones and any custom field, 'any' to check tags only. */
export type KnownNames = ReadonlySet<string> | null | 'any'

function isKnown(name: string, known: KnownNames, openSections: string[]): boolean {
  if (known === 'any') return true
  const names = known ?? STANDARD_NAMES
  if (names.has(name)) return true
  if (!known && /^custom\.[\p{L}\p{N}_]+$/u.test(name)) return true
  // Inside {{#booking}}…{{/booking}}, {{reference}} means {{booking.reference}}.
  return openSections.some((section) => names.has(`${section}.${name}`))
}

/** Every problem in one part of a template, in words; an empty list when it can be saved. */
export function partProblems(source: string, field: TemplatePart, known: KnownNames): TemplateProblem[] {
  let tokens: Token[]
  try {
    tokens = Mustache.parse(source) as unknown as Token[]
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/ at \d+$/, '') : 'it cannot be read'
    return [{ field, message: `A merge field is not written properly (${why}). Merge fields are written like {{firstName}}; a section opened with {{#x}} closes with {{/x}}.` }]
  }
  const problems = new Set<string>()
  const walk = (list: Token[], open: string[]) => {
    for (const [type, rawValue, start, , children] of list) {
      const value = rawValue.trim()
      if (type === '&') {
        const written = source.startsWith('{{{', start) ? `{{{${value}}}}` : `{{&${value}}}`
        problems.add(`${written} would print a value without protecting it. Write {{${value}}} instead.`)
      } else if (type === '>') problems.add(`{{>${value}}} includes another template, which email templates cannot do. Remove it.`)
      else if (type === '=') problems.add('Changing the {{ }} markers is not allowed in email templates. Remove the {{=…=}} tag.')
      else if (type === 'name' || type === '#' || type === '^') {
        if (!isKnown(value, known, open)) problems.add(`Unknown merge field {{${value}}} — choose one from the list.`)
      }
      if ((type === '#' || type === '^') && Array.isArray(children)) walk(children, type === '#' ? [...open, value] : open)
    }
  }
  walk(tokens, [])
  return [...problems].map((message) => ({ field, message }))
}

/** The problems of a whole template; `known` null accepts the standard fields and any custom field. */
export function templateProblems(template: { subject: string; body: string }, known: KnownNames = null): TemplateProblem[] {
  return [...partProblems(template.subject, 'subject', known), ...partProblems(template.body, 'body', known)]
}

function throwFirst(problems: TemplateProblem[]): void {
  const first = problems[0]
  if (!first) return
  const fields: Record<string, string> = {}
  for (const p of problems) fields[p.field] ??= p.message
  throw new ValidationFailed(first.message, fields)
}

/** Refuses a template with forbidden tags, broken tags or unknown fields (custom.<key> is accepted without a file to check). */
export function validateTemplate(template: { subject: string; body: string }, known: ReadonlySet<string> | null = null): void {
  throwFirst(templateProblems(template, known))
}

/** The same, against this customer file's own custom fields. */
export async function checkTemplate(db: Knex, template: { subject: string; body: string }): Promise<void> {
  throwFirst(templateProblems(template, await knownFieldNames(db)))
}

/**
 * Composing is lenient about names (an unknown one prints nothing: a custom
 * field may have been removed since) but never about tags that could print a
 * value unprotected.
 */
export function assertSafeTags(template: { subject: string; body: string }): void {
  throwFirst(templateProblems(template, 'any'))
}
