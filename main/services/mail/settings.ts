import type { Knex } from 'knex'
import type { MailSettingsView } from '../../../preload/contract'
import type { SecretStore } from '../../secrets'

/** The mail settings as kept in the customer file (settings key `mail`); the password is kept apart, with the system's protection. */
export type MailSettings = Omit<MailSettingsView, 'passwordSet' | 'setUp'>

export const MAIL_DEFAULTS: MailSettings = {
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  fromName: '',
  fromAddress: '',
  replyTo: '',
  staffAddress: 'replyTo',
  siteAddress: '',
  reminderHours: 24,
}

export async function getMailSettings(db: Knex): Promise<MailSettings> {
  const row = (await db('settings').where({ key: 'mail' }).first('value')) as { value: string } | undefined
  const stored = row ? (JSON.parse(row.value) as Partial<MailSettings>) : {}
  return { ...MAIL_DEFAULTS, ...stored }
}

/** Messages can be delivered: there is a server to hand them to and an address to send them from. */
export function isMailSetUp(settings: MailSettings): boolean {
  return settings.host !== '' && settings.fromAddress !== ''
}

/** Without a secret store (a desk with no protected storage) no password is kept. */
export async function mailSettingsView(db: Knex, secrets: SecretStore | undefined): Promise<MailSettingsView> {
  const settings = await getMailSettings(db)
  const password = secrets ? await secrets.get('smtpPassword').catch(() => null) : null
  return { ...settings, passwordSet: Boolean(password), setUp: isMailSetUp(settings) }
}
