import type { Knex } from 'knex'
import type { z } from 'zod'
import type { addNoteInput, DueReminder, FieldChange, Note, updateNoteInput } from '../../../preload/contract'
import { formatCustomerNumber } from '../customers/normalize'
import { loadCustomer } from '../customers/records'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { loadWritableCustomer } from '../customers'
import { forLog } from '../changeLog'
import { localDay } from '../calendarDay'

interface NoteRow {
  id: number
  customer_id: number
  body: string
  pinned: number | boolean
  position: number
  reminder_at: string | null
  source: string
  author_name: string
  created_at: string
  updated_at: string
  version: number
}

/** Due reminders are listed up to this many, oldest first: the desk works through them from the top. */
const REMINDER_LIMIT = 500

function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    customerId: row.customer_id,
    body: row.body,
    pinned: Boolean(row.pinned),
    position: row.position,
    reminderOn: row.reminder_at,
    source: row.source,
    authorName: row.author_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  }
}

/** A customer's notes as the profile shows them: pinned first, then in the order staff arranged. */
export async function notesOf(db: Knex, customerId: number, limit?: number): Promise<Note[]> {
  const query = db('notes').where({ customer_id: customerId }).orderBy('pinned', 'desc').orderBy('position').orderBy('id')
  if (limit !== undefined) query.limit(limit)
  return ((await query) as NoteRow[]).map(toNote)
}

async function loadNote(db: Knex, id: number): Promise<NoteRow> {
  const row = (await db('notes').where({ id }).first()) as NoteRow | undefined
  if (!row) throw new NotFound('This note no longer exists; it may have been deleted at another desk.')
  return row
}

function describe(note: { body: string; pinned: boolean; reminderOn: string | null }): Record<string, string> {
  return { body: forLog(note.body), pinned: note.pinned ? 'Pinned' : '', reminderOn: note.reminderOn ?? '' }
}

const NOTE_LABELS = { body: 'Note', pinned: 'Pinned', reminderOn: 'Reminder' } as const

function noteChanges(before: Record<string, string>, after: Record<string, string>): FieldChange[] {
  return (Object.keys(NOTE_LABELS) as Array<keyof typeof NOTE_LABELS>)
    .filter((key) => (before[key] ?? '') !== (after[key] ?? ''))
    .map((key) => ({ field: NOTE_LABELS[key], before: before[key] || null, after: after[key] || null }))
}

export async function listNotes(ctx: ServiceContext, customerId: number): Promise<Note[]> {
  await loadCustomer(ctx.db, customerId)
  return notesOf(ctx.db, customerId)
}

/** Adds a note at the top of the customer's (unpinned or pinned) notes. */
export async function addNote(ctx: ServiceContext, input: z.output<typeof addNoteInput>): Promise<Note[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, input.customerId)
    const now = ctx.clock().toISOString()
    const top = (await trx('notes').where({ customer_id: input.customerId }).min({ position: 'position' }).first()) as
      | { position: number | null }
      | undefined
    const [inserted] = (await trx('notes')
      .insert({
        customer_id: input.customerId,
        body: input.body,
        pinned: input.pinned,
        position: (top?.position ?? 1) - 1,
        reminder_at: input.reminderOn,
        source: 'staff',
        author_staff_id: ctx.staff.id,
        author_name: ctx.staff.name,
        created_at: now,
        updated_at: now,
      })
      .returning('id')) as Array<{ id: number }>
    await recordChange(trx, ctx, {
      customerId: input.customerId,
      entityType: 'note',
      entityId: inserted!.id,
      action: 'note.added',
      summary: `Added a note${input.pinned ? ' (pinned)' : ''}${input.reminderOn ? ` with a reminder on ${input.reminderOn}` : ''}`,
      changes: noteChanges({}, describe(input)),
    })
    return notesOf(trx, input.customerId)
  })
}

/** Edits a note; a change of the pin alone is logged as pinning. */
export async function updateNote(ctx: ServiceContext, input: z.output<typeof updateNoteInput>): Promise<Note[]> {
  return ctx.db.transaction(async (trx) => {
    const row = await loadNote(trx, input.id)
    await loadWritableCustomer(trx, row.customer_id)
    const before = toNote(row)
    if (input.version !== undefined && input.version !== before.version) await refuseEditedMeanwhile(trx, before, input)
    const changes = noteChanges(describe(before), describe(input))
    const bodyChanged = before.body !== input.body
    if (!changes.length && !bodyChanged) return notesOf(trx, row.customer_id)
    await trx('notes')
      .where({ id: input.id })
      .update({ body: input.body, pinned: input.pinned, reminder_at: input.reminderOn, updated_at: ctx.clock().toISOString(), version: trx.raw('version + 1') })
    const pinOnly = changes.length === 1 && changes[0]!.field === NOTE_LABELS.pinned
    await recordChange(trx, ctx, {
      customerId: row.customer_id,
      entityType: 'note',
      entityId: row.id,
      action: pinOnly ? 'note.pinned' : 'note.edited',
      summary: pinOnly ? (input.pinned ? 'Pinned a note' : 'Unpinned a note') : 'Edited a note',
      // A change beyond the first 200 characters still shows as an edit of the note.
      changes: changes.length ? changes : [{ field: NOTE_LABELS.body, before: forLog(before.body), after: forLog(input.body) }],
    })
    return notesOf(trx, row.customer_id)
  })
}

