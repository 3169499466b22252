import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { channels, contract, errorCodes, type Channel } from '../../preload/contract'
import { isPrepared, type RouterCase } from './router-cases/types'
import { onPostgres } from '../helpers/testDatabase'

/**
 * Every channel of the contract, fuzzed through the real router on a real
 * SQLite file: random values of every kind and boundary payloads (huge and
 * broken strings, deep nesting, prototype-pollution keys, NaN/Infinity/-0,
 * huge numbers, typed arrays, wrong types, extra and missing keys, valid
 * inputs with one field spoiled). Inputs the contract refuses are sent first,
 * at least PAYLOADS_PER_CHANNEL per channel (the boundary set, then
 * random ones, MIN_RANDOM_PER_CHANNEL of them at least):
 * each must come back as a structured VALIDATION error (no throw, no stack)
 * and the whole database must be byte-for-byte the same afterwards. The few
 * random values the contract happens to accept are counted and sent last,
 * apart, where they may write; they must still answer in the structured form.
 */
const PAYLOADS_PER_CHANNEL = 1000
/** Random ones at least, whatever the boundary set already sent. */
const MIN_RANDOM_PER_CHANNEL = 600
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261202)

// Every domain's router cases (valid inputs to spoil, invalid ones to send), whichever files there are.
const casesDir = join(__dirname, 'router-cases')
const cases = new Map<string, RouterCase>()
for (const file of readdirSync(casesDir).filter((name) => name.endsWith('.ts') && name !== 'types.ts')) {
  const module = (await import(join(casesDir, file))) as Record<string, unknown>
  for (const exported of Object.values(module)) {
    if (!exported || typeof exported !== 'object') continue
    for (const [channel, value] of Object.entries(exported)) {
      if ((channels as readonly string[]).includes(channel) && value && typeof value === 'object' && 'invalid' in value) cases.set(channel, value as RouterCase)
    }
  }
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf']

function deepArray(depth: number): unknown {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}
function deepObject(depth: number, key: string): unknown {
  let value: unknown = {}
  for (let i = 0; i < depth; i++) value = { [key]: value }
  return value
}

/** Values at the edges, used alone, as every field of a valid input, and inside random ones. */
const BOUNDARY_VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 31,
  2 ** 32 + 1,
  1e21,
  123456789012345678901234567890n,
  -1n,
  '',
  ' ',
  '0',
  '1',
  '-1',
  'NaN',
  'null',
  'true',
  '1e309',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  'x'.repeat(2_000_000),
  '€'.repeat(300_000),
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil',
  '\uFEFF',
  '😀'.repeat(1000),
  '../../../../etc/passwd',
  "'; DROP TABLE customers; --",
  '%s%n%x',
  '<img src=x onerror=alert(1)>',
  'ada@example.com',
  [],
  [null],
  [1, 2, 3],
  new Array(100_000).fill(1),
  // eslint-disable-next-line no-sparse-arrays
  [1, , 3],
  {},
  Object.create(null),
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  { constructor: { prototype: { polluted: 'yes' } } },
  { toString: 'x', valueOf: 5 },
  deepArray(2000),
  deepObject(2000, 'a'),
  deepObject(500, '__proto__'),
  new Date(NaN),
  new Date(8.64e15),
  new Uint8Array(16),
  new Uint8Array(50_000),
  new Int32Array([-1, 2 ** 31 - 1]),
  new Float64Array([NaN, -0, Infinity]),
  new BigInt64Array([2n ** 63n - 1n]),
  new ArrayBuffer(8),
  new DataView(new ArrayBuffer(4)),
  new Map([['id', 1]]),
  new Set([1]),
  /regex/g,
  new Error('boom'),
  Symbol('s'),
]

/** The edge values each field of a valid input is spoiled with, one field at a time. */
const FIELD_VALUES: unknown[] = [
  undefined,
  null,
  true,
  -0,
  -1,
  0.5,
  NaN,
  Infinity,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  123456789012345678901234567890n,
  '',
  '\u0000',
  '\uD800',
  'x'.repeat(200_000),
  '2026-02-30',
  [],
  [null],
  {},
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  deepArray(200),
  new Date(NaN),
  new Uint8Array(4096),
  new Map([['id', 1]]),
]

