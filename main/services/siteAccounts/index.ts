export { tokensForCustomer } from './tokens'
export { revokeAccountTokens, REVOKED } from './revoke'
export {
  sendAccountEmail,
  redeemToken,
  accountEmailRefusal,
  hashToken,
  CONFIRM_VALID_MS,
  RESET_VALID_MS,
  NO_SITE_ADDRESS,
} from './emails'
export { withoutAccountTokens, TOKEN_REMOVED } from './links'
