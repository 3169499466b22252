import type { mailInputs } from '../../../preload/contract/schemas/mail'
import * as mail from '../../services/mail'
import type { DomainHandlers, HandlerOptions } from './domain'

/** Email settings and templates (settings: administrators). The SMTP password stays in main, kept with the system's protection. */
export function mailHandlers({ secrets, outbox, mailOptions }: HandlerOptions): DomainHandlers<typeof mailInputs> {
  return {
    'mail:settings': (ctx) => mail.mailSettingsView(ctx.db, secrets),
    'mail:updateSettings': async (ctx, patch) => {
      const view = await mail.updateMailSettings(ctx, secrets, patch)
      // A new server or password: the pooled connections are made again and the outbox is tried at once.
      outbox?.settingsChanged()
      return view
    },
    'mail:sendTest': (ctx, { to }) => mail.sendTestEmail(ctx, secrets, to, { tlsCa: mailOptions?.tlsCa }),
    'mail:templates': (ctx) => mail.listTemplates(ctx.db),
    'mail:template': (ctx, { id }) => mail.getTemplate(ctx.db, id),
    'mail:saveTemplate': (ctx, input) => mail.saveTemplate(ctx, input),
    'mail:deleteTemplate': async (ctx, { id }) => {
      await mail.deleteTemplate(ctx, id)
      return mail.listTemplates(ctx.db)
    },
    'mail:fields': (ctx) => mail.emailMergeFields(ctx.db),
    'mail:preview': (ctx, input) => mail.previewTemplate(ctx, input),
  }
}
