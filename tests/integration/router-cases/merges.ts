import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** Two records of their own, so the shared fixtures' customers stay as they are for the cases after these. */
async function pair(app: TestCore, name: string): Promise<[number, number]> {
  const a = await app.invoke('customers:create', { firstName: name, lastName: 'Twin' })
  const b = await app.invoke('customers:create', { firstName: name, lastName: 'Twin', company: 'Twins Ltd' })
  return [a.id, b.id]
}

const mergeOf = async (app: TestCore): Promise<number> =>
  ((await app.db('merges').whereNull('undone_at').orderBy('id', 'desc').first('id')) as { id: number }).id

/** Merging records and undoing a merge. */
export const mergeCases: Record<string, RouterCase> = {
  'merges:preview': {
    valid: { customerIds: [1, 2], survivorId: 1 },
    invalid: [{}, { customerIds: [1], survivorId: 1 }, { customerIds: [1, 1], survivorId: 1 }, { customerIds: [1, 2, 3, 4], survivorId: 1 }, { customerIds: [1, 2], survivorId: 3 }],
  },
  'merges:merge': {
    valid: prepared(async (app) => {
      const [a, b] = await pair(app, 'Router')
      return { customerIds: [a, b], survivorId: a, choices: { company: b } }
    }),
    invalid: [
      { customerIds: [1, 2], survivorId: 1, choices: { shoeSize: 2 } },
      { customerIds: [1, 2], survivorId: 1, choices: { email: 7 } },
      { customerIds: [1, 2], survivorId: 5 },
      { customerIds: [1, 2], survivorId: 1, undo: true },
    ],
  },
  'merges:undo': {
    valid: prepared(async (app) => {
      // The merge above runs as a job: wait until it has written.
      for (const job of await app.invoke('jobs:list', {})) if (job.kind === 'merge') await app.jobs.whenFinished(job.id)
      return { mergeId: await mergeOf(app) }
    }),
    invalid: [{}, { mergeId: 0 }, { mergeId: '1' }],
  },
  'merges:forCustomer': { valid: { customerId: 1 }, invalid: [{}, { customerId: -1 }] },
}
