import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream, closeSync, openSync, readSync, statSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { DomainError } from '../errors'

/*
 * Encrypted backups: AES-256-GCM over the whole file, streamed, with the key
 * derived from the passphrase by scrypt. The file starts with a small header
 * (magic, length, JSON: the scrypt salt and parameters, the IV and a key check
 * value) that is itself authenticated; the 16-byte GCM tag ends the file.
 * The key check tells a wrong passphrase from a damaged file before anything
 * is decrypted.
 */

const MAGIC = Buffer.from('FDSKENC1', 'latin1')
const TAG_BYTES = 16
const MAX_HEADER = 4096

interface Header {
  version: 1
  cipher: 'aes-256-gcm'
  kdf: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
  iv: string
  check: string
}

/** scrypt at 2^15 × 8: 32 MiB and about a tenth of a second per key, once per backup. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 }

export const WRONG_PASSPHRASE = 'This backup was encrypted with a different passphrase, so it cannot be opened. Nothing was changed. Enter the passphrase that was set when the backup was made.'
export const DAMAGED_ENCRYPTED = 'This encrypted backup is damaged: it does not decrypt to what was written. Nothing was changed. Choose another backup.'
export const NOT_ENCRYPTED_BACKUP = 'This file is not an encrypted Frontdesk backup. Nothing was changed.'

export function isEncryptedBackup(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(MAGIC.length)
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC)
  } finally {
    closeSync(fd)
  }
}

function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * params.N * params.r }, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

const keyCheck = (key: Buffer) => createHmac('sha256', key).update('frontdesk backup key check').digest().subarray(0, 16)

/** Encrypts `plainFile` into `encryptedFile` (a new file), streamed. */
export async function encryptFile(plainFile: string, encryptedFile: string, passphrase: string): Promise<void> {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const key = await deriveKey(passphrase, salt, SCRYPT)
  const header: Header = { version: 1, cipher: 'aes-256-gcm', kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), iv: iv.toString('base64'), check: keyCheck(key).toString('base64') }
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(json.length)
  const preamble = Buffer.concat([MAGIC, length, json])
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(preamble)
  const out = createWriteStream(encryptedFile, { flags: 'wx' })
  out.write(preamble)
  await pipeline(createReadStream(plainFile), cipher, out, { end: false })
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), (error?: Error | null) => (error ? reject(error) : resolve())))
}

function readPreamble(file: string): { header: Header; preamble: Buffer; size: number } {
  const size = statSync(file).size
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(MAGIC.length + 4)
    if (readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new DomainError('VALIDATION', NOT_ENCRYPTED_BACKUP)
    const length = head.readUInt32BE(MAGIC.length)
    if (length > MAX_HEADER || head.length + length + TAG_BYTES > size) throw new DomainError('VALIDATION', DAMAGED_ENCRYPTED)
    const json = Buffer.alloc(length)
    readSync(fd, json, 0, length, head.length)
    let header: Header
    try {
      header = JSON.parse(json.toString('utf8')) as Header
    } catch {
      throw new DomainError('VALIDATION', DAMAGED_ENCRYPTED)
    }
    if (header.version !== 1 || header.cipher !== 'aes-256-gcm' || header.kdf !== 'scrypt') throw new DomainError('VALIDATION', DAMAGED_ENCRYPTED)
    return { header, preamble: Buffer.concat([head, json]), size }
  } finally {
    closeSync(fd)
  }
}

/**
 * Decrypts into `plainFile` (a new file). Refuses a wrong passphrase before
 * writing a byte; a file altered after it was written fails the GCM tag at
 * the end, and the caller removes what was written.
 */
export async function decryptFile(encryptedFile: string, plainFile: string, passphrase: string): Promise<void> {
  const { header, preamble, size } = readPreamble(encryptedFile)
  if (header.N > 2 ** 20 || header.r > 32 || header.p > 16) throw new DomainError('VALIDATION', DAMAGED_ENCRYPTED)
  const key = await deriveKey(passphrase, Buffer.from(header.salt, 'base64'), header)
  const expected = Buffer.from(header.check, 'base64')
  const actual = keyCheck(key)
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new DomainError('VALIDATION', WRONG_PASSPHRASE)
  const tag = Buffer.alloc(TAG_BYTES)
  const fd = openSync(encryptedFile, 'r')
  try {
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES)
  } finally {
    closeSync(fd)
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'))
  decipher.setAAD(preamble)
  decipher.setAuthTag(tag)
  // The GCM tag is checked at the end of the stream; its failure is the damaged-file sentence, not OpenSSL's.
  try {
    await pipeline(createReadStream(encryptedFile, { start: preamble.length, end: size - TAG_BYTES - 1 }), decipher, createWriteStream(plainFile, { flags: 'wx' }))
  } catch (error) {
    if (error instanceof DomainError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw error
    throw new DomainError('VALIDATION', DAMAGED_ENCRYPTED)
  }
}
