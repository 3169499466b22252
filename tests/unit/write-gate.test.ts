import { describe, expect, it } from 'vitest'
import { WriteGate } from '../../db/writeGate'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('the write gate, passed on by the job holding it', () => {
  it('lets the saves waiting for the job go first, then is the job’s again', async () => {
    const gate = new WriteGate()
    const releaseJob = await gate.enterJob()
    const order: string[] = []
    const save = (name: string) =>
      gate.enterTransaction().then(async (release) => {
        order.push(`${name} starts`)
        await tick()
        order.push(`${name} ends`)
        release()
      })
    const saves = [save('first save'), save('second save')]
    await tick()
    expect(gate.transactionsWaiting).toBe(2)
    await gate.passTurn()
    order.push('job writes again')
    // Both saves ran whole before the job had the gate back, and a save asked for now waits for it again.
    expect(order).toEqual(['first save starts', 'second save starts', 'first save ends', 'second save ends', 'job writes again'])
    await Promise.all(saves)
    const third = save('third save')
    await tick()
    expect(gate.transactionsWaiting).toBe(1)
    releaseJob()
    await third
    expect(order.at(-1)).toBe('third save ends')
  })

  it('keeps the gate when nobody waits', async () => {
    const gate = new WriteGate()
    await gate.enterJob()
    await gate.passTurn()
    expect(gate.busy).toBe(true)
    let entered = false
    void gate.enterTransaction().then(() => (entered = true))
    await tick()
    expect(entered).toBe(false)
  })
})
