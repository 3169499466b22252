import type { Knex } from 'knex'
import type { z } from 'zod'
import type { BrochurePrintout, letterPreviewInput, printLettersInput, PrintCheck } from '../../../preload/contract'
import { loadBusinessDetails, type BusinessDetails } from '../../pdf/business'
import { newPrintDocument } from '../../pdf/document'
import { envelopes } from '../../pdf/envelopes'
import { letterAddressLines } from '../../pdf/address'
import { keepPrintout } from '../../pdf/printouts'
import { chunks } from '../../../db/idChunks'
import { getSettings } from '../app'
import { localDay } from '../calendarDay'
import type { ServiceContext } from '../context'
import { NO_PROGRESS, type Progress } from '../progress'
import { ValidationFailed } from '../errors'
import { checkTemplateBody, customFieldKey, fillTemplate, type MergeData } from './mergeFields'
import { describeRecipients, printable, printRequestIds, recipientsById, recipientsOf, type Recipient } from './recipients'
import { getTemplate, knownFieldKeys } from './templates'
import { drawLetter } from './letterLayout'

/** The check before printing: how many letters, who cannot be posted to, who is flagged. */
export async function checkPrint(ctx: Pick<ServiceContext, 'db'>, selection: z.output<typeof printLettersInput>['selection']): Promise<PrintCheck> {
  const ids = await printRequestIds(ctx.db, selection)
  return describeRecipients(ids.length, await recipientsOf(ctx.db, ids))
}

/** "1 December 2026" (or "December 1, 2026" at a US desk) for a desk day. */
export function letterDate(day: string, homeCountry: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const at = new Date(Date.UTC(y, m - 1, d))
  let locale = 'en-GB'
  try {
    locale = Intl.DateTimeFormat.supportedLocalesOf([`en-${homeCountry}`])[0] ?? 'en-GB'
  } catch {
    // An odd country code: the British form.
  }
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at)
}

/** Custom field values as letters print them, by customer then merge key (without "custom."). */
async function customValues(db: Knex, customerIds: number[]): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>()
  for (const chunk of chunks(customerIds)) {
    const rows = (await db('customer_custom_values as v')
      .join('custom_field_definitions as d', 'd.id', 'v.field_id')
      .whereIn('v.customer_id', chunk)
      .select('v.customer_id', 'd.label', 'd.type', 'v.value')) as Array<{ customer_id: number; label: string; type: string; value: string }>
    for (const row of rows) {
      const values = out.get(row.customer_id) ?? {}
      values[customFieldKey(row.label).slice('custom.'.length)] = row.type === 'boolean' ? (row.value === 'true' ? 'Yes' : 'No') : row.value
      out.set(row.customer_id, values)
    }
  }
  return out
}

interface Letterhead {
  business: BusinessDetails
  homeCountry: string
  today: string
}

async function letterhead(ctx: Pick<ServiceContext, 'db' | 'clock'>): Promise<Letterhead> {
  const [business, settings] = await Promise.all([loadBusinessDetails(ctx.db), getSettings(ctx)])
  return { business, homeCountry: settings.defaultCountry, today: letterDate(localDay(ctx.clock()), settings.defaultCountry) }
}

function mergeData(r: Recipient, head: Letterhead, custom: Record<string, string>): MergeData {
  const b = head.business
  return {
    first_name: r.firstName,
    last_name: r.lastName,
    display_name: r.displayName,
    today: head.today,
    business_name: b.name,
    business_address: b.addressLines.join(', '),
    business_phone: b.phone,
    business_email: b.email,
    custom,
  }
}

/** Someone to show a template on when no customer is chosen. */
const SAMPLE: Recipient = {
  customerId: 0,
  firstName: 'Alex',
  lastName: 'Sample',
  displayName: 'Alex Sample',
  company: '',
  address: { line1: '1 High Street', line2: '', city: 'Bath', region: '', postcode: 'BA1 1AA', country: '' },
  flags: [],
}

