import type { z } from 'zod'
import type { markPostedInput, MarkPostedResult } from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import { localDay } from '../calendarDay'
import type { ServiceContext } from '../context'
import { ValidationFailed } from '../errors'
import { formatDay } from './days'
import { resolveRequestSelection } from './worklist'

/**
 * Marks the chosen pending requests (or every one matching the filter) as
 * posted on a day that is not in the future, all in one transaction: every
 * request is marked, each with its change log entry, or none is.
 */
export async function markPosted(ctx: ServiceContext, input: z.output<typeof markPostedInput>): Promise<MarkPostedResult> {
  if (input.postedOn > localDay(ctx.clock())) throw ValidationFailed.field('postedOn', 'The posting date cannot be in the future.')
  return ctx.db.transaction(async (trx) => {
    const ids = await resolveRequestSelection(trx, input.selection, 'pending')
    const now = ctx.clock().toISOString()
    const changes = JSON.stringify([{ field: 'Brochure', before: 'Requested', after: `Posted ${input.postedOn}` }])
    const summary = `Brochure posted on ${formatDay(input.postedOn)}`
    for (const chunk of chunks(ids)) {
      // Only still-pending rows change; the selection check above makes that every one of them.
      const updated = (await trx('brochure_requests')
        .whereIn('id', chunk)
        .andWhere({ status: 'pending' })
        .update({ status: 'posted', posted_on: input.postedOn, posted_by_name: ctx.staff.name, updated_at: now })
        .returning(['id', 'customer_id'])) as Array<{ id: number; customer_id: number }>
      for (const part of chunks(updated, 90)) {
        await trx('change_log').insert(
          part.map((r) => ({
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
      }
    }
    return { posted: ids.length }
  })
}
