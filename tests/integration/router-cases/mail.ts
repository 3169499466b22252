import type { RouterCase } from './types'

/** Email settings and templates. */
export const mailCases: Record<string, RouterCase> = {
  'mail:settings': { valid: undefined, invalid: [{ password: 'x' }] },
}
