import electronLog from 'electron-log/main'
import type { LogMessage } from 'electron-log'

/**
 * Logs leave the machine in support tickets, so customers' personal data is
 * removed before anything is written: values under personal keys, email
 * addresses, phone-like digit runs, and quoted SQL literals (Knex puts bound
 * values into its error messages).
 */

const PERSONAL_KEY = /name|e-?mail|phone|mobile|address|street|line[12]|city|postcode|zip|birth|note|comment/i
const EMAIL = /[^\s@'"<>(),;:]+@[^\s@'"<>(),;:]+\.[^\s@'"<>(),;:]+/g
// Starts and ends on a digit so surrounding punctuation survives.
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/
const SQL_LITERAL = /'(?:[^']|'')*'/g

export const REDACTED = '[redacted]'

function redactPhoneLike(match: string): string {
  const digits = match.replace(/\D/g, '').length
  // ISO dates and times are the one long digit run worth keeping in a log.
  if (digits < 7 || ISO_DATE.test(match)) return match
  return '[phone]'
}

export function redactText(text: string): string {
  return text.replace(SQL_LITERAL, "'?'").replace(EMAIL, '[email]').replace(PHONE_LIKE, redactPhoneLike)
}

/** A redacted, JSON-safe copy of any value (cycles and depth bounded). */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value
  }
  if (seen.has(value)) return '[circular]'
  if (depth > 6) return '[…]'
  seen.add(value)
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: redactText(value.message) }
    if (value.stack) copy['stack'] = redactText(value.stack)
    const code = (value as { code?: unknown }).code
    if (typeof code === 'string') copy['code'] = code
    return copy
  }
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[key] = PERSONAL_KEY.test(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redact(item, depth + 1, seen)
  }
  return copy
}

export interface Logger {
  info: (message: string, detail?: unknown) => void
  warn: (message: string, detail?: unknown) => void
  error: (message: string, detail?: unknown) => void
}

/** Past this size the log file is set aside (as `frontdesk.old.log`) and a new one begun. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024

export interface LoggerOptions {
  /** The log file (its folder is created); in the app, `frontdesk.log` in Electron's logs folder. */
  file: string
  /** Rotation size; LOG_MAX_BYTES unless a test wants less. */
  maxBytes?: number
  /** Also print to the console (the default). */
  console?: boolean
}

/**
 * Each value is redacted before any transport (file or console) sees it: text
 * by redactText, anything else as its redacted JSON; a missing detail is left out.
 */
export function redactMessage(message: LogMessage): LogMessage {
  const data = message.data.filter((item: unknown) => item !== undefined)
  return { ...message, data: data.map((item: unknown) => (typeof item === 'string' ? redactText(item) : JSON.stringify(redact(item)))) }
}

/**
 * A logger writing through electron-log: one line per entry, UTC time first;
 * rotation by size; write failures (full or read-only disk) are reported on
 * the console and never thrown. electron-log also listens for renderer log
 * messages on an IPC channel of its own, which Frontdesk's preload gives the
 * page no way to send.
 */
export function createLogger(options: LoggerOptions): Logger {
  const log = electronLog.create({ logId: `frontdesk:${options.file}` })
  log.hooks.push(redactMessage)
  log.transports.file.resolvePathFn = () => options.file
  log.transports.file.maxSize = options.maxBytes ?? LOG_MAX_BYTES
  log.transports.file.format = '{iso} {level} {text}'
  log.transports.file.level = 'info'
  log.transports.console.level = options.console === false ? false : 'info'
  return log
}