/** The top-level keys a channel's input knows (from its schema and its test cases). */
function keysOf(channel: Channel): string[] {
  const keys = new Set<string>()
  const schema = contract[channel].input as unknown as { shape?: Record<string, unknown>; def?: { innerType?: { shape?: Record<string, unknown> } } }
  for (const key of Object.keys(schema.shape ?? schema.def?.innerType?.shape ?? {})) keys.add(key)
  const known = cases.get(channel)
  for (const sample of [known?.valid, ...(known?.invalid ?? [])]) {
    if (sample && typeof sample === 'object' && !isPrepared(sample) && !Array.isArray(sample)) for (const key of Object.keys(sample)) keys.add(key)
  }
  return [...keys]
}

/** A valid input to spoil, when the router cases give one without preparing data. */
function baseOf(channel: Channel): Record<string, unknown> | undefined {
  const valid = cases.get(channel)?.valid
  if (!valid || typeof valid !== 'object' || Array.isArray(valid) || isPrepared(valid)) return undefined
  return valid as Record<string, unknown>
}

/** A copy of `base` with `key` set to `value` as an own property, even for "__proto__". */
function withField(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base }
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true })
  return copy
}

function boundaryPayloads(channel: Channel): unknown[] {
  const payloads: unknown[] = [...BOUNDARY_VALUES, ...(cases.get(channel)?.invalid ?? [])]
  const base = baseOf(channel) ?? {}
  for (const key of [...keysOf(channel), ...POLLUTION_KEYS, 'extra']) {
    for (const value of FIELD_VALUES) payloads.push(withField(base, key, value))
    const without = { ...base }
    delete without[key]
    payloads.push(without)
  }
  for (const [key, value] of Object.entries(base)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) {
        for (const spoiled of [null, -1, 'x'.repeat(100_000), NaN, { nested: true }, [inner]]) payloads.push(withField(base, key, withField(value as Record<string, unknown>, inner, spoiled)))
      }
      payloads.push(withField(base, key, withField(value as Record<string, unknown>, '__proto__', { polluted: 'yes' })))
    }
  }
  return payloads
}

/** The boundary values fast-check may mix into random ones: not the big or deep ones (its reports stringify them). */
const MIXABLE = BOUNDARY_VALUES.filter((value) => {
  if (typeof value === 'string') return value.length < 1000
  if (ArrayBuffer.isView(value)) return value.byteLength < 1000
  if (Array.isArray(value)) return value.length < 10 && !value.some(Array.isArray)
  if (value && typeof value === 'object') return !Object.values(value).some((inner) => inner && typeof inner === 'object')
  return true
})

const ANYTHING: fc.ObjectConstraints = {
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
  stringUnit: 'binary',
  values: [fc.constantFrom(...MIXABLE), fc.string({ unit: 'binary' }), fc.double(), fc.integer()],
}

function randomPayloads(channel: Channel): fc.Arbitrary<unknown> {
  const keys = [...keysOf(channel), ...POLLUTION_KEYS, 'extra']
  const base = baseOf(channel)
  const value = fc.anything(ANYTHING)
  const choices: fc.Arbitrary<unknown>[] = [
    value,
    fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }),
    fc.constantFrom(...MIXABLE),
  ]
  if (base) {
    choices.push(fc.tuple(fc.constantFrom(...keys), value).map(([key, spoiled]) => withField(base, key, spoiled)))
    choices.push(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...MIXABLE)).map(([key, spoiled]) => withField(base, key, spoiled)))
  }
  return fc.oneof(...choices)
}

function accepts(channel: Channel, payload: unknown): boolean {
  try {
    return contract[channel].input.safeParse(payload).success
  } catch {
    // The router must survive this too: sent, not skipped.
    return false
  }
}

