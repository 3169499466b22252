import { afterEach, describe, expect, it } from 'vitest'
import type { Result } from '../../preload/contract'
import { ApiFailure, guardSession, invoke, type SessionLoss } from '../../renderer/src/services/api'

/*
 * The renderer's one door to main: a call refused because no one is signed
 * in, or the desk is locked, waits for the person to be back and is sent
 * again; every other answer passes straight through.
 */

type Answer = Result<unknown>

function fakeBridge(answers: Answer[]) {
  const calls: string[] = []
  ;(globalThis as unknown as { window: unknown }).window = {
    api: {
      invoke: async (channel: string) => {
        calls.push(channel)
        return answers.shift() ?? { ok: false, error: { code: 'INTERNAL', message: 'no more answers' } }
      },
      on: () => () => {},
    },
  }
  return calls
}

afterEach(() => {
  delete (globalThis as unknown as { window?: unknown }).window
})

describe('invoke and the session guard', () => {
  it('holds a call refused as LOCKED until the desk is unlocked, then sends it again', async () => {
    const calls = fakeBridge([{ ok: false, error: { code: 'LOCKED', message: 'The desk is locked.' } }, { ok: true, data: { active: 3 } }])
    const losses: SessionLoss[] = []
    let unlock = () => {}
    guardSession((loss) => {
      losses.push(loss)
      return new Promise<void>((resolve) => (unlock = resolve))
    })
    let settled = false
    const pending = invoke('customers:counts', {}).then((data) => {
      settled = true
      return data
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(losses).toEqual(['locked'])
    expect(settled).toBe(false)
    unlock()
    await expect(pending).resolves.toEqual({ active: 3 })
    expect(calls).toEqual(['customers:counts', 'customers:counts'])
  })

  it('asks for a sign-in when SIGNED_OUT', async () => {
    fakeBridge([{ ok: false, error: { code: 'SIGNED_OUT', message: 'No one is signed in.' } }, { ok: true, data: [] }])
    const losses: SessionLoss[] = []
    guardSession(async (loss) => void losses.push(loss))
    await expect(invoke('tags:list', undefined)).resolves.toEqual([])
    expect(losses).toEqual(['signedOut'])
  })

  it('lets the sign-in and unlock calls answer for themselves', async () => {
    const calls = fakeBridge([{ ok: false, error: { code: 'LOCKED', message: 'The desk is locked.' } }])
    const losses: SessionLoss[] = []
    guardSession(async (loss) => void losses.push(loss))
    await expect(invoke('staff:unlock', { pin: '1234' })).rejects.toBeInstanceOf(ApiFailure)
    expect(losses).toEqual([])
    expect(calls).toEqual(['staff:unlock'])
  })

  it('passes every other refusal straight to the caller', async () => {
    fakeBridge([{ ok: false, error: { code: 'FORBIDDEN', message: 'Only an administrator can delete customers.' } }])
    guardSession(async () => {
      throw new Error('not asked')
    })
    const failure = await invoke('customers:delete', { ids: [1] } as never).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiFailure)
    expect((failure as ApiFailure).code).toBe('FORBIDDEN')
  })
})
