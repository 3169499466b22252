import type { BulkAction, BulkResult } from '../../../../preload/contract'
import { customersText } from './filter-text'

/** The bulk actions that need a tag or group picked first. */
export type PickAction = 'tag' | 'untag' | 'addToGroup' | 'removeFromGroup'

/** "Tagged 10,000 customers (9,870 newly)" when it is done. */
export function bulkDoneText(action: BulkAction, name: string, result: BulkResult): string {
  const who = customersText(result.selected)
  const partly = result.changed !== result.selected
  switch (action.kind) {
    case 'tag':
      return `Tagged ${who} “${name}”${partly ? ` (${result.changed.toLocaleString()} newly)` : ''}`
    case 'untag':
      return `Removed “${name}” from ${customersText(result.changed)}${partly ? ` of the ${result.selected.toLocaleString()} selected` : ''}`
    case 'addToGroup':
      return `Added ${who} to “${name}”${partly ? ` (${result.changed.toLocaleString()} newly)` : ''}`
    case 'removeFromGroup':
      return `Removed ${customersText(result.changed)} from “${name}”${partly ? ` (of the ${result.selected.toLocaleString()} selected)` : ''}`
    case 'archive':
      return partly ? `Archived ${result.changed.toLocaleString()} of ${who} (the others were not active)` : `Archived ${who}`
    case 'requestBrochure': {
      const waiting = result.selected - result.changed
      if (result.changed === 0) {
        return result.selected === 1 ? 'Nothing new: this customer already has a brochure waiting' : `Nothing new: all ${who} already have a brochure waiting`
      }
      const skipped = waiting ? ` (${waiting.toLocaleString()} already had one waiting)` : ''
      return `Brochure requested for ${customersText(result.changed)}${skipped}`
    }
  }
}