/** Every table's rows (virtual tables through their shadow tables), hashed in a stable order. */
function databaseDigest(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const hash = createHash('sha256')
    hash.update(String(db.pragma('user_version', { simple: true })))
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string | null }[]
    for (const table of tables) {
      hash.update(`${table.name}\n${table.sql ?? ''}\n`)
      if (/^CREATE VIRTUAL TABLE/i.test(table.sql ?? '')) continue
      const rows = (db.prepare(`SELECT * FROM "${table.name.replace(/"/g, '""')}"`).raw().all() as unknown[][]).map((row) =>
        JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? `x'${value.toString('hex')}'` : typeof value === 'bigint' ? `${value}n` : value)),
      )
      rows.sort()
      for (const row of rows) hash.update(`${row}\n`)
    }
    return hash.digest('hex')
  } finally {
    db.close()
  }
}

/** A short description of a payload for a failure message (some are too deep for any stringify). */
function describePayload(payload: unknown, depth = 0): string {
  if (depth > 3) return '…'
  if (payload === null || typeof payload !== 'object') {
    const text = typeof payload === 'string' ? JSON.stringify(payload.slice(0, 60)) + (payload.length > 60 ? `…(${payload.length})` : '') : String(payload)
    return typeof payload === 'bigint' ? `${text}n` : text
  }
  const name = Object.getPrototypeOf(payload)?.constructor?.name ?? 'null-prototype'
  if (ArrayBuffer.isView(payload)) return `${name}(${(payload as { length?: number }).length ?? payload.byteLength})`
  if (Array.isArray(payload)) return `[${payload.slice(0, 4).map((item) => describePayload(item, depth + 1)).join(', ')}${payload.length > 4 ? `, …${payload.length}` : ''}]`
  const entries = Object.entries(payload).slice(0, 6).map(([key, value]) => `${JSON.stringify(key)}: ${describePayload(value, depth + 1)}`)
  return `${name === 'Object' ? '' : name}{${entries.join(', ')}}`
}

const ERROR_KEYS = new Set(['code', 'message', 'field', 'fields', 'existing'])

/** The one shape a failure may take over IPC; returns what is wrong with `result`, or null. */
function problemWith(result: unknown): string | null {
  if (!result || typeof result !== 'object') return `not an object: ${typeof result}`
  const { ok, error } = result as { ok?: unknown; error?: Record<string, unknown> }
  if (ok !== false) return 'ok is not false'
  if (!error || typeof error !== 'object') return 'no error object'
  const extra = Object.keys(error).filter((key) => !ERROR_KEYS.has(key))
  if (extra.length > 0) return `unexpected error keys ${extra.join(', ')}`
  if (!(errorCodes as readonly unknown[]).includes(error['code'])) return `unknown code ${String(error['code'])}`
  const message = error['message']
  if (typeof message !== 'string' || message.trim().length < 4) return 'no readable message'
  if (message.length > 2000) return `message of ${message.length} characters`
  const size = JSON.stringify(error).length
  if (size > 20_000) return `an error of ${size} characters`
  if (/\n\s+at |\.(ts|js):\d+|node_modules|Error:|SQLITE_/.test(JSON.stringify(error))) return 'stack trace or internals in the error'
  if (error['fields'] !== undefined && (typeof error['fields'] !== 'object' || error['fields'] === null)) return 'fields is not an object'
  try {
    structuredClone(result)
  } catch {
    return 'cannot cross IPC (not structured-cloneable)'
  }
  return null
}

let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  // Something in the main tables for a stray write to change.
  for (const [channel, input] of [
    ['customers:create', { firstName: 'Fuzz', lastName: 'Target', email: 'fuzz@example.com', phones: [{ number: '07700 900123' }] }],
    ['customers:create', { firstName: 'Other', lastName: 'Person' }],
    ['customers:block', { id: 2, reason: 'Test' }],
    ['tags:create', { name: 'VIP' }],
    ['customers:addTag', { customerId: 1, tagId: 1 }],
    ['notes:add', { customerId: 1, body: 'A note' }],
  ] as const) {
    await app.call(channel as Channel, input as never)
  }
})
afterAll(async () => {
  await app?.cleanup()
})

