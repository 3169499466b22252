import type { z } from 'zod'
import type { markPostedInput, MarkPostedResult } from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import { localDay } from '../calendarDay'
import { appendChanges } from '../changeLog'
import type { ServiceContext } from '../context'
import { ValidationFailed } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { formatDay } from './days'
import { resolveRequestSelection } from './worklist'

type MarkPostedInput = z.output<typeof markPostedInput>

function assertNotFuture(ctx: ServiceContext, postedOn: string): void {
  if (postedOn > localDay(ctx.clock())) throw ValidationFailed.field('postedOn', 'The posting date cannot be in the future.')
}

/**
 * The checks "Mark as posted" makes before its job starts, so a refusal is
 * read at once: the day is not in the future, the chosen requests are still
 * pending (or "all matching" still matches). The job checks again as it writes.
 */
export async function checkMarkPosted(ctx: ServiceContext, input: MarkPostedInput): Promise<{ label: string; total: number }> {
  assertNotFuture(ctx, input.postedOn)
  const total = (await resolveRequestSelection(ctx.db, input.selection, 'pending')).length
  return { label: `Marking ${total.toLocaleString('en-GB')} brochure request${total === 1 ? '' : 's'} as posted`, total }
}

/**
 * Marks the chosen pending requests (or every one matching the filter) as
 * posted on a day that is not in the future, all in one transaction: every
 * request is marked, each with its change log entry, or none is (Cancel
 * included). Runs as a job: a large mailing is thousands of rows.
 */
export async function markPosted(ctx: ServiceContext, input: MarkPostedInput, progress: Progress = NO_PROGRESS): Promise<MarkPostedResult> {
  assertNotFuture(ctx, input.postedOn)
  return ctx.db.transaction(async (trx) => {
    const ids = await resolveRequestSelection(trx, input.selection, 'pending')
    const now = ctx.clock().toISOString()
    const changes = JSON.stringify([{ field: 'Brochure', before: 'Requested', after: `Posted ${input.postedOn}` }])
    const summary = `Brochure posted on ${formatDay(input.postedOn)}`
    let done = 0
    progress.report(0, ids.length)
    for (const chunk of chunks(ids)) {
      progress.checkCancelled()
      // Only still-pending rows change; the selection check above makes that every one of them.
      const updated = (await trx('brochure_requests')
        .whereIn('id', chunk)
        .andWhere({ status: 'pending' })
        .update({ status: 'posted', posted_on: input.postedOn, posted_by_name: ctx.staff.name, updated_at: now })
        .returning(['id', 'customer_id'])) as Array<{ id: number; customer_id: number }>
      await appendChanges(
        trx,
        updated.map((r) => ({
          at: now,
          staff_id: ctx.staff.id,
          staff_name: ctx.staff.name,
          entity_type: 'brochureRequest',
          entity_id: r.id,
          customer_id: r.customer_id,
          action: 'brochure.posted',
          summary,
          changes,
        })),
      )
      done += chunk.length
      progress.report(done, ids.length)
    }
    progress.checkCancelled()
    return { posted: ids.length }
  })
}
