import { type ChainBreak, type ChainCheck } from '../../../db/changeChain'
import { verifyChangeChainOf } from '../../../db/changeChainCheck'
import type { ChangeLogCheck } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NO_PROGRESS, type Progress } from '../progress'

/**
 * Walks the whole change log and says whether any entry has been edited,
 * removed or slipped in since it was written (by a tool other than Frontdesk).
 * Read-only; run as a job on large files.
 */
export async function checkChangeLog(ctx: ServiceContext, progress: Progress = NO_PROGRESS): Promise<ChangeLogCheck> {
  const check = await verifyChangeChainOf(ctx.db, (done, total) => {
    progress.checkCancelled()
    progress.report(done, total, 'Change-log entries checked')
  })
  return { ...check, message: describeChainCheck(check) }
}

const n = (x: number) => x.toLocaleString('en-GB')

/** The outcome of a chain check as a sentence: where the first break is and what happened there. */
export function describeChainCheck(check: ChainCheck): string {
  const broken = check.firstBreak
  if (!broken) return `The change log is intact: all ${n(check.entries)} entries are as they were written.`
  return `The change log has been tampered with outside Frontdesk: ${describeBreak(broken)} Entries after it cannot be trusted either.`
}

function describeBreak(b: ChainBreak): string {
  const when = b.at ? ` (made ${b.at.slice(0, 16).replace('T', ' ')} UTC)` : ''
  if (b.kind === 'edited') return `entry ${n(b.id)}${when} was changed after it was written.`
  if (b.kind === 'inserted') return `entry ${n(b.id)}${when} was added without Frontdesk.`
  const one = b.missing?.from === b.missing?.to
  const missing = b.missing ? (one ? `entry ${n(b.missing.from)}` : `entries ${n(b.missing.from)} to ${n(b.missing.to)}`) : 'entries'
  const where = b.missing && b.missing.from > b.id ? `after entry ${n(b.id)}${when}` : `just before entry ${n(b.id)}${when}`
  return `${missing}, ${where}, ${one ? 'was' : 'were'} removed.`
}
