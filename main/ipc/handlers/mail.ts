import type { mailInputs } from '../../../preload/contract/schemas/mail'
import * as mail from '../../services/mail'
import type { DomainHandlers, HandlerOptions } from './domain'

/** Email settings and templates (settings: administrators). The SMTP password stays in main, kept with the system's protection. */
export function mailHandlers({ secrets }: HandlerOptions): DomainHandlers<typeof mailInputs> {
  return {
    'mail:settings': (ctx) => mail.mailSettingsView(ctx.db, secrets),
  }
}
