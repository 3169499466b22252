import { z } from 'zod'
import { byId, type CustomerFilter, customerFilter, freeText, id, isoDate, nameText, noInput, text } from './common'
import type { MoneyTotals } from './bookings'

/* ── Notes, tags, groups, saved filters, bulk actions, recycle bin ── */

export const noteInput = z.strictObject({
  body: freeText(5000).min(1, { error: 'Write the note first.' }),
  pinned: z.boolean().default(false),
  /** Optional reminder day (YYYY-MM-DD). */
  reminderOn: isoDate.nullable().default(null),
})

export const addNoteInput = noteInput.extend({ customerId: id })
/** `version`: the note's version as the desk loaded it; edited meanwhile on another desk, the save is refused (CONFLICT with `changedMeanwhile`). */
export const updateNoteInput = noteInput.extend({ id, version: z.number().int().positive().optional() })
export const noteIdInput = z.strictObject({ id })
export const listNotesInput = z.strictObject({ customerId: id })
export const reorderNotesInput = z.strictObject({
  customerId: id,
  /** Every note of the customer, in the new order. */
  orderedIds: z.array(id).min(1).max(10_000),
})
export const remindersInput = z.strictObject({
  /** Reminders due on or before this day (default: today). */
  dueOn: isoDate.optional(),
})

export interface Note {
  id: number
  customerId: number
  body: string
  pinned: boolean
  position: number
  reminderOn: string | null
  /** 'staff' for notes written here, else the system they were imported from. */
  source: string
  authorName: string
  createdAt: string
  updatedAt: string
  /** Raised by every change of the note, on any desk. */
  version: number
}

export interface DueReminder extends Note {
  customerNumber: string
  customerName: string
}

/** Exported files list a customer's tags and lists in one cell, "; " between them: a name with a semicolon would come back as two. */
const noListSeparator = (what: string) => [(name: string) => !name.includes(';'), { error: `A ${what} name cannot contain “;”: it separates ${what}s in exported and imported files.` }] as const
export const tagName = nameText(60)
  .min(1, { error: 'Give the tag a name.' })
  .refine(...noListSeparator('tag'))
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { error: 'Use a colour like #2E7D32.' })
  .nullable()
  .default(null)

/** Matched against tag names as stored (folded), so joiners inside Persian or Indic tag names are kept. */
export const suggestTagsInput = z.strictObject({ query: text(60).default(''), limit: z.number().int().min(1).max(50).default(10) })
export const createTagInput = z.strictObject({ name: tagName, color })
export const updateTagInput = z.strictObject({ id, name: tagName, color })
export const mergeTagsInput = z.strictObject({ sourceId: id, targetId: id })
export const tagIdInput = z.strictObject({ id })
export const customerTagInput = z.strictObject({ customerId: id, name: tagName })
export const customerTagRemoveInput = z.strictObject({ customerId: id, tagId: id })

export interface TagUsage {
  id: number
  name: string
  color: string | null
  customers: number
}

export const groupName = nameText(100)
  .min(1, { error: 'Give the group a name.' })
  .refine(...noListSeparator('list'))
export const createGroupInput = z.strictObject({ name: groupName, description: freeText(500).default('') })
export const updateGroupInput = z.strictObject({ id, name: groupName, description: freeText(500).default('') })
export const groupIdInput = z.strictObject({ id })
export const customerGroupInput = z.strictObject({ customerId: id, groupId: id })

export interface GroupUsage {
  id: number
  name: string
  description: string
  customers: number
}

export const saveFilterInput = z.strictObject({ name: nameText(80).min(1, { error: 'Name the filter.' }), filter: customerFilter })
export const savedFilterIdInput = z.strictObject({ id })

export interface SavedFilter {
  id: number
  name: string
  filter: CustomerFilter
}

export const bulkActions = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tag'), tagName }),
  z.strictObject({ kind: z.literal('untag'), tagId: id }),
  z.strictObject({ kind: z.literal('addToGroup'), groupId: id }),
  z.strictObject({ kind: z.literal('removeFromGroup'), groupId: id }),
  z.strictObject({ kind: z.literal('archive') }),
  /** A pending brochure request for each customer; those already waiting for one are skipped. */
  z.strictObject({ kind: z.literal('requestBrochure') }),
])
export type BulkAction = z.output<typeof bulkActions>

/**
 * Either the ids ticked on screen, or "every customer matching this filter in
 * this tab" with the count the receptionist saw: if the data changed since,
 * nothing is done and the new count is reported.
 */
export const bulkInput = z.strictObject({
  selection: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ids'), ids: z.array(id).min(1).max(100_000) }),
    z.strictObject({
      kind: z.literal('filter'),
      tab: z.enum(['active', 'archived', 'blocked']),
      filter: customerFilter,
      expectedCount: z.number().int().min(1).max(100_000_000),
    }),
  ]),
  action: bulkActions,
})

export type BulkSelection = z.input<typeof bulkInput>['selection']

export interface BulkResult {
  /** Customers the action applied to (equals the selection). */
  selected: number
  /** Of those, how many actually changed (e.g. already tagged ones do not). */
  changed: number
}

/** Sent by main while a bulk action runs. */
export interface BulkProgress {
  done: number
  total: number
}

export interface RecycledCustomer {
  id: number
  number: string
  displayName: string
  email: string
  deletedAt: string
  deletedBy: string
  /** When it will be removed for good. */
  purgeOn: string
}

/** What removing customers for good from the bin did (a job's result). */
export interface RecyclePurgeResult {
  purged: number
  /** Whether the write-ahead log could be emptied of the removed values at once. */
  checkpointed: boolean
}

export const customerSummaryInput = z.strictObject({ id })

export interface CustomerSummary {
  createdAt: string
  /** Bookings (not appointments) that are not cancelled. */
  bookings: number
  /** Appointment bookings that are not cancelled. */
  appointments: number
  /** One entry per currency, the business's currency first (always present). */
  money: MoneyTotals[]
  /** The first five notes, pinned first. */
  notes: Note[]
  dueReminders: number
}

/** The channels answered by organising customers: notes, tags, customer lists, saved filters, bulk changes and the recycle bin, each with the input it takes. */
export const organiseInputs = {
  'tags:list': noInput,
  'groups:list': noInput,
  'customers:summary': customerSummaryInput,
  'notes:list': listNotesInput,
  'notes:add': addNoteInput,
  'notes:update': updateNoteInput,
  'notes:delete': noteIdInput,
  'notes:reorder': reorderNotesInput,
  'notes:reminders': remindersInput,
  'tags:suggest': suggestTagsInput,
  'tags:usage': noInput,
  'tags:create': createTagInput,
  'tags:update': updateTagInput,
  'tags:merge': mergeTagsInput,
  'tags:delete': tagIdInput,
  'customers:addTag': customerTagInput,
  'customers:removeTag': customerTagRemoveInput,
  'groups:usage': noInput,
  'groups:create': createGroupInput,
  'groups:update': updateGroupInput,
  'groups:delete': groupIdInput,
  'customers:addToGroup': customerGroupInput,
  'customers:removeFromGroup': customerGroupInput,
  'savedFilters:list': noInput,
  'savedFilters:save': saveFilterInput,
  'savedFilters:delete': savedFilterIdInput,
  'customers:bulk': bulkInput,
  'customers:delete': byId,
  'recycleBin:list': noInput,
  'recycleBin:restore': byId,
  'recycleBin:purge': byId,
}
