import { noInput } from './common'

/* ── Email: the SMTP server and sender, and the templates every message is written from ── */

/** How the desk reaches the mail server. */
export const mailSecurities = ['starttls', 'tls', 'none'] as const
export type MailSecurity = (typeof mailSecurities)[number]

/** How a staff member's own address is used on what they send. */
export const staffAddressUses = ['replyTo', 'from', 'none'] as const
export type StaffAddressUse = (typeof staffAddressUses)[number]

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

export const mailInputs = {
  'mail:settings': noInput,
}

export interface MailOutputs {
  'mail:settings': MailSettingsView
}
