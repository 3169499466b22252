import { z } from 'zod'
import { customerFilter, customerStatuses, id, noInput } from './common'

/**
 * Customers out to a spreadsheet: all of them, the list as filtered, or the
 * ticked ones. Main asks where to save (the renderer never names a path) and
 * writes in the background; the file appears under its name only when whole.
 */
export const exportFormats = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof exportFormats)[number]

export const exportScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('ids'), ids: z.array(id).min(1).max(100_000) }),
  z.strictObject({ kind: z.literal('filter'), tab: z.enum(customerStatuses), filter: customerFilter }),
])
export type ExportScope = z.output<typeof exportScope>

/** A column key: a record field (`email`), or a custom field (`custom:12`). */
const columnKey = z.string().regex(/^(?:[a-zA-Z][a-zA-Z0-9]*|custom:\d+)$/, { error: 'Unknown column.' }).max(40)

export const exportInput = z.strictObject({
  scope: exportScope,
  format: z.enum(exportFormats),
  columns: z.array(columnKey).min(1, { error: 'Choose at least one column.' }).max(300),
})
export type ExportInput = z.output<typeof exportInput>

export interface ExportColumn {
  key: string
  /** The header written in the file, e.g. "Mobile phone". */
  label: string
  group: 'Record' | 'Contact' | 'Address' | 'Organise' | 'Money' | 'Custom fields' | 'Notes'
  /** Ticked unless the person chooses otherwise. */
  defaultOn: boolean
  /** Only an administrator may export it (staff notes). */
  adminOnly: boolean
}

export interface ExportResult {
  /** The file's name (no folder), for "Saved customers.csv". */
  fileName: string
  rows: number
  bytes: number
}

export const exportsInputs = {
  'exports:columns': noInput,
  'exports:start': exportInput,
}
