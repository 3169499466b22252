import type { siteAccountsInputs } from '../../../preload/contract/schemas/siteAccounts'
import * as siteAccounts from '../../services/siteAccounts'
import type { DomainHandlers, HandlerOptions } from './domain'

/** The online booking site's account emails: tokens are made, redeemed and revoked here, and kept only as hashes. */
export function siteAccountsHandlers(options: HandlerOptions): DomainHandlers<typeof siteAccountsInputs> {
  return {
    'siteAccounts:forCustomer': async (ctx, { customerId }) => ({
      tokens: await siteAccounts.tokensForCustomer(ctx.db, customerId, ctx.clock()),
      cannotSend: await siteAccounts.accountEmailRefusal(ctx.db, customerId),
    }),
    'siteAccounts:sendEmail': async (ctx, input) => {
      const sent = await siteAccounts.sendAccountEmail(ctx, input)
      // The person is waiting for the link: it goes now, not at the sender's next look.
      options.outbox?.wake()
      return sent
    },
    'siteAccounts:redeem': (ctx, input) => siteAccounts.redeemToken(ctx, input),
  }
}
