import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, formatLine, redact, redactText, REDACTED } from '../../main/log'

describe('redactText', () => {
  it('removes email addresses', () => {
    expect(redactText('sent to jane.doe+vip@example.co.uk today')).toBe('sent to [email] today')
    expect(redactText('<a@b.io>')).toBe('<[email]>')
  })

  it('removes phone-number-like digit runs of 7 or more digits', () => {
    expect(redactText('call +44 20 7946 0958 now')).toBe('call [phone] now')
    expect(redactText('mobile 07700900123')).toBe('mobile [phone]')
    expect(redactText('(555) 123-4567')).toBe('([phone]')
    expect(redactText('ref 1234567')).toBe('ref [phone]')
  })

  it('keeps short numbers, ids and ISO timestamps', () => {
    expect(redactText('customer 12345 row 42 took 3.5 ms')).toBe('customer 12345 row 42 took 3.5 ms')
    expect(redactText('at 2024-05-01T10:20:30.000Z')).toBe('at 2024-05-01T10:20:30.000Z')
    expect(redactText('at index.js:1234:56')).toBe('at index.js:1234:56')
  })

  it('removes quoted SQL literals (Knex puts bound values into error messages)', () => {
    const message = "insert into `customers` (`first_name`, `city`) values ('Zoë', 'O''Brien Town') - SQLITE_CONSTRAINT"
    expect(redactText(message)).toBe("insert into `customers` (`first_name`, `city`) values ('?', '?') - SQLITE_CONSTRAINT")
  })
})

describe('redact', () => {
  it('hides values under personal keys at any depth', () => {
    const input = {
      channel: 'customers:create',
      input: {
        firstName: 'Jane',
        lastName: 'Doe',
        displayName: 'Jane Doe',
        email: 'jane@example.com',
        phones: [{ number: '07700 900123' }],
        addresses: [{ line1: '1 High St', postcode: 'SW1A 1AA' }],
        notes: 'VIP, allergic to nuts',
        status: 'active',
        count: 3,
        empty: '',
      },
    }
    expect(redact(input)).toEqual({
      channel: 'customers:create',
      input: {
        firstName: REDACTED,
        lastName: REDACTED,
        displayName: REDACTED,
        email: REDACTED,
        phones: REDACTED,
        addresses: REDACTED,
        notes: REDACTED,
        status: 'active',
        count: 3,
        empty: '',
      },
    })
  })

  it('redacts free text under other keys', () => {
    expect(redact({ message: 'duplicate of jane@example.com, 020 7946 0958' })).toEqual({
      message: 'duplicate of [email], [phone]',
    })
  })

  it('keeps an error’s name, code and redacted message and stack', () => {
    const error = Object.assign(new Error("UNIQUE failed for 'jane@example.com'"), { code: 'SQLITE_CONSTRAINT' })
    const copy = redact(error) as Record<string, string>
    expect(copy['name']).toBe('Error')
    expect(copy['code']).toBe('SQLITE_CONSTRAINT')
    expect(copy['message']).toBe("UNIQUE failed for '?'")
    expect(copy['stack']).not.toContain('jane@example.com')
  })

  it('survives cycles, dates, bigints and deep nesting', () => {
    const cyclic: Record<string, unknown> = { id: 1 }
    cyclic['self'] = cyclic
    expect(redact(cyclic)).toEqual({ id: 1, self: '[circular]' })
    expect(redact(new Date('2024-01-02T03:04:05Z'))).toBe('2024-01-02T03:04:05.000Z')
    expect(redact(10n)).toBe('10')
    let deep: unknown = 'bottom'
    for (let i = 0; i < 20; i++) deep = { level: deep }
    expect(JSON.stringify(redact(deep))).toContain('[…]')
  })
})

describe('createLogger', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-log-'))
    dirs.push(dir)
    return dir
  }
  const quietConsole = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() })
  const clock = () => new Date('2024-05-01T10:00:00.000Z')

  it('writes one redacted line per entry to the console and to the file', () => {
    const file = join(tempDir(), 'logs', 'frontdesk.log')
    const out = quietConsole()
    const log = createLogger({ file, console: out, clock })
    log.error('Unexpected error on customers:create for jane@example.com', { email: 'jane@example.com', id: 5 })
    log.info('started')
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    expect(lines).toEqual([
      '2024-05-01T10:00:00.000Z ERROR Unexpected error on customers:create for [email] {"email":"[redacted]","id":5}',
      '2024-05-01T10:00:00.000Z INFO started',
    ])
    expect(out.error).toHaveBeenCalledWith(lines[0])
    expect(out.info).toHaveBeenCalledWith(lines[1])
    expect(readFileSync(file, 'utf8')).not.toContain('jane')
  })

  it('moves a large log aside when it starts', () => {
    const file = join(tempDir(), 'frontdesk.log')
    writeFileSync(file, 'x'.repeat(200))
    createLogger({ file, console: quietConsole(), clock, maxBytes: 100 }).warn('fresh')
    expect(readFileSync(`${file}.1`, 'utf8')).toHaveLength(200)
    expect(readFileSync(file, 'utf8')).toBe('2024-05-01T10:00:00.000Z WARN fresh\n')
  })

  it('keeps logging to the console when the file cannot be written', () => {
    const blocker = join(tempDir(), 'not-a-dir')
    writeFileSync(blocker, '')
    const out = quietConsole()
    const log = createLogger({ file: join(blocker, 'frontdesk.log'), console: out, clock })
    expect(() => log.error('still here')).not.toThrow()
    expect(out.error).toHaveBeenCalledOnce()
    expect(existsSync(join(blocker, 'frontdesk.log'))).toBe(false)
  })

  it('formats without detail', () => {
    expect(formatLine(clock(), 'warn', 'call 07700 900123')).toBe('2024-05-01T10:00:00.000Z WARN call [phone]')
  })
})
