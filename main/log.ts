import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

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

export type LogLevel = 'info' | 'warn' | 'error'

export interface Logger {
  info: (message: string, detail?: unknown) => void
  warn: (message: string, detail?: unknown) => void
  error: (message: string, detail?: unknown) => void
}

export interface LoggerOptions {
  /** Also append to this file (created with its folder); console only when omitted. */
  file?: string
  console?: Pick<Console, LogLevel>
  clock?: () => Date
  /** The file is moved to `<file>.1` once it grows past this many bytes. */
  maxBytes?: number
}

export function formatLine(time: Date, level: LogLevel, message: string, detail?: unknown): string {
  const head = `${time.toISOString()} ${level.toUpperCase()} ${redactText(message)}`
  return detail === undefined ? head : `${head} ${JSON.stringify(redact(detail))}`
}

function rotateIfLarge(file: string, maxBytes: number): void {
  try {
    if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`)
  } catch {
    // No file yet: nothing to rotate.
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.console ?? console
  const clock = options.clock ?? (() => new Date())
  const { file } = options
  let fileUsable = Boolean(file)
  if (file) {
    try {
      mkdirSync(dirname(file), { recursive: true })
      rotateIfLarge(file, options.maxBytes ?? 5 * 1024 * 1024)
    } catch {
      fileUsable = false
    }
  }
  const write = (level: LogLevel, message: string, detail?: unknown) => {
    const line = formatLine(clock(), level, message, detail)
    out[level](line)
    if (!file || !fileUsable) return
    try {
      appendFileSync(file, `${line}\n`, 'utf8')
    } catch {
      // A full or read-only disk must not take the app down; the console still has it.
      fileUsable = false
    }
  }
  return {
    info: (message, detail) => write('info', message, detail),
    warn: (message, detail) => write('warn', message, detail),
    error: (message, detail) => write('error', message, detail),
  }
}
