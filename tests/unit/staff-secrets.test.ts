import { describe, expect, it } from 'vitest'
import { hashSecret, verifySecret } from '../../main/services/staff/passwords'
import { DeskSession } from '../../main/services/staff/session'

describe('password and PIN hashes', () => {
  it('match the secret they were made from only, in any Unicode form of it', async () => {
    const stored = await hashSecret('Café au lait 42')
    expect(await verifySecret('Café au lait 42', stored)).toBe(true)
    expect(await verifySecret('Cafe\u0301 au lait 42', stored)).toBe(true)
    expect(await verifySecret('café au lait 42', stored)).toBe(false)
    expect(await verifySecret('', stored)).toBe(false)
  })

  it('never match when there is no hash or it is not one of ours (after the same work)', async () => {
    expect(await verifySecret('anything', null)).toBe(false)
    for (const bad of ['', 'plain text', 'scrypt$1$8$1$c2FsdA==$aGFzaA==', 'scrypt$16384$8$1$$', 'bcrypt$12$abc', `scrypt$${2 ** 24}$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==`]) {
      expect(await verifySecret('anything', bad), bad).toBe(false)
    }
  })

  it('does not hold the main thread while hashing (scrypt runs on the thread pool)', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    await Promise.all([hashSecret('one long password'), hashSecret('two long passwords')])
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(0)
  })
})

describe('the desk session', () => {
  it('locks after the set minutes without use, counting only real use', () => {
    let now = 0
    const session = new DeskSession({ id: 1, name: 'Ada', role: 'admin' }, () => now)
    now = 9 * 60_000
    session.noteCall(10)
    now = 18 * 60_000
    session.noteCall(10, false)
    expect(session.locked).toBe(false)
    now = 19 * 60_000 + 1
    session.noteCall(10, false)
    expect(session.locked).toBe(true)
    session.unlock()
    now += 100 * 60_000
    session.noteCall(0)
    expect(session.locked).toBe(false)
    session.signOut()
    expect(session.person).toBeNull()
  })
})
