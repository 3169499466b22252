import type { ImportLayout, ImportMatchMode, ImportPreview, ImportUndoResult } from '../../../../preload/contract'
import { capitalise, formatCount } from '../../services/format'

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

/** What one entry of the file is called: a row of a spreadsheet, a contact of a vCard file. */
export function entryWords(format: ImportPreview['format']): { one: string; many: string } {
  return format === 'vcard' ? { one: 'contact', many: 'contacts' } : { one: 'row', many: 'rows' }
}

/** "Removed the 12 customers it added and put back the earlier details of 3." */
export function undoResultText(result: ImportUndoResult): string {
  const parts: string[] = []
  if (result.removed > 0) parts.push(`removed the ${count(result.removed, 'customer', 'customers')} it added`)
  if (result.restored > 0) parts.push(`put back the earlier details of ${count(result.restored, 'customer', 'customers')}`)
  let text = parts.length > 0 ? `${capitalise(parts.join(' and '))}.` : 'It had neither added nor changed anyone.'
  if (result.keptLaterEdits > 0) {
    const one = result.keptLaterEdits === 1
    text += ` ${count(result.keptLaterEdits, 'field', 'fields')} changed by the desk since ${one ? 'was' : 'were'} left as ${one ? 'it is' : 'they are'}.`
  }
  return text
}

/** The confirm dialog's words before an import is undone. */
export function undoConfirmText(fileName: string, created: number, updated: number): string {
  const parts: string[] = []
  if (created > 0) parts.push(`the ${count(created, 'customer', 'customers')} it added ${created === 1 ? 'is' : 'are'} removed`)
  if (updated > 0) parts.push(`the ${count(updated, 'customer', 'customers')} it updated get back the details they had before`)
  const what = parts.length > 0 ? capitalise(parts.join(', and ')) : 'It added and changed nobody, so nothing changes'
  return `${fileName}: ${what}. Changes made by the desk since the import are kept.`
}
