import { z } from 'zod'
import { byId, freeText, id, nameText, noInput } from './common'
import { mailSettingsPatch, mailTestInput, type MailSecurity, type MailTestResult, type StaffAddressUse } from './mailSettings'

/* ── Email: the SMTP server and sender, and the templates every message is written from ── */

export * from './mailSettings'

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
