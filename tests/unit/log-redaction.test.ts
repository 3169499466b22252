import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LogMessage } from 'electron-log'

// Electron as the main process sees it, for electron-log (which requires it) and any ESM import alike.
const electron = vi.hoisted(() => ({
  app: { name: 'Frontdesk', getVersion: () => '0.1.0', isPackaged: true, isReady: () => true, on: () => undefined },
  ipcMain: { on: () => undefined, handle: () => undefined },
}))
vi.mock('electron', () => electron)
const { provideElectronToRequire } = await import('../helpers/required-electron')
provideElectronToRequire(electron)
const { createLogger, redact, redactMessage, redactText, REDACTED } = await import('../../main/log')

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

describe('createLogger (electron-log)', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-log-'))
    dirs.push(dir)
    return dir
  }
  const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n')

  it('writes one redacted line per entry, UTC time first, to the log file (its folder created)', () => {
    const file = join(tempDir(), 'logs', 'frontdesk.log')
    const log = createLogger({ file, console: false })
    log.error('Unexpected error on customers:create for jane@example.com', {
      email: 'jane@example.com',
      id: 5,
      message: 'card 4111 1111 1111 1111 declined; call 020 7946 0958',
    })
    log.info('started')
    const [first, second] = lines(file)
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z error /)
    expect(first?.slice(25)).toBe(
      'error Unexpected error on customers:create for [email] {"email":"[redacted]","id":5,"message":"card [phone] declined; call [phone]"}',
    )
    expect(second?.slice(25)).toBe('info started')
    expect(readFileSync(file, 'utf8')).not.toMatch(/jane|4111|7946/)
  })

  it('redacts for every transport, the console too: the hook runs before any of them', () => {
    const message = { data: ['call 07700 900123', { phone: '07700 900123' }, undefined], date: new Date(), level: 'warn' } as LogMessage
    expect(redactMessage(message).data).toEqual(['call [phone]', '{"phone":"[redacted]"}'])
    expect(message.data[0]).toBe('call 07700 900123')
  })

  it('sets the file aside once it passes the size limit and carries on in a new one', () => {
    const file = join(tempDir(), 'frontdesk.log')
    const log = createLogger({ file, console: false, maxBytes: 300 })
    let entry = 0
    while (!existsSync(file) || statSync(file).size <= 300) log.info(`entry ${++entry}`)
    expect(existsSync(join(dirs[0]!, 'frontdesk.old.log'))).toBe(false)
    log.info('after the limit')
    const archived = join(dirs[0]!, 'frontdesk.old.log')
    expect(statSync(archived).size).toBeGreaterThan(300)
    expect(lines(archived).at(-1)).toMatch(new RegExp(`info entry ${entry}$`))
    expect(lines(file)).toHaveLength(1)
    expect(lines(file)[0]).toMatch(/info after the limit$/)
  })

  it('sets a log that is already too large aside at its first entry', () => {
    const dir = tempDir()
    const file = join(dir, 'frontdesk.log')
    writeFileSync(file, 'x'.repeat(400))
    createLogger({ file, console: false, maxBytes: 300 }).warn('fresh')
    expect(readFileSync(join(dir, 'frontdesk.old.log'), 'utf8')).toHaveLength(400)
    expect(lines(file)).toHaveLength(1)
    expect(lines(file)[0]).toMatch(/warn fresh$/)
  })

  it('does not throw when the file cannot be written (electron-log says so on the console)', () => {
    const blocker = join(tempDir(), 'not-a-dir')
    writeFileSync(blocker, '')
    const log = createLogger({ file: join(blocker, 'frontdesk.log'), console: false })
    expect(() => log.error('still here')).not.toThrow()
    expect(existsSync(join(blocker, 'frontdesk.log'))).toBe(false)
  })
})
