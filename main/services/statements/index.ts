import type { MakeStatementInput, Printout } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { loadBusinessDetails } from '../../pdf/business'
import { keepPrintout } from '../../pdf/printouts'
import { statementData } from './account'
import { paperFor, renderStatement } from './render'

export { statementData, accountsOf, type StatementData, type StatementAccount, type StatementEntry } from './account'
export { renderStatement, formatBalance } from './render'

/** "Statement for Anna Nowak (C-000042), 1 Sep – 30 Nov 2026": what the desk sees while it is made. */
export function describeStatement(input: MakeStatementInput): string {
  return `Statement for customer C-${String(input.customerId).padStart(6, '0')}, ${input.from} to ${input.to}`
}

/** The statement's PDF, made from one snapshot of the data with the current letterhead. */
export async function statementPdf(ctx: ServiceContext, input: MakeStatementInput): Promise<{ bytes: Uint8Array; pages: number; unprintable: string[]; fileName: string }> {
  const [data, business, settings] = await Promise.all([statementData(ctx.db, input, ctx.clock()), loadBusinessDetails(ctx.db), getSettings(ctx)])
  const made = renderStatement(data, business, paperFor(settings.defaultCountry))
  return { ...made, fileName: `Statement ${data.customerNumber} ${data.customerName} ${data.from} to ${data.to}.pdf` }
}

/** Makes a customer's statement and keeps it in the session's printouts, ready to show, save, open or print. */
export async function makeStatement(ctx: ServiceContext, input: MakeStatementInput, printoutsDir: string): Promise<Printout> {
  const { bytes, pages, unprintable, fileName } = await statementPdf(ctx, input)
  return keepPrintout(printoutsDir, bytes, { fileName, pages, unprintable })
}
