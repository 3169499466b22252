import { describe, expect, it } from 'vitest'
import { contract } from '../../preload/contract'
import { MAX_REPORTED_FIELDS, zodToApiError } from '../../main/ipc/router'

function refusal(input: unknown) {
  const parsed = contract['customers:get'].input.safeParse(input)
  if (parsed.success) throw new Error('expected a refusal')
  return zodToApiError(parsed.error)
}

describe('validation errors sent back to the page', () => {
  it('name at most MAX_REPORTED_FIELDS fields however many stray keys the input has', () => {
    const error = refusal(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))
    expect(Object.keys(error.fields ?? {})).toHaveLength(MAX_REPORTED_FIELDS)
    expect(JSON.stringify(error).length).toBeLessThan(5_000)
    // A typed array where an object belongs: one entry per byte, before.
    expect(Object.keys(refusal(new Uint8Array(100_000)).fields ?? {})).toHaveLength(MAX_REPORTED_FIELDS)
    expect(error).toMatchObject({ code: 'VALIDATION', message: 'Please correct the highlighted fields.' })
  })

  it('record "__proto__" and "constructor" like any other key, without touching prototypes', () => {
    const error = refusal(JSON.parse('{"id": 1, "__proto__": {"polluted": "yes"}, "constructor": 1}'))
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(error.fields)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(error.fields?.['__proto__']).toBe('"__proto__" is not a field here.')
  })

  it('shorten a huge key rather than echo it', () => {
    const error = refusal({ id: 1, ['k'.repeat(100_000)]: 1 })
    expect(JSON.stringify(error).length).toBeLessThan(1_000)
  })
})