export type PrintLettersJob = z.output<typeof printLettersInput> & { dir: string }
export type PreviewLetterJob = z.output<typeof letterPreviewInput> & { dir: string }

/**
 * One PDF for the whole batch, one letter per customer: customers without a
 * postal address are left out and named in the result, flagged ones too
 * unless the desk chose to include them.
 */
export async function makeLetters(ctx: ServiceContext, input: PrintLettersJob, progress: Progress = NO_PROGRESS): Promise<BrochurePrintout> {
  const template = await getTemplate(ctx.db, input.templateId)
  checkTemplateBody(template.body, await knownFieldKeys(ctx.db))
  const ids = await printRequestIds(ctx.db, input.selection)
  const recipients = await recipientsOf(ctx.db, ids)
  const check = describeRecipients(ids.length, recipients)
  const chosen = printable(recipients, input.skipFlagged)
  if (!chosen.length) throw ValidationFailed.field('selection', nobodyMessage(check))
  const head = await letterhead(ctx)
  const custom = template.body.includes('custom.') ? await customValues(ctx.db, chosen.map((r) => r.customerId)) : new Map<number, Record<string, string>>()
  const envelope = envelopes[input.envelope]
  const doc = newPrintDocument({ paper: 'a4' })
  progress.report(0, chosen.length, 'Letters')
  chosen.forEach((r, i) => {
    if (i % 25 === 0) {
      progress.checkCancelled()
      progress.report(i, chosen.length, 'Letters')
    }
    drawLetter(
      doc,
      head.business,
      envelope,
      {
        addressLines: letterAddressLines({ displayName: r.displayName, company: r.company }, r.address!, head.homeCountry),
        dateText: head.today,
        body: fillTemplate(template.body, mergeData(r, head, custom.get(r.customerId) ?? {})),
      },
      i === 0,
    )
  })
  progress.report(chosen.length, chosen.length, 'Saving the PDF')
  const bytes = doc.output()
  progress.checkCancelled()
  const printout = await keepPrintout(input.dir, bytes, {
    fileName: `Brochure letters ${localDay(ctx.clock())}`,
    pages: doc.pageCount(),
    unprintable: doc.unprintable(),
  })
  return { ...printout, printed: chosen.length, cannotPost: check.cannotPost, leftOut: input.skipFlagged ? check.flagged : [] }
}

export function nobodyMessage(check: PrintCheck): string {
  if (check.cannotPost.length && !check.flagged.length) return 'None of the chosen customers has a postal address: there is nothing to print.'
  return 'Nobody is left to print for: the chosen customers have no postal address or are flagged and left out.'
}

/** A template as it is being edited, on one customer or a sample: the letter as it will print. */
export async function previewLetter(ctx: ServiceContext, input: PreviewLetterJob): Promise<BrochurePrintout> {
  checkTemplateBody(input.body, await knownFieldKeys(ctx.db))
  const head = await letterhead(ctx)
  let recipient = SAMPLE
  if (input.customerId !== null) {
    const [found] = await recipientsById(ctx.db, [input.customerId])
    if (!found) throw ValidationFailed.field('customerId', 'This customer no longer exists.')
    recipient = found
  }
  const custom = input.customerId !== null ? ((await customValues(ctx.db, [input.customerId])).get(input.customerId) ?? {}) : {}
  const doc = newPrintDocument({ paper: 'a4' })
  drawLetter(
    doc,
    head.business,
    envelopes[input.envelope],
    {
      // Shown, not printed: a customer without an address gets no letter.
      addressLines: recipient.address
        ? letterAddressLines({ displayName: recipient.displayName, company: recipient.company }, recipient.address, head.homeCountry)
        : [recipient.displayName, '(no postal address: not printed)'],
      dateText: head.today,
      body: fillTemplate(input.body, mergeData(recipient, head, custom)),
    },
    true,
  )
  const printout = await keepPrintout(input.dir, doc.output(), { fileName: 'Letter preview', pages: doc.pageCount(), unprintable: doc.unprintable() })
  return { ...printout, printed: 1, cannotPost: [], leftOut: [] }
}
