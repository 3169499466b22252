import type { TestCore } from '../../helpers/core'
import type { Printout } from '../../../preload/contract'
import { prepared, type RouterCase } from './types'

/** A statement made for customer 1 gives the printout each channel takes. */
const printout = prepared(async (app: TestCore) => {
  const made = (await app.invoke('statements:make', { customerId: 1, from: '2026-01-01', to: '2026-01-31' })) as Printout
  return { id: made.id }
})
const invalid = [{}, { id: '' }, { id: '../../etc/passwd' }, { id: 'A'.repeat(24) }, { id: 'a'.repeat(24), path: '/tmp/x.pdf' }, 'a'.repeat(24)]

export const printoutCases: Record<string, RouterCase> = {
  'printouts:read': { valid: printout, invalid },
  'printouts:save': { valid: printout, invalid },
  'printouts:open': { valid: printout, invalid },
}
