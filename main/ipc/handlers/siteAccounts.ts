import type { siteAccountsInputs } from '../../../preload/contract/schemas/siteAccounts'
import * as siteAccounts from '../../services/siteAccounts'
import type { DomainHandlers, HandlerOptions } from './domain'

/** The online booking site's account emails: tokens are made, redeemed and revoked here, and kept only as hashes. */
export function siteAccountsHandlers(_options: HandlerOptions): DomainHandlers<typeof siteAccountsInputs> {
  return {
    'siteAccounts:forCustomer': (ctx, { customerId }) => siteAccounts.tokensForCustomer(ctx.db, customerId, ctx.clock()),
  }
}
