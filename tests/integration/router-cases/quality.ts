import type { RouterCase } from './types'

/** The data-quality queue: a category from the list, keyset paging by customer number, a check with no input. */
export const qualityCases: Record<string, RouterCase> = {
  'quality:counts': { valid: undefined, invalid: [{ category: 'missingEmail' }] },
  'quality:page': {
    valid: { category: 'missingEmail', pageSize: 20 },
    invalid: [{}, { category: 'spelling' }, { category: 'inactive', after: 0 }, { category: 'inactive', pageSize: 500 }, { category: 'duplicate', after: '5' }, { category: 'duplicate', sort: 'name' }],
  },
  'quality:scan': { valid: undefined, invalid: [{ full: true }] },
}
