import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/*
 * Passwords and PINs are kept only as scrypt hashes, each with its own random
 * salt and the cost it was made with, as `scrypt$N$r$p$salt$hash` (base64), so
 * the cost can be raised later without breaking older hashes. scrypt runs on
 * libuv's thread pool: the main process stays free while it works.
 */

const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 32
const SALT_BYTES = 16
/** Room for N = 2^15 with r = 8 (128 · N · r = 32 MiB) and a little more. */
const MAX_MEMORY = 96 * 2 ** 20

function derive(secret: string, salt: Buffer, cost: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: MAX_MEMORY }
  return new Promise((resolve, reject) => scrypt(secret.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))))
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(secret, salt, COST, KEY_LENGTH)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$')
}

interface ParsedHash {
  cost: { N: number; r: number; p: number }
  salt: Buffer
  key: Buffer
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  const [N, r, p] = parts.slice(1, 4).map(Number)
  const salt = Buffer.from(parts[4] ?? '', 'base64')
  const key = Buffer.from(parts[5] ?? '', 'base64')
  const sane = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 0
  if (!sane(N) || !sane(r) || !sane(p) || N > 2 ** 20 || r > 32 || p > 16 || salt.length < 8 || key.length < 16) return null
  return { cost: { N, r, p }, salt, key }
}

/** A hash of nothing anyone knows: checked when there is no real one, so a missing account takes as long as a wrong password. */
let decoy: Promise<string> | undefined

/** Whether `secret` matches `stored` (null or unreadable: never, after the same work as a real check). */
export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  const parsed = stored ? parseHash(stored) : null
  if (!parsed) {
    const fake = parseHash(await (decoy ??= hashSecret(randomBytes(16).toString('hex'))))
    if (fake) await derive(secret, fake.salt, fake.cost, fake.key.length)
    return false
  }
  const key = await derive(secret, parsed.salt, parsed.cost, parsed.key.length)
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
}
