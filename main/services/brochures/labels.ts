import type { z } from 'zod'
import type { BrochurePrintout, printLabelsInput } from '../../../preload/contract'
import { newPrintDocument } from '../../pdf/document'
import { labelCell, labelSheets, labelsPerSheet } from '../../pdf/labels'
import { letterAddressLines } from '../../pdf/address'
import { keepPrintout } from '../../pdf/printouts'
import { getSettings } from '../app'
import { localDay } from '../calendarDay'
import type { ServiceContext } from '../context'
import { ValidationFailed } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { drawAddressBlock } from './letterLayout'
import { nobodyMessage } from './letters'
import { describeRecipients, printable, printRequestIds, recipientsOf } from './recipients'

export type PrintLabelsJob = z.output<typeof printLabelsInput> & { dir: string }

/** Labels may go smaller than a letter's address: a foreign address on a 1-inch label. */
const LABEL_SIZES = [10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5]

/**
 * Address labels for the chosen requests, one per customer, row by row on the
 * chosen sheet, starting at the first free label of a partly used sheet.
 */
export async function makeLabels(ctx: ServiceContext, input: PrintLabelsJob, progress: Progress = NO_PROGRESS): Promise<BrochurePrintout> {
  const sheet = labelSheets[input.sheet]
  if (input.start > labelsPerSheet(sheet)) throw ValidationFailed.field('start', `This sheet has ${labelsPerSheet(sheet)} labels: start at one of them.`)
  const ids = await printRequestIds(ctx.db, input.selection)
  const recipients = await recipientsOf(ctx.db, ids)
  const check = describeRecipients(ids.length, recipients)
  const chosen = printable(recipients, input.skipFlagged)
  if (!chosen.length) throw ValidationFailed.field('selection', nobodyMessage(check))
  const homeCountry = (await getSettings(ctx)).defaultCountry
  const doc = newPrintDocument({ paper: sheet.paper })
  let page = 0
  progress.report(0, chosen.length, 'Labels')
  chosen.forEach((r, i) => {
    if (i % 100 === 0) {
      progress.checkCancelled()
      progress.report(i, chosen.length, 'Labels')
    }
    const cell = labelCell(sheet, i, input.start)
    while (page < cell.page) {
      doc.pdf.addPage(sheet.paper, 'portrait')
      page++
    }
    const lines = letterAddressLines({ displayName: r.displayName, company: r.company }, r.address!, homeCountry)
    const box = { x: cell.x + sheet.padding, y: cell.y + sheet.padding, width: sheet.labelWidth - 2 * sheet.padding, height: sheet.labelHeight - 2 * sheet.padding }
    drawAddressBlock(doc, lines, box, LABEL_SIZES, true)
  })
  progress.report(chosen.length, chosen.length, 'Saving the PDF')
  const printout = await keepPrintout(input.dir, doc.output(), {
    fileName: `Address labels ${localDay(ctx.clock())}`,
    pages: doc.pageCount(),
    unprintable: doc.unprintable(),
  })
  return { ...printout, printed: chosen.length, cannotPost: check.cannotPost, leftOut: input.skipFlagged ? check.flagged : [] }
}
