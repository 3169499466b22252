import type { CellDef } from 'jspdf-autotable'
import type { BusinessDetails } from '../../pdf/business'
import { newPrintDocument, type Paper, type PrintDocument } from '../../pdf/document'
import { formatMoney } from '../money'
import { formatDay } from '../calendarDay'
import type { StatementAccount, StatementData, StatementEntry } from './account'
import { drawLedger, type LedgerColumn, type LedgerRow } from './ledgerTable'

const LEFT = 20
const RIGHT_MARGIN = 20
const MUTED: [number, number, number] = [96, 102, 110]

const sessionFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' })

/** A balance as statements write it: what is owed as an amount, credit marked CR. */
export function formatBalance(minor: number, currency: string): string {
  return minor < 0 ? `${formatMoney(-minor, currency)} CR` : formatMoney(minor, currency)
}

/** A booking line reads as sold, with the session it is for beneath; a cancelled one says why it charges nothing. */
function detailsOf(entry: StatementEntry): string {
  if (entry.kind !== 'charge') return entry.description
  const lines = [entry.description]
  if (entry.sessionStartsAt) {
    const start = new Date(entry.sessionStartsAt)
    lines.push(`Session ${sessionFormat.format(start)}, ${timeFormat.format(start)}`)
  }
  if (entry.cancelled) lines.push('Cancelled — not charged')
  return lines.join('\n')
}

/** A4, except where Letter is the paper in the drawer. */
export function paperFor(country: string): Paper {
  return ['US', 'CA', 'MX', 'PH'].includes(country) ? 'letter' : 'a4'
}

const right = (content: string, extra: Partial<CellDef['styles']> = {}): CellDef => ({ content, styles: { halign: 'right', ...extra } })
/** Where tables stop above the page number, and resume on a new page below the running head. */
const BOTTOM_MARGIN = 22
const TOP_MARGIN = 20

const LEDGER_COLUMNS: LedgerColumn[] = [
  { title: 'Date', width: 24.5, align: 'left' },
  { title: 'Booking', width: 20, align: 'left' },
  { title: 'Details', align: 'left' },
  { title: 'Qty', width: 10, align: 'right' },
  { title: 'Amount', width: 23, align: 'right' },
  { title: 'Balance', width: 25.5, align: 'right' },
]

function accountRows(account: StatementAccount, from: string): LedgerRow[] {
  const rows: LedgerRow[] = [
    { cells: [formatDay(from), '', 'Balance brought forward', '', '', formatBalance(account.broughtForwardMinor, account.currency)], bold: true },
  ]
  for (const entry of account.entries) {
    rows.push({
      cells: [
        formatDay(entry.day),
        entry.bookingReference,
        detailsOf(entry),
        entry.quantity === null ? '' : String(entry.quantity),
        formatMoney(entry.amountMinor, account.currency),
        formatBalance(entry.balanceMinor, account.currency),
      ],
      muted: entry.cancelled,
    })
  }
  return rows
}

/** The period's figures under the table, right-aligned, ending with what is owed (or due back) at its end. */
function drawTotals(doc: PrintDocument, account: StatementAccount, data: StatementData, startY: number): number {
  const money = (minor: number) => formatMoney(minor, account.currency)
  const at = formatDay(data.to)
  const rows: CellDef[][] = [
    [{ content: 'Balance brought forward' }, right(formatBalance(account.broughtForwardMinor, account.currency))],
    [{ content: 'Charged in this period' }, right(money(account.chargedMinor))],
    [{ content: 'Paid in this period' }, right(money(account.paidMinor))],
    [{ content: 'Refunded in this period' }, right(money(account.refundedMinor))],
  ]
  const bold = { fontStyle: 'bold' as const, fontSize: 10.5 }
  if (account.owedMinor > 0 && account.creditMinor > 0) {
    rows.push([{ content: `Balance at ${at}`, styles: bold }, right(formatBalance(account.closingMinor, account.currency), bold)])
    rows.push([{ content: 'of which owed on bookings' }, right(money(account.owedMinor))])
    rows.push([{ content: 'and credit due back on others' }, right(money(account.creditMinor))])
  } else if (account.creditMinor > 0) {
    rows.push([{ content: `Credit due to you at ${at}`, styles: bold }, right(money(account.creditMinor), bold)])
  } else {
    rows.push([{ content: `Outstanding balance at ${at}`, styles: bold }, right(money(account.owedMinor), bold)])
  }
  const width = 122
  return doc.table({
    startY,
    body: rows,
    margin: { left: doc.pageWidth - RIGHT_MARGIN - width, right: RIGHT_MARGIN, top: 20, bottom: 22 },
    tableWidth: width,
    rowPageBreak: 'avoid',
    columnStyles: { 0: { cellWidth: 86 }, 1: { cellWidth: 36 } },
    styles: { fontSize: 9.5 },
    didDrawCell: (hook) => {
      // A rule above the closing figure, as on a bank statement.
      if (hook.section === 'body' && hook.row.index === 4 && hook.column.index === 0) {
        doc.pdf.setDrawColor(60, 64, 70)
        doc.pdf.setLineWidth(0.3)
        doc.pdf.line(hook.cell.x, hook.cell.y, hook.cell.x + width, hook.cell.y)
      }
    },
  })
}

