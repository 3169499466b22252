import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { loadBusinessDetails } from '../../pdf/business'
import { newPrintDocument } from '../../pdf/document'
import { formatMoney } from '../money'
import { formatDay } from '../calendarDay'
import { drawLedger, type LedgerColumn, type LedgerRow } from '../statements/ledgerTable'
import { paperFor } from '../statements/render'
import type { Row, SubjectAccessData } from './subjectData'

const LEFT = 20
const RIGHT_MARGIN = 20
const TOP_MARGIN = 20
const BOTTOM_MARGIN = 22
const MUTED: [number, number, number] = [96, 102, 110]
/** A cell holds at most this many lines; longer text (a long note) goes on in the rows below it. */
const LINES_PER_ROW = 30

const whenFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value))
/** A stored instant ("2026-11-30T14:05:00.000Z") as the desk reads it; a calendar day as a day. */
function when(value: unknown): string {
  const text = str(value)
  if (!text) return ''
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDay(text)
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? text : whenFormat.format(date)
}
const yesNo = (value: unknown) => (value ? 'Yes' : 'No')
const money = (minor: unknown, currency: unknown) => (minor === null || minor === undefined ? '' : formatMoney(Number(minor), str(currency) || 'GBP'))
/** A stored code as a word: "no_show" → "No show". */
const words = (value: unknown) => {
  const text = str(value).replace(/_/g, ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The subject access PDF: letterhead, who it is about, a contents table, then every section with its tables and page numbers. */
export async function renderSubjectAccess(
  ctx: ServiceContext,
  data: SubjectAccessData,
  /** Called as each section starts (for progress and Cancel). */
  onSection: (title: string) => void = () => {},
): Promise<{ bytes: Uint8Array; pages: number; unprintable: string[] }> {
  const [business, settings] = await Promise.all([loadBusinessDetails(ctx.db), getSettings(ctx)])
  const doc = newPrintDocument({ paper: paperFor(settings.defaultCountry) })
  const pageRight = doc.pageWidth - RIGHT_MARGIN
  const width = pageRight - LEFT
  const bottom = doc.pageHeight - BOTTOM_MARGIN
  const c = data.customer

  let y = doc.ruledLetterhead(business)

  const top = y
  doc.setFont('bold', 18)
  doc.text('Your personal data', LEFT, y + 1)
  y += 9
  doc.setFont('bold', 11)
  for (const part of doc.wrap(c.name, 100)) {
    doc.text(part, LEFT, y)
    y += doc.lineHeight()
  }
  let factsY = top + 1
  doc.setFont('regular', 9.5)
  const facts: Array<[string, string]> = [
    ['Customer', c.number],
    ['Prepared on', when(data.generatedAt)],
    ['Prepared by', data.generatedBy],
  ]
  for (const [label, value] of facts) {
    doc.pdf.setTextColor(...MUTED)
    doc.text(label, pageRight - 68, factsY)
    doc.pdf.setTextColor(0, 0, 0)
    doc.text(doc.wrap(value, 44)[0] ?? '', pageRight, factsY, { align: 'right' })
    factsY += doc.lineHeight() + 0.6
  }
  y = Math.max(y, factsY) + 4
  doc.setFont('regular', 9.5)
  const intro =
    `This is all the personal data ${business.name} holds about you, as it was on ${when(data.generatedAt)}: your record, ` +
    'how to contact you, your consents, bookings and payments, plans, notes our staff wrote, and the history of changes to your record. ' +
    'The same data comes as a data file (JSON) that other software can read.'
  for (const line of doc.wrap(intro, width)) {
    doc.text(line, LEFT, y)
    y += doc.lineHeight()
  }
  y += 4

  const runningHead = `Personal data of ${c.name} · ${c.number} · ${when(data.generatedAt)}`
  const headed = new Set<number>()
  const drawRunningHead = () => {
    const page = doc.pdf.getCurrentPageInfo().pageNumber
    if (page === 1 || headed.has(page)) return
    headed.add(page)
    doc.setFont('regular', 8)
    doc.pdf.setTextColor(...MUTED)
    doc.text(doc.wrap(runningHead, width)[0] ?? '', LEFT, 12)
    doc.pdf.setTextColor(0, 0, 0)
  }
  const newPage = () => {
    doc.pdf.addPage()
    drawRunningHead()
  }
  const layout = { left: LEFT, width, top: TOP_MARGIN, bottom, newPage }
  const room = (needed: number) => {
    if (y + needed > bottom) {
      newPage()
      y = TOP_MARGIN
    }
  }
  const heading = (title: string, note = '') => {
    onSection(title)
    room(24)
    y += 3
    doc.setFont('bold', 12.5)
    doc.text(title, LEFT, y)
    y += doc.lineHeight() + 0.5
    if (note) {
      doc.setFont('regular', 8.5)
      doc.pdf.setTextColor(...MUTED)
      for (const line of doc.wrap(note, width)) {
        doc.text(line, LEFT, y)
        y += doc.lineHeight()
      }
      doc.pdf.setTextColor(0, 0, 0)
    }
    y += 1
  }
  const sub = (title: string) => {
    room(18)
    doc.setFont('bold', 10)
    doc.text(title, LEFT, y)
    y += doc.lineHeight() + 0.5
  }
  const none = (text = 'None held.') => {
    doc.setFont('regular', 9)
    doc.pdf.setTextColor(...MUTED)
    doc.text(text, LEFT, y)
    doc.pdf.setTextColor(0, 0, 0)
    y += doc.lineHeight() + 3
  }
  const table = (columns: LedgerColumn[], rows: LedgerRow[], empty = 'None held.') => {
    if (!rows.length) return none(empty)
    room(14)
    y = drawLedger(doc, columns, rows, y, layout) + 5
  }
  /** Pairs of label and value, as a two-column table. */
  const facts2 = (pairs: Array<[string, string]>) =>
    table(
      [
        { title: 'Item', width: 55, align: 'left' },
        { title: 'Held', align: 'left' },
      ],
      pairs.filter(([, v]) => v !== '').map(([k, v]) => ({ cells: [k, v] })),
    )
  /** Long text split so no row is taller than a page: the first row carries the other cells, the rest go on below. */
  const longRows = (cells: string[], textIndex: number, textWidth: number, muted = false): LedgerRow[] => {
    doc.setFont('regular', 8.5)
    const lines = str(cells[textIndex])
      .split('\n')
      .flatMap((part) => (part === '' ? [' '] : doc.wrap(part, textWidth - 3)))
    const rows: LedgerRow[] = []
    for (let i = 0; i < Math.max(1, lines.length); i += LINES_PER_ROW) {
      const chunk = lines.slice(i, i + LINES_PER_ROW).join('\n')
      rows.push({ cells: cells.map((cell, n) => (n === textIndex ? chunk : i === 0 ? cell : '')), muted })
    }
    return rows
  }

  // Contents: what each section holds.
  heading('Contents')
  table(
    [
      { title: 'Section', align: 'left' },
      { title: 'Items', width: 30, align: 'right' },
    ],
    data.sections.map((s) => ({ cells: [s.title, String(s.count)] })),
  )

  heading('Record', 'Your customer record as we hold it.')
  const taxRate = c.taxRateBp === null || c.taxRateBp === undefined ? '' : `${Number(c.taxRateBp) / 100}%`
  facts2([
    ['Customer number', c.number],
    ['Name shown', c.name],
    ['First name', str(c.firstName)],
    ['Last name', str(c.lastName)],
    ['Company', str(c.company)],
    ['Email', str(c.email)],
    ['Status', words(c.status)],
    ['Reason for the status', str(c.statusReason)],
    ['How we got your details', words(c.source)],
    ['Added', when(c.createdAt)],
    ['Added by', str(c.createdByName)],
    ['Last changed', when(c.updatedAt)],
    ['Archived', when(c.archivedAt)],
    ['Blocked', when(c.blockedAt)],
    ['Deleted', when(c.deletedAt)],
    ['Personal data erased', when(c.erasedAt)],
    ['Tax status', words(c.taxStatus)],
    ['Tax rate', taxRate],
    ['Rewards balance', data.rewards.balanceMinor ? money(data.rewards.balanceMinor, settings.currency) : ''],
    ['Photo', data.photo ? `A photo (${data.photo.mime}, ${data.photo.width} × ${data.photo.height} pixels), in the data file` : 'None'],
  ])

  heading('Phones')
  table(
    [
      { title: 'Label', width: 30, align: 'left' },
      { title: 'Number', align: 'left' },
      { title: 'International form', width: 45, align: 'left' },
      { title: 'Main number', width: 25, align: 'left' },
    ],
    data.phones.map((p) => ({ cells: [words(p.label), str(p.number), str(p.e164), yesNo(p.isPrimary)] })),
  )

  heading('Addresses')
  table(
    [
      { title: 'Label', width: 30, align: 'left' },
      { title: 'Address', align: 'left' },
      { title: 'Used for', width: 40, align: 'left' },
    ],
    data.addresses.map((a) => ({
      cells: [
        words(a.label),
        [a.line1, a.line2, a.city, a.region, a.postcode, a.country].map(str).filter(Boolean).join('\n'),
        [a.isDefaultLetters ? 'Letters' : '', a.isDefaultService ? 'Service visits' : ''].filter(Boolean).join(', '),
      ],
    })),
  )

  heading('Consents', 'Whether you agreed to hear from us, and the evidence: each time it was given or withdrawn, how, and the wording shown.')
  facts2([
    ['Newsletter and offers', data.consents.marketingConsent ? 'Agreed' : 'Not agreed'],
    ['Unsubscribed from all mail', yesNo(data.consents.unsubscribed)],
  ])
  sub('Evidence')
  table(
    [
      { title: 'When', width: 33, align: 'left' },
      { title: 'Consent', width: 24, align: 'left' },
      { title: 'Given', width: 20, align: 'left' },
      { title: 'How', width: 16, align: 'left' },
      { title: 'Wording', align: 'left' },
      { title: 'Recorded by', width: 28, align: 'left' },
    ],
    data.consents.events.flatMap((e) =>
      longRows(
        [when(e.at), e.kind === 'unsubscribed' ? 'Unsubscribe' : 'Newsletter', e.granted ? 'Given' : 'Withdrawn', words(e.channel), str(e.wording), str(e.staffName)],
        4,
        width - 121,
      ),
    ),
    'No consent was ever recorded.',
  )

  heading('Bookings', 'Each booking with what was booked beneath it.')
  const bookingRows: LedgerRow[] = []
  for (const b of data.bookings) {
    bookingRows.push({
      cells: [
        str(b.reference),
        when(b.startsAt ?? b.createdAt),
        words(b.status),
        [str(b.summary), b.note ? `Booking note: ${str(b.note)}` : ''].filter(Boolean).join('\n'),
        money(b.totalMinor, b.currency),
        money(b.paidMinor, b.currency),
      ],
    })
    for (const line of b.lines) {
      bookingRows.push({
        cells: ['', '', '', `${str(line.quantity)} × ${str(line.description)}${line.coveredByPass ? ' (pass)' : ''}`, money(line.totalMinor, b.currency), ''],
        muted: true,
      })
    }
  }
  table(
    [
      { title: 'Booking', width: 21, align: 'left' },
      { title: 'When', width: 33, align: 'left' },
      { title: 'Status', width: 20, align: 'left' },
      { title: 'Details', align: 'left' },
      { title: 'Total', width: 22, align: 'right' },
      { title: 'Paid', width: 22, align: 'right' },
    ],
    bookingRows,
  )

  heading('Payments and refunds')
  const byBooking = data.bookings.flatMap((b) =>
    [...b.payments, ...b.refunds].map((p) => ({ p, b })).sort((x, z) => Number(x.p.id) - Number(z.p.id)),
  )
  table(
    [
      { title: 'When', width: 33, align: 'left' },
      { title: 'Booking', width: 21, align: 'left' },
      { title: 'Kind', width: 18, align: 'left' },
      { title: 'Method', width: 22, align: 'left' },
      { title: 'Reference', align: 'left' },
      { title: 'Taken by', width: 28, align: 'left' },
      { title: 'Amount', width: 22, align: 'right' },
    ],
    byBooking.map(({ p, b }) => ({
      cells: [when(p.takenAt), str(b.reference), p.kind === 'refund' ? 'Refund' : 'Payment', words(p.method), str(p.reference), str(p.staffName), money(p.amountMinor, b.currency)],
    })),
  )

  heading('Plans', 'Memberships, passes and subscriptions, with each collection of a subscription.')
  table(
    [
      { title: 'Plan', align: 'left' },
      { title: 'Kind', width: 24, align: 'left' },
      { title: 'Status', width: 20, align: 'left' },
      { title: 'Valid', width: 46, align: 'left' },
      { title: 'Price', width: 26, align: 'right' },
    ],
    data.plans.map((p) => ({
      cells: [
        str(p.name),
        words(p.kind),
        words(p.status),
        [when(p.validFrom), when(p.validTo)].filter(Boolean).join(' – '),
        `${money(p.amountMinor, p.currency)}${p.interval ? ` / ${str(p.interval)}` : ''}`,
      ],
    })),
  )
  const collections = data.plans.flatMap((p) => p.collections.map((col) => ({ p, col })))
  if (collections.length) {
    sub('Collections')
    table(
      [
        { title: 'Plan', align: 'left' },
        { title: 'Due', width: 28, align: 'left' },
        { title: 'Booking', width: 22, align: 'left' },
        { title: 'Status', width: 24, align: 'left' },
        { title: 'Amount', width: 24, align: 'right' },
        { title: 'Paid', width: 24, align: 'right' },
      ],
      collections.map(({ p, col }) => ({
        cells: [
          str(p.name),
          when(col.dueOn),
          str(col.reference),
          col.failedAt ? 'Failed' : words(col.status),
          money(col.totalMinor, col.currency),
          money(col.paidMinor, col.currency),
        ],
      })),
    )
  }

  heading('Staff notes', 'Notes our staff wrote about you (or brought in with your details from another system). They are ours, not yours, and are given here in full.')
  const noteWidth = width - 28 - 33 - 32
  table(
    [
      { title: 'Kind', width: 28, align: 'left' },
      { title: 'Written', width: 33, align: 'left' },
      { title: 'By', width: 32, align: 'left' },
      { title: 'Note', align: 'left' },
    ],
    data.notes.flatMap((n) =>
      longRows([n.kind === 'staff note' ? 'Staff note' : 'Imported note', when(n.createdAt), str(n.authorName), str(n.body)], 3, noteWidth),
    ),
  )

  heading('Tags and lists')
  table(
    [
      { title: 'Kind', width: 30, align: 'left' },
      { title: 'Name', align: 'left' },
      { title: 'Since', width: 40, align: 'left' },
    ],
    [...data.tags.map((t) => ({ cells: ['Tag', str(t.name), when(t.createdAt)] })), ...data.groups.map((g) => ({ cells: ['List', str(g.name), when(g.createdAt)] }))],
  )

  heading('Custom fields')
  table(
    [
      { title: 'Field', width: 60, align: 'left' },
      { title: 'Value', align: 'left' },
    ],
    data.customFields.map((f) => ({ cells: [str(f.label), f.type === 'boolean' ? (f.value === 'true' ? 'Yes' : 'No') : str(f.value)] })),
  )

  heading('Payment methods', 'Card references only: we never hold a card number.')
  table(
    [
      { title: 'Card', width: 30, align: 'left' },
      { title: 'Ending', width: 24, align: 'left' },
      { title: 'Expires', width: 24, align: 'left' },
      { title: 'Default', width: 22, align: 'left' },
      { title: 'Added', align: 'left' },
    ],
    data.paymentMethods.map((m) => ({
      cells: [words(m.brand), str(m.last4), `${String(m.expMonth).padStart(2, '0')}/${str(m.expYear)}`, yesNo(m.isDefault), when(m.createdAt)],
    })),
  )

  heading('Brochure requests')
  table(
    [
      { title: 'Requested', width: 34, align: 'left' },
      { title: 'Taken by', width: 30, align: 'left' },
      { title: 'Status', width: 22, align: 'left' },
      { title: 'Posted', width: 28, align: 'left' },
      { title: 'Note', align: 'left' },
    ],
    data.brochureRequests.map((r) => ({ cells: [when(r.requestedAt), str(r.takenByName), words(r.status), when(r.postedOn), str(r.note)] })),
  )

  heading('Emails', 'Emails we wrote to you, sent or waiting to be sent.')
  table(
    [
      { title: 'Date', width: 34, align: 'left' },
      { title: 'Kind', width: 22, align: 'left' },
      { title: 'To', width: 44, align: 'left' },
      { title: 'Status', width: 20, align: 'left' },
      { title: 'Subject', align: 'left' },
    ],
    data.messages.map((m) => ({ cells: [when(m.sentAt ?? m.queuedAt), words(m.kind), str(m.toAddress), words(m.status), str(m.subject)] })),
  )

  heading('Online account links', 'Links we emailed for our online booking site. Each works once and for a limited time.')
  table(
    [
      { title: 'Sent', width: 34, align: 'left' },
      { title: 'For', width: 36, align: 'left' },
      { title: 'Valid until', width: 34, align: 'left' },
      { title: 'What became of it', align: 'left' },
    ],
    data.accountLinks.map((l) => ({
      cells: [
        when(l.createdAt),
        l.purpose === 'reset' ? 'Resetting the password' : 'Confirming the account',
        when(l.expiresAt),
        l.usedAt ? `Used ${when(l.usedAt)}` : l.revokedAt ? `Cancelled ${when(l.revokedAt)}: ${str(l.revokedReason)}` : '',
      ],
    })),
  )

  heading('Rewards', 'Credit earned for recommending others and how it was spent.')
  table(
    [
      { title: 'When', width: 34, align: 'left' },
      { title: 'Kind', width: 22, align: 'left' },
      { title: 'Note', align: 'left' },
      { title: 'Amount', width: 26, align: 'right' },
    ],
    data.rewards.entries.map((r) => ({ cells: [when(r.createdAt), words(r.kind), str(r.note), money(r.amountMinor, r.currency)] })),
  )

  heading('Household and referrals', 'Other customers linked to your record: only the link is shown.')
  const links: LedgerRow[] = [
    ...(data.household.payer ? [{ cells: ['Your bookings are paid by', `${data.household.payer.name} (${data.household.payer.number})`] }] : []),
    ...data.household.members.map((m) => ({ cells: ['You pay for', `${m.name} (${m.number})`] })),
    ...(data.referrals.referredBy ? [{ cells: ['You were recommended by', `${data.referrals.referredBy.name} (${data.referrals.referredBy.number})`] }] : []),
    ...data.referrals.referred.map((m) => ({ cells: ['You recommended', `${m.name} (${m.number})`] })),
  ]
  table(
    [
      { title: 'Link', width: 55, align: 'left' },
      { title: 'Customer', align: 'left' },
    ],
    links,
  )

  if (data.importKeys.length || data.mergedRecords.length) {
    heading('Other records', 'Identifiers from files your details were imported from, and earlier records of yours joined into this one.')
    table(
      [
        { title: 'Kind', width: 40, align: 'left' },
        { title: 'Detail', align: 'left' },
      ],
      [
        ...data.importKeys.map((k) => ({ cells: ['Import identifier', str(k.key)] })),
        ...data.mergedRecords.map((m) => ({
          cells: ['Merged record', `${(m.mergedNumbers as string[]).join(', ')} joined on ${when(m.at)}${m.undoneAt ? ` (undone ${when(m.undoneAt)})` : ''}`],
        })),
      ],
    )
  }

  heading('Change log', 'Every change made to your record and what belongs to it: when, by whom, and what changed.')
  const changeWidth = width - 34 - 32
  table(
    [
      { title: 'When', width: 34, align: 'left' },
      { title: 'By', width: 32, align: 'left' },
      { title: 'What changed', align: 'left' },
    ],
    data.changeLog.flatMap((e) => {
      const changes = Array.isArray(e.changes) ? (e.changes as Array<{ field: string; before: string | null; after: string | null }>) : []
      const detail = [
        str(e.summary),
        ...changes.map((ch) => `${ch.field}: ${ch.before ?? '—'} → ${ch.after ?? '—'}`),
        ...(e.redactedAt ? [`Personal values erased ${when(e.redactedAt)}`] : []),
      ].join('\n')
      return longRows([when(e.at), str(e.staffName), detail], 2, changeWidth)
    }),
  )

  room(12)
  doc.setFont('regular', 8.5)
  doc.pdf.setTextColor(...MUTED)
  doc.text(`Prepared for ${c.name} (${c.number}) on request.`, LEFT, y)
  doc.pdf.setTextColor(0, 0, 0)
  doc.pageNumbers()
  return { bytes: doc.output(), pages: doc.pageCount(), unprintable: doc.unprintable() }
}

export type { Row }