// Input checks come before any database work, and the proof that nothing changed reads the SQLite file's every row.
describe.skipIf(onPostgres)('IPC fuzzing (fast-check)', () => {
  const acceptedByChance = new Map<Channel, unknown[]>()
  const sent = new Map<Channel, number>()

  it(`refuses ${PAYLOADS_PER_CHANNEL}+ invalid payloads on every channel with a structured error, changing nothing`, { timeout: 600_000 }, async () => {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    const before = databaseDigest(app.dataFile)
    const changeLogBefore = await app.db('change_log').count({ n: '*' })
    expect(Number(changeLogBefore[0]?.['n'])).toBeGreaterThan(0)
    const failures: string[] = []

    const check = async (channel: Channel, payload: unknown) => {
      sent.set(channel, (sent.get(channel) ?? 0) + 1)
      let result: unknown
      try {
        result = await app.dispatch(channel, payload, { url: 'app://frontdesk/index.html', isTopFrame: true })
      } catch (thrown) {
        return `threw ${thrown instanceof Error ? thrown.message.slice(0, 200) : String(thrown)}`
      }
      const problem = problemWith(result)
      if (problem) return problem
      const code = (result as { error: { code: string } }).error.code
      return code === 'VALIDATION' ? null : `answered ${code}, not VALIDATION`
    }

    let boundarySeconds = 0
    for (const channel of channels) {
      const boundaryStarted = performance.now()
      for (const payload of boundaryPayloads(channel)) {
        if (accepts(channel, payload)) continue
        const problem = await check(channel, payload)
        if (problem) failures.push(`${channel} (boundary): ${problem}`)
      }
      boundarySeconds += (performance.now() - boundaryStarted) / 1000
      const chance: unknown[] = []
      const invalid = randomPayloads(channel).filter((payload) => {
        if (!accepts(channel, payload)) return true
        if (chance.length < 20) chance.push(payload)
        return false
      })
      const outcome = await fc.check(
        fc.asyncProperty(invalid, async (payload) => {
          const problem = await check(channel, payload)
          if (problem) throw new Error(problem)
        }),
        { numRuns: Math.max(MIN_RANDOM_PER_CHANNEL, PAYLOADS_PER_CHANNEL - (sent.get(channel) ?? 0)), seed: SEED, endOnFailure: true },
      )
      if (outcome.failed) failures.push(`${channel}: ${outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance)} (seed ${SEED}, counterexample ${describePayload(outcome.counterexample?.[0])})`)
      acceptedByChance.set(channel, chance)
    }

    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuStarted)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    const total = [...sent.values()].reduce((sum, n) => sum + n, 0)
    console.log(
      `IPC fuzz: ${total} invalid payloads over ${channels.length} channels in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU) ` +
        `(boundary ${boundarySeconds.toFixed(1)} s, random ${(seconds - boundarySeconds).toFixed(1)} s; seed ${SEED})`,
    )

    expect(failures).toEqual([])
    for (const channel of channels) expect(sent.get(channel) ?? 0, channel).toBeGreaterThanOrEqual(PAYLOADS_PER_CHANNEL)
    expect(await app.db('change_log').count({ n: '*' })).toEqual(changeLogBefore)
    expect(databaseDigest(app.dataFile)).toBe(before)
    // Nothing leaked onto Object.prototype from the pollution keys.
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('answers the payloads the contract happened to accept in the structured form too (they may write)', { timeout: 120_000 }, async () => {
    let count = 0
    const failures: string[] = []
    for (const [channel, payloads] of acceptedByChance) {
      // Ending the session would only turn later answers into SIGNED_OUT; sample data and backups are long jobs.
      if (channel === 'staff:signOut' || channel === 'staff:lock' || channel === 'demo:seed' || channel.startsWith('backups:')) continue
      for (const payload of payloads.slice(0, 3)) {
        count += 1
        try {
          const result = (await app.dispatch(channel, payload, { url: 'app://frontdesk/index.html', isTopFrame: true })) as { ok: boolean }
          const problem = result.ok === true ? null : problemWith(result)
          if (problem) failures.push(`${channel}: ${problem}`)
        } catch (thrown) {
          failures.push(`${channel}: threw ${thrown instanceof Error ? thrown.message : String(thrown)}`)
        }
      }
    }
    console.log(`IPC fuzz: ${count} payloads accepted by chance, answered apart`)
    expect(failures).toEqual([])
  })
})
