import type { ImportLayout, ImportMatchMode, ImportUndoResult } from '../../../../preload/contract'
import { formatCount } from '../../services/format'

/** Wording shared by the import wizard and Settings → Imports. */

/** What happens to a customer the file names who is already in Frontdesk. */
export const matchModeOptions: Array<{ value: ImportMatchMode; title: string; detail: string }> = [
  { value: 'fill', title: 'Update: fill in their empty fields', detail: 'What the desk has already entered is kept.' },
  { value: 'overwrite', title: "Update: replace with the file's values", detail: 'Empty cells in the file leave a field as it is.' },
  { value: 'skip', title: 'Leave them as they are', detail: 'Only people not yet in Frontdesk are added.' },
  { value: 'create', title: 'Always add a new customer', detail: 'Never one with an email another customer already has.' },
]

export const matchModeShort: Record<ImportMatchMode, string> = {
  fill: 'Filled in empty fields',
  overwrite: "Replaced with the file's values",
  skip: 'Left existing customers as they were',
  create: 'Always added new customers',
}

/** What the wizard says after the layout's name (a guess by the headings says so itself). */
export function layoutDetail(layout: ImportLayout): string {
  switch (layout) {
    case 'guessed':
      return ''
    case 'remembered':
      return 'Check the columns below.'
    case 'vcard':
      return 'Each contact card becomes one customer.'
    default:
      return 'Recognised: its columns are matched for you. Check them below.'
  }
}

export function count(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** "Removed 12 customers it added and put back the earlier details of 3." */
export function undoResultText(result: ImportUndoResult): string {
  const parts: string[] = []
  if (result.removed > 0) parts.push(`removed ${count(result.removed, 'customer', 'customers')} it added`)
  if (result.restored > 0) parts.push(`put back the earlier details of ${count(result.restored, 'customer', 'customers')}`)
  let text = parts.length > 0 ? `Import undone: ${parts.join(' and ')}.` : 'Import undone: it had neither added nor changed anyone.'
  if (result.keptLaterEdits > 0) {
    text += ` ${count(result.keptLaterEdits, 'field', 'fields')} changed by someone since the import ${result.keptLaterEdits === 1 ? 'was' : 'were'} left as ${result.keptLaterEdits === 1 ? 'it is' : 'they are'}.`
  }
  return text
}

/** The confirm dialog's words before an import is undone. */
export function undoConfirmText(created: number, updated: number): string {
  const removed = created > 0 ? `The ${count(created, 'customer', 'customers')} it added ${created === 1 ? 'is' : 'are'} removed` : 'Nobody was added by it'
  const restored = updated > 0 ? `the ${count(updated, 'customer', 'customers')} it updated get back the details they had before` : 'nobody it found was changed'
  return `${removed}, and ${restored}. Changes made since by the desk are kept.`
}
