import type { Knex } from 'knex'
import type { CustomerDetail } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Forbidden } from '../errors'
import { assertNotInRecycleBin } from '../customers/customers'
import { loadCustomer } from '../customers/records'

/** SQLite accepts at most 500 terms in some statements (STACK.md): every id list is written in chunks of this size. */
export const CHUNK_SIZE = 500

export function chunks<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The key that makes tag, group and saved-filter names unique: "Café  VIP" and "cafe vip" are one name. */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ')
}

/** Names as shown: trimmed, inner runs of spaces collapsed. */
export function tidyName(name: string): string {
  return name.trim().replace(/\s+/g, ' ')
}

export function requireAdmin(ctx: ServiceContext, message: string): void {
  if (ctx.staff.role !== 'admin') throw new Forbidden(message)
}

/** Loads a customer that may be changed: exists (NotFound) and is not in the recycle bin (Conflict). */
export async function loadWritableCustomer(db: Knex, id: number): Promise<CustomerDetail> {
  const customer = await loadCustomer(db, id)
  assertNotInRecycleBin(customer)
  return customer
}

/** Long texts (note bodies) are cut in the change log: it records what changed, not a second copy. */
export function forLog(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Today's date (YYYY-MM-DD) on the desk's own calendar, from the injected clock. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** Escapes LIKE wildcards so a typed % or _ matches itself. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
