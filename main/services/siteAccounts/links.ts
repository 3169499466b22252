/** An account link's token as it appears in an email: 32 random bytes in base64url. */
const ACCOUNT_LINK = /(\/account\/(?:confirm|reset)\?token=)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g

/** What stands in a delivered email where its link's token was. */
export const TOKEN_REMOVED = 'removed-after-sending'

/**
 * The email's text without the tokens of its account links. The outbox must
 * hold the token while the email waits (it is the only copy and must survive
 * a crash); once the email is delivered the copy kept for the Messages tab
 * has no use for it, and anyone reading the file or the tab could use it.
 */
export function withoutAccountTokens(body: string): string {
  return body.replace(ACCOUNT_LINK, `$1${TOKEN_REMOVED}`)
}
