import type { Printout } from '../../../preload/contract'
import type { statementsInputs } from '../../../preload/contract/schemas/statements'
import { describeStatement } from '../../services/statements'
import { readNow, type DomainHandlers, type HandlerOptions } from './domain'

/** A customer's statement: made in the read worker (the desk never waits on a PDF), kept as a printout to show, save, open or print. */
export function statementsHandlers({ reads, printoutsDir }: HandlerOptions): DomainHandlers<typeof statementsInputs> {
  return {
    'statements:make': async (ctx, input) =>
      (await readNow(reads, ctx, 'statement', { ...input, printoutsDir }, describeStatement(input))) as Printout,
  }
}
