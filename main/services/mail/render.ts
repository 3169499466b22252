import MarkdownIt from 'markdown-it'
import Mustache from 'mustache'

/*
 * How a template becomes an email. The body is Markdown with {{merge fields}}.
 * The HTML part renders the author's Markdown first and fills the fields
 * afterwards with HTML-escaped values, so nothing a customer typed (a name
 * with <script>, a company with **stars**) is ever read as Markdown or HTML.
 * The plain-text part fills the same Markdown with values exactly as typed.
 */

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true })

/** Values for the fields: plain data only (strings and nested objects), never functions. */
export type MergeView = { [key: string]: string | MergeView | null }

export interface Rendered {
  subject: string
  text: string
  html: string
}

/** What the HTML layout shows around the message. */
export interface Frame {
  businessName: string
  businessAddress: string
  businessPhone: string
  businessEmail: string
  /** Marketing: a footer line with the unsubscribe link. */
  unsubscribeUrl?: string
}

interface Compiled {
  subject: string
  html: string
  text: string
  mentionsUnsubscribe: boolean
}

const TAG = /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g
const placeholder = (i: number) => `ZqMergeField${i}Zq`
const PLACEHOLDER = /ZqMergeField(\d+)Zq/g

/*
 * Markdown must not see the tags: linkify would turn {{business.name}} into a
 * link (".name" is a web domain) and a link target {{accountUrl}} would be
 * percent-encoded. Each tag is swapped for a word Markdown leaves alone and put
 * back once the HTML is made.
 */