/**
 * Refuses an edit made from an older copy of the note: another desk changed it
 * meanwhile. Says what differs now, field by field, with who last edited the note and when.
 */
async function refuseEditedMeanwhile(trx: Knex, current: Note, input: { body: string; pinned: boolean; reminderOn: string | null }): Promise<never> {
  const last = (await trx('change_log').where({ entity_type: 'note', entity_id: current.id }).orderBy('id', 'desc').first('staff_name', 'at')) as
    | { staff_name: string; at: string }
    | undefined
  const theirs: Record<string, string> = { body: current.body, pinned: current.pinned ? 'Pinned' : '', reminderOn: current.reminderOn ?? '' }
  const yours: Record<string, string> = { body: input.body, pinned: input.pinned ? 'Pinned' : '', reminderOn: input.reminderOn ?? '' }
  const fields = (Object.keys(NOTE_LABELS) as Array<keyof typeof NOTE_LABELS>)
    .filter((key) => theirs[key] !== yours[key])
    .map((key) => ({ key, field: NOTE_LABELS[key], theirs: theirs[key]!, yours: yours[key]!, by: last?.staff_name ?? null, at: last?.at ?? null }))
  throw new Conflict(`This note was changed${last ? ` by ${last.staff_name}` : ''} on another desk since you started editing it. Choose what to keep, then save again.`, {
    changedMeanwhile: { version: current.version, current, fields },
  })
}

export async function deleteNote(ctx: ServiceContext, id: number): Promise<Note[]> {
  return ctx.db.transaction(async (trx) => {
    const row = await loadNote(trx, id)
    await loadWritableCustomer(trx, row.customer_id)
    await trx('notes').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: row.customer_id,
      entityType: 'note',
      entityId: id,
      action: 'note.deleted',
      summary: 'Deleted a note',
      changes: noteChanges(describe(toNote(row)), {}),
    })
    return notesOf(trx, row.customer_id)
  })
}

/**
 * Saves the order staff dragged the notes into. The list must name every note
 * of the customer exactly once: otherwise someone changed the notes meanwhile.
 */
export async function reorderNotes(ctx: ServiceContext, customerId: number, orderedIds: number[]): Promise<Note[]> {
  return ctx.db.transaction(async (trx) => {
    await loadWritableCustomer(trx, customerId)
    const current = await notesOf(trx, customerId)
    const currentIds = new Set(current.map((n) => n.id))
    const sameSet = orderedIds.length === currentIds.size && new Set(orderedIds).size === orderedIds.length && orderedIds.every((id) => currentIds.has(id))
    if (!sameSet) {
      throw ValidationFailed.field('orderedIds', 'The notes were changed meanwhile (perhaps at another desk). Reload them and arrange again.')
    }
    const unchanged = orderedIds.every((id, index) => current[index]?.id === id)
    if (unchanged) return current
    for (const [position, id] of orderedIds.entries()) {
      await trx('notes').where({ id }).update({ position })
    }
    await recordChange(trx, ctx, {
      customerId,
      entityType: 'note',
      entityId: orderedIds[0]!,
      action: 'note.reordered',
      summary: 'Rearranged the notes',
      changes: [
        {
          field: 'Order',
          before: current.map((n) => forLog(n.body, 30)).join(' | '),
          after: orderedIds.map((id) => forLog(current.find((n) => n.id === id)!.body, 30)).join(' | '),
        },
      ],
    })
    return notesOf(trx, customerId)
  })
}

/** Notes whose reminder day has come (default: today), oldest first, for customers not in the recycle bin. */
export async function dueReminders(ctx: ServiceContext, dueOn: string | undefined): Promise<DueReminder[]> {
  const day = dueOn ?? localDay(ctx.clock())
  const rows = (await ctx.db('notes as n')
    .join('customers as c', 'c.id', 'n.customer_id')
    .whereNotNull('n.reminder_at')
    .where('n.reminder_at', '<=', day)
    .whereNot('c.status', 'deleted')
    .orderBy('n.reminder_at')
    .orderBy('n.id')
    .limit(REMINDER_LIMIT)
    .select('n.*', 'c.display_name as customer_name')) as Array<NoteRow & { customer_name: string }>
  return rows.map((row) => ({ ...toNote(row), customerNumber: formatCustomerNumber(row.customer_id), customerName: row.customer_name }))
}

/** How many of one customer's reminders are due on that day. */
export async function countDueReminders(db: Knex, customerId: number, day: string): Promise<number> {
  const [row] = (await db('notes')
    .where({ customer_id: customerId })
    .whereNotNull('reminder_at')
    .where('reminder_at', '<=', day)
    .count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}