/** The statement as a PDF: letterhead, who it is for, each account's rows with the running balance, totals, page numbers. */
export function renderStatement(data: StatementData, business: BusinessDetails, paper: Paper): { bytes: Uint8Array; pages: number; unprintable: string[] } {
  const doc = newPrintDocument({ paper })
  const pageRight = doc.pageWidth - RIGHT_MARGIN
  let y = doc.ruledLetterhead(business)

  // Who it is for (left) and what it is (right).
  const top = y
  doc.setFont('regular', 10)
  for (const [index, line] of data.addressLines.entries()) {
    if (index === 0) doc.setFont('bold', 10.5)
    for (const part of doc.wrap(line, 95)) {
      doc.text(part, LEFT, y)
      y += doc.lineHeight()
    }
    if (index === 0) doc.setFont('regular', 10)
  }
  if (data.paidBy) {
    y += 1.5
    doc.setFont('regular', 9)
    doc.pdf.setTextColor(...MUTED)
    for (const part of doc.wrap(`Paid for by ${data.paidBy}`, 95)) {
      doc.text(part, LEFT, y)
      y += doc.lineHeight()
    }
    doc.pdf.setTextColor(0, 0, 0)
  }
  let factsY = top
  doc.setFont('bold', 18)
  doc.text('Statement', pageRight, factsY + 1, { align: 'right' })
  factsY += 9
  doc.setFont('regular', 9.5)
  const facts: Array<[string, string]> = [
    ['Customer', data.customerNumber],
    ['Statement date', formatDay(data.issuedOn)],
    ['Period', `${formatDay(data.from)} – ${formatDay(data.to)}`],
  ]
  for (const [label, value] of facts) {
    doc.pdf.setTextColor(...MUTED)
    doc.text(label, pageRight - 62, factsY)
    doc.pdf.setTextColor(0, 0, 0)
    doc.text(value, pageRight, factsY, { align: 'right' })
    factsY += doc.lineHeight() + 0.6
  }
  y = Math.max(y, factsY) + 8

  const runningHead = `Statement for ${data.customerName} · ${data.customerNumber} · ${formatDay(data.from)} – ${formatDay(data.to)}`
  const headed = new Set<number>()
  const drawRunningHead = () => {
    const page = doc.pdf.getCurrentPageInfo().pageNumber
    if (page === 1 || headed.has(page)) return
    headed.add(page)
    doc.setFont('regular', 8)
    doc.pdf.setTextColor(...MUTED)
    doc.text(runningHead, LEFT, 12)
    doc.pdf.setTextColor(0, 0, 0)
  }
  const newPage = () => {
    doc.pdf.addPage()
    drawRunningHead()
  }
  const bottom = doc.pageHeight - BOTTOM_MARGIN
  const several = data.accounts.length > 1
  for (const account of data.accounts) {
    if (several) {
      if (y + 30 > bottom) {
        newPage()
        y = TOP_MARGIN
      }
      doc.setFont('bold', 11)
      doc.text(`Account in ${account.currency}`, LEFT, y)
      y += 4
    }
    y = drawLedger(doc, LEDGER_COLUMNS, accountRows(account, data.from), y, {
      left: LEFT,
      width: pageRight - LEFT,
      top: TOP_MARGIN,
      bottom,
      newPage,
    })
    if (y + 60 > bottom) {
      newPage()
      y = TOP_MARGIN
    } else y += 6
    y = drawTotals(doc, account, data, y) + 8
  }

  if (data.household.length) {
    if (y + 30 > bottom) {
      newPage()
      y = TOP_MARGIN
    }
    doc.setFont('bold', 11)
    doc.text('Also paid for by you', LEFT, y)
    y += 2
    y =
      doc.table({
        startY: y,
        head: [[{ content: 'Customer' }, { content: 'Name' }, right(`Balance at ${formatDay(data.to)}`)]],
        body: data.household.flatMap((member) =>
          member.balances.map((b) => [{ content: member.number }, { content: member.name }, right(formatBalance(b.closingMinor, b.currency))]),
        ),
        columnStyles: { 0: { cellWidth: 26 }, 2: { cellWidth: 45 } },
        didDrawPage: drawRunningHead,
      }) + 8
  }

  if (y + 12 > bottom) {
    newPage()
    y = TOP_MARGIN
  }
  doc.setFont('regular', 8.5)
  doc.pdf.setTextColor(...MUTED)
  doc.text(`Please quote ${data.customerNumber} with any payment. Thank you.`, LEFT, y)
  doc.pdf.setTextColor(0, 0, 0)
  doc.pageNumbers()
  return { bytes: doc.output(), pages: doc.pageCount(), unprintable: doc.unprintable() }
}
