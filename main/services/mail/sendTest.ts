import type { MailTestResult } from '../../../preload/contract'
import type { SecretStore } from '../../secrets'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { getMailSettings, isMailSetUp } from './settings'
import { createMailTransport, describeMailError, type TransportOptions } from './transport'
import { escapeHtml } from './render'

export const MAIL_NOT_SET_UP = 'Email isn’t set up yet: enter the mail server and the sender’s address in Settings → Email, and save.'

/**
 * Sends a short email straight to the server with the saved settings (not
 * through the outbox): the administrator learns at once whether the server,
 * the password and the sender work, in the server's own words when not.
 */
export async function sendTestEmail(ctx: ServiceContext, secrets: SecretStore | undefined, to: string, options: Pick<TransportOptions, 'tlsCa'> = {}): Promise<MailTestResult> {
  const settings = await getMailSettings(ctx.db)
  if (!isMailSetUp(settings)) return { delivered: false, message: MAIL_NOT_SET_UP }
  let password: string | null
  try {
    password = secrets ? await secrets.get('smtpPassword') : null
  } catch (error) {
    return { delivered: false, message: (error as Error).message }
  }
  if (settings.user && !password) return { delivered: false, message: 'No password is kept for the mail server user: enter it in Settings → Email and save.' }
  const business = (await getSettings(ctx)).businessName
  const transport = createMailTransport(settings, password, { ...options, pool: false })
  try {
    await transport.sendMail({
      from: { name: settings.fromName || business, address: settings.fromAddress },
      ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
      to,
      subject: `Test email from ${business}`,
      text: `This is a test email from Frontdesk, sent by ${ctx.staff.name}.\n\nIf you can read it, ${business} can send email through ${settings.host}.`,
      html: `<p>This is a test email from Frontdesk, sent by ${escapeHtml(ctx.staff.name)}.</p><p>If you can read it, ${escapeHtml(business)} can send email through ${escapeHtml(settings.host)}.</p>`,
    })
    return { delivered: true, message: `The test email was handed to ${settings.host} for ${to}. Check that it arrived.` }
  } catch (error) {
    return { delivered: false, message: describeMailError(error, settings) }
  } finally {
    transport.close()
  }
}
