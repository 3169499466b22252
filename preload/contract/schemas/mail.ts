import { z } from 'zod'
import { byId, contactText, freeText, id, nameText, noInput } from './common'
import { isPlausibleEmail } from './customers'

/* ── Email: the SMTP server and sender, and the templates every message is written from ── */

/** How the desk reaches the mail server. */
export const mailSecurities = ['starttls', 'tls', 'none'] as const
export type MailSecurity = (typeof mailSecurities)[number]

/** How a staff member's own address is used on what they send. */
export const staffAddressUses = ['replyTo', 'from', 'none'] as const
export type StaffAddressUse = (typeof staffAddressUses)[number]

const emailAddress = (blankAllowed: boolean, blankMessage: string) =>
  contactText(254, 'An email address is at most 254 characters.')
    .refine((v) => blankAllowed || v !== '', { error: blankMessage })
    .refine((v) => v === '' || isPlausibleEmail(v), { error: 'This is not a valid email address.' })

/** A server's name or address as it is typed: letters, digits, dots and hyphens (or an IPv6 address in brackets). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[[0-9A-Fa-f:.]+\]$/

/** The online booking site: https, or http on this computer while it is being tried out. */
export function isSiteAddress(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.username || url.password || url.search || url.hash) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

/** The mail settings an administrator can change; each one optional (a patch). */
export const mailSettingsPatch = z.strictObject({
  host: z
    .string()
    .normalize('NFC')
    .trim()
    .max(253, { error: 'A server name is at most 253 characters.' })
    .refine((v) => v === '' || HOST.test(v), { error: 'Enter the server’s name, e.g. smtp.example.com.' })
    .optional(),
  port: z
    .number({ error: 'Enter the port number, e.g. 587.' })
    .int({ error: 'Enter a whole port number, e.g. 587.' })
    .min(1, { error: 'A port is between 1 and 65535.' })
    .max(65535, { error: 'A port is between 1 and 65535.' })
    .optional(),
  security: z.enum(mailSecurities, { error: 'Choose how the connection is protected.' }).optional(),
  user: contactText(254, 'A user name is at most 254 characters.').optional(),
  /** A new password (kept by the computer); null forgets the one kept; absent: unchanged. */
  password: z.string().max(1000, { error: 'A password is at most 1,000 characters.' }).nullable().optional(),
  fromName: nameText(200).optional(),
  fromAddress: emailAddress(true, '').optional(),
  replyTo: emailAddress(true, '').optional(),
  staffAddress: z.enum(staffAddressUses, { error: 'Choose how staff addresses are used.' }).optional(),
  siteAddress: z
    .string()
    .normalize('NFC')
    .trim()
    .max(500, { error: 'Keep the address under 500 characters.' })
    .refine((v) => v === '' || isSiteAddress(v), { error: 'Enter the site’s full address starting with https://, e.g. https://book.example.com.' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  reminderHours: z
    .number({ error: 'Enter a number of hours.' })
    .int({ error: 'Enter a whole number of hours.' })
    .min(0, { error: 'Enter 0 (no reminders) or more hours.' })
    .max(168, { error: 'Send reminders at most 168 hours (a week) before.' })
    .optional(),
})
export type MailSettingsPatch = z.input<typeof mailSettingsPatch>

export const mailTestInput = z.strictObject({ to: emailAddress(false, 'Enter the address to send the test email to.') })

/** What a test email answers: delivered, or why not in words the desk can act on. */
export interface MailTestResult {
  delivered: boolean
  message: string
}

/** The mail settings as the desk shows them: the password never leaves main, only whether one is kept. */
export interface MailSettingsView {
  host: string
  port: number
  security: MailSecurity
  user: string
  fromName: string
  fromAddress: string
  replyTo: string
  staffAddress: StaffAddressUse
  /** The online booking site's address (https://…), for account and unsubscribe links. */
  siteAddress: string
  /** Hours before a session its reminder is sent; 0: no reminders. */
  reminderHours: number
  passwordSet: boolean
  /** A server and a sender address are set: messages can be delivered. */
  setUp: boolean
}

/* ── Email templates: Markdown with {{merge fields}} ── */

/** What a template is for; the automatic emails are written from the template of their purpose. */
export const emailTemplatePurposes = ['general', 'marketing', 'confirmation', 'reminder', 'accountConfirm', 'passwordReset'] as const
export type EmailTemplatePurpose = (typeof emailTemplatePurposes)[number]

export interface EmailTemplate {
  id: number
  name: string
  purpose: EmailTemplatePurpose
  subject: string
  /** Markdown with {{merge fields}}. */
  body: string
  updatedAt: string
  updatedByName: string
}

/** A merge field the editor offers, written {{key}}; grouped under headings (Customer, Booking, Business…). */
export interface EmailMergeFieldView {
  key: string
  label: string
  group: string
  example: string
}

/** A template's text as rendered for one customer, with what would stop it being saved. */
export interface EmailPreview {
  subject: string
  text: string
  html: string
  problems: Array<{ field: 'subject' | 'body'; message: string }>
}

const templateSubject = nameText(300)
const templateBody = freeText(20_000)

export const saveEmailTemplateInput = z.strictObject({
  id: id.optional(),
  name: nameText(120).refine((name) => name.length > 0, { error: 'Give the template a name.' }),
  purpose: z.enum(emailTemplatePurposes, { error: 'Choose what the template is for.' }),
  subject: templateSubject.refine((subject) => subject.length > 0, { error: 'Write a subject.' }),
  body: templateBody.refine((body) => body.length > 0, { error: 'Write the email’s text.' }),
})

export const emailPreviewInput = z.strictObject({
  subject: templateSubject,
  body: templateBody,
  /** Null: made-up sample values, so a template can be seen before a customer is chosen. */
  customerId: id.nullable(),
  bookingId: id.nullable().optional(),
  /** Without a bookingId: show the customer's next booking (else their latest), as the template editor does. */
  nextBooking: z.boolean().optional(),
  /** Marketing shows the unsubscribe footer. */
  kind: z.enum(['general', 'marketing', 'confirmation', 'reminder', 'account']).optional(),
})

export const mailInputs = {
  'mail:settings': noInput,
  'mail:updateSettings': mailSettingsPatch,
  'mail:sendTest': mailTestInput,
  'mail:templates': noInput,
  'mail:template': byId,
  'mail:saveTemplate': saveEmailTemplateInput,
  'mail:deleteTemplate': byId,
  'mail:fields': noInput,
  'mail:preview': emailPreviewInput,
}

export interface MailOutputs {
  'mail:settings': MailSettingsView
  'mail:updateSettings': MailSettingsView
  'mail:sendTest': MailTestResult
  'mail:templates': EmailTemplate[]
  'mail:template': EmailTemplate
  'mail:saveTemplate': EmailTemplate
  'mail:deleteTemplate': EmailTemplate[]
  'mail:fields': EmailMergeFieldView[]
  'mail:preview': EmailPreview
}
