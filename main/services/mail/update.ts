import type { FieldChange, MailSettingsView } from '../../../preload/contract'
import { mailSettingsPatch, type MailSettingsPatch } from '../../../preload/contract/schemas/mail'
import type { SecretStore } from '../../secrets'
import { recordChange } from '../changeLog'
import type { ServiceContext } from '../context'
import { DomainError, ValidationFailed } from '../errors'
import { getMailSettings, mailSettingsView, type MailSettings } from './settings'

const LABELS: Record<keyof MailSettings, string> = {
  host: 'Mail server',
  port: 'Port',
  security: 'Connection security',
  user: 'Mail server user',
  fromName: 'Sender name',
  fromAddress: 'Sender address',
  replyTo: 'Reply-to address',
  staffAddress: 'Staff addresses',
  siteAddress: 'Online booking site',
  reminderHours: 'Reminder hours before',
}

const SECURITY_WORDS: Record<MailSettings['security'], string> = { starttls: 'STARTTLS', tls: 'TLS', none: 'None' }
const STAFF_ADDRESS_WORDS: Record<MailSettings['staffAddress'], string> = { replyTo: 'Reply-To', from: 'From', none: 'Not used' }

const NO_SECRET_STORE = 'Frontdesk cannot keep a password on this computer. Nothing was saved.'

function asText(settings: MailSettings, key: keyof MailSettings): string {
  if (key === 'security') return SECURITY_WORDS[settings.security]
  if (key === 'staffAddress') return STAFF_ADDRESS_WORDS[settings.staffAddress]
  if (key === 'reminderHours') return settings.reminderHours ? `${settings.reminderHours} h` : 'No reminders'
  return String(settings[key])
}

/**
 * Changes the mail settings (administrators). The password goes to the
 * computer's protected storage, never the customer file: a string sets it,
 * null forgets it, absent leaves it. The password is stored first and put
 * back if the settings cannot be saved, so a failure leaves nothing half-done;
 * the change log says the password changed, never what it is.
 */
export async function updateMailSettings(ctx: ServiceContext, secrets: SecretStore | undefined, patch: MailSettingsPatch): Promise<MailSettingsView> {
  const parsed = mailSettingsPatch.safeParse(patch)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw ValidationFailed.field(String(issue.path[0] ?? 'settings'), issue.message)
  }
  const { password, ...changes } = parsed.data
  const passwordChange: FieldChange[] = []
  let previousPassword: string | null = null
  if (password !== undefined) {
    if (!secrets) throw new DomainError('STORAGE', NO_SECRET_STORE)
    previousPassword = await secrets.get('smtpPassword').catch(() => null)
    const next = password === null || password === '' ? null : password.normalize('NFC')
    if (next !== previousPassword) {
      // The store's own sentence (no protected storage on this computer…) is the answer; nothing else was changed yet.
      await secrets.set('smtpPassword', next)
      passwordChange.push({ field: 'Mail server password', before: null, after: next === null ? 'Removed' : previousPassword === null ? 'Set' : 'Changed' })
    }
  }

  try {
    await ctx.db.transaction(async (trx) => {
      // Read where it is written: two administrators saving at once each log what they really changed.
      const before = await getMailSettings(trx)
      const after: MailSettings = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) }
      const fieldChanges: FieldChange[] = []
      for (const key of Object.keys(LABELS) as Array<keyof MailSettings>) {
        const b = asText(before, key)
        const a = asText(after, key)
        if (b !== a) fieldChanges.push({ field: LABELS[key], before: b || null, after: a || null })
      }
      fieldChanges.push(...passwordChange)
      if (!fieldChanges.length) return
      await trx('settings').insert({ key: 'mail', value: JSON.stringify(after) }).onConflict('key').merge()
      await recordChange(trx, ctx, {
        customerId: null,
        entityType: 'settings',
        entityId: 0,
        action: 'settings.mailUpdated',
        summary: 'Email settings changed',
        changes: fieldChanges,
      })
    })
  } catch (error) {
    if (passwordChange.length && secrets) await secrets.set('smtpPassword', previousPassword).catch(() => undefined)
    throw error
  }
  return mailSettingsView(ctx.db, secrets)
}