function markdownToHtml(body: string): string {
  const tags: string[] = []
  const hidden = body.replace(TAG, (tag) => placeholder(tags.push(tag) - 1))
  let html = markdown.render(hidden)
  const isSection = (ph: string) => /^\{\{\s*[#^/]/.test(tags[Number(/\d+/.exec(ph)?.[0])] ?? '')
  // A section tag alone on its line opens or closes whole paragraphs or lines, leaving no empty paragraph or line break.
  html = html.replace(/<p>(ZqMergeField\d+Zq)<\/p>\n?/g, (whole, ph: string) => (isSection(ph) ? ph : whole))
  html = html.replace(/<br>\n(ZqMergeField\d+Zq)(?=\n|<\/)/g, (whole, ph: string) => (isSection(ph) ? `\n${ph}` : whole))
  html = html.replace(/(ZqMergeField\d+Zq)<br>\n/g, (whole, ph: string) => (isSection(ph) ? `${ph}\n` : whole))
  // A link whose target is a field gets only a web, mail or phone address (never javascript:…).
  html = html.replace(/href="ZqMergeField(\d+)Zq/g, (whole, n: string) => {
    const name = /^\{\{\s*([^#^/!&>={}\s][^{}]*?)\s*\}\}$/.exec(tags[Number(n)] ?? '')?.[1]
    return name ? `href="{{__href.${name}}}` : whole
  })
  html = html.replace(PLACEHOLDER, (_, n: string) => tags[Number(n)] ?? '')
  return inlineStyles(html)
}

/** Email programs drop style sheets: each element carries its own look. */
function inlineStyles(html: string): string {
  const styles: Record<string, string> = {
    p: 'margin:0 0 16px 0;',
    h1: 'margin:0 0 16px 0;font-size:24px;line-height:1.3;color:#111827;',
    h2: 'margin:0 0 14px 0;font-size:20px;line-height:1.3;color:#111827;',
    h3: 'margin:0 0 12px 0;font-size:17px;line-height:1.3;color:#111827;',
    ul: 'margin:0 0 16px 0;padding-left:24px;',
    ol: 'margin:0 0 16px 0;padding-left:24px;',
    li: 'margin:0 0 6px 0;',
    blockquote: 'margin:0 0 16px 0;padding:4px 0 4px 16px;border-left:3px solid #d1d5db;color:#4b5563;',
    hr: 'border:none;border-top:1px solid #e5e7eb;margin:24px 0;',
    a: 'color:#1d4ed8;text-decoration:underline;',
    code: 'font-family:Menlo,Consolas,monospace;font-size:14px;background:#f3f4f6;padding:1px 4px;border-radius:3px;',
  }
  return html.replace(/<(p|h1|h2|h3|ul|ol|li|blockquote|hr|a|code)(?=[\s>/])/g, (tag, name: string) => `${tag} style="${styles[name]}"`)
}

/** The Markdown made readable as plain text: links as "text (address)", no stars or hashes. */
function markdownToText(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/^#{1,6}[ \t]+/gm, '')
    .replace(/\[([^\]\n]*)\]\(([^)\s]+)\)/g, (_, text: string, url: string) => (text && text !== url ? `${text} (${url})` : url))
    .replace(/<((?:https?:|mailto:)[^>\s]+)>/g, '$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/\\([*_[\]#\\`])/g, '$1')
}

const cache = new Map<string, Compiled>()

/** Rendering the Markdown once per template text: a newsletter to thousands reuses it. */
function compile(template: { subject: string; body: string }): Compiled {
  const key = `${template.subject}\u0000${template.body}`
  let compiled = cache.get(key)
  if (!compiled) {
    compiled = {
      subject: template.subject,
      html: markdownToHtml(template.body),
      text: markdownToText(template.body),
      mentionsUnsubscribe: /\{\{\s*unsubscribeUrl\s*\}\}/.test(template.body),
    }
    if (cache.size >= 50) cache.delete(cache.keys().next().value as string)
    cache.set(key, compiled)
  }
  return compiled
}

const asTyped = { escape: (value: unknown) => String(value) }

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

function isLinkTarget(value: string): boolean {
  return /^(https?:\/\/|mailto:|tel:)/i.test(value.trim())
}

/** The same values, keeping only those a link may point to. */
function linkTargets(view: MergeView): MergeView {
  const out: MergeView = {}
  for (const [key, value] of Object.entries(view)) {
    if (value === null) out[key] = null
    else if (typeof value === 'string') out[key] = isLinkTarget(value) ? value : ''
    else out[key] = linkTargets(value)
  }
  return out
}

/** Fills a template for one recipient: a one-line subject, the plain text and the HTML in its layout. */
export function renderTemplate(template: { subject: string; body: string }, view: MergeView, frame: Frame): Rendered {
  const compiled = compile(template)
  const subject = Mustache.render(compiled.subject, view, {}, asTyped).replace(/\s*[\r\n]+\s*/g, ' ').trim()
  const text = Mustache.render(compiled.text, view, {}, asTyped)
  const htmlView = compiled.html.includes('{{__href.') ? { ...view, __href: linkTargets(view) } : view
  const content = Mustache.render(compiled.html, htmlView, {}, { escape: escapeHtml })
  return {
    subject,
    text: withTextFooter(tidyText(text), frame, compiled.mentionsUnsubscribe),
    // The unsubscribe link is in every marketing message once: the template's own, or the footer's.
    html: emailLayout(content.replace(/<p[^>]*>\s*<\/p>\n?/g, ''), subject, compiled.mentionsUnsubscribe ? { ...frame, unsubscribeUrl: undefined } : frame),
  }
}

function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function withTextFooter(text: string, frame: Frame, mentionsUnsubscribe: boolean): string {
  const footer = [frame.businessName, frame.businessAddress, frame.businessPhone].filter(Boolean)
  // "-- " with its space: the signature line email programs recognise.
  const lines = [text, '', '-- ', ...footer]
  if (frame.unsubscribeUrl && !mentionsUnsubscribe) lines.push('', `To stop receiving these emails: ${frame.unsubscribeUrl}`)
  return `${lines.join('\n')}\n`
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"

/** A plain, centred card that reads well in every email program and on a phone. */
function emailLayout(content: string, subject: string, frame: Frame): string {
  const e = escapeHtml
  const contact = [frame.businessAddress, frame.businessPhone, frame.businessEmail].filter(Boolean).map(e).join(' · ')
  const unsubscribe = frame.unsubscribeUrl
    ? `<p style="margin:8px 0 0 0;">You receive this because you agreed to hear from us. <a href="${e(frame.unsubscribeUrl)}" style="color:#6b7280;text-decoration:underline;">Unsubscribe</a></p>`
    : ''
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;border:1px solid #e5e7eb;">
<tr><td style="padding:20px 32px;border-bottom:1px solid #e5e7eb;font-family:${FONT};font-size:18px;font-weight:600;color:#111827;">${e(frame.businessName)}</td></tr>
<tr><td style="padding:28px 32px 12px 32px;font-family:${FONT};font-size:16px;line-height:1.55;color:#1f2937;">
${content}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;">
<tr><td style="padding:16px 32px;font-family:${FONT};font-size:12px;line-height:1.5;color:#6b7280;text-align:center;">
<p style="margin:0;"><strong>${e(frame.businessName)}</strong></p>
${contact ? `<p style="margin:4px 0 0 0;">${contact}</p>` : ''}
${unsubscribe}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`
}
