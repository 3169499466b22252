import type { Knex } from 'knex'
import type { MakeStatementInput, TenderType } from '../../../preload/contract'
import { getSettings } from '../app'
import { customerLedger, type LedgerBooking, type LedgerMoney } from '../bookings'
import { localDay } from '../calendarDay'
import { formatCustomerNumber } from '../customers/normalize'
import { NotFound, ValidationFailed } from '../errors'
import { letterAddressLines } from '../../pdf/address'
import { letterAddresses } from '../letterAddresses'

/** One row of the statement's table. */
export interface StatementEntry {
  /** The desk's calendar day it happened. */
  day: string
  kind: 'charge' | 'payment' | 'refund'
  bookingReference: string
  /** A booking line as sold (with its session's day), or how money moved. */
  description: string
  /** The session's start (ISO UTC) for a booking line. */
  sessionStartsAt: string | null
  quantity: number | null
  /** What it does to the balance: a charge or refund adds, a payment takes away. */
  amountMinor: number
  /** The balance after this row. */
  balanceMinor: number
  /** A cancelled booking's line: listed so its payments make sense, never charged. */
  cancelled: boolean
}

/** The account in one currency (almost always only the business's). */
export interface StatementAccount {
  currency: string
  broughtForwardMinor: number
  entries: StatementEntry[]
  chargedMinor: number
  paidMinor: number
  refundedMinor: number
  /** The balance at the end of the period: positive is owed, negative is credit. */
  closingMinor: number
  /** At the end of the period, what the bookings still owing add up to (the profile's "Outstanding")… */
  owedMinor: number
  /** …and what is due back on the others (the profile's "Credit due"). */
  creditMinor: number
}

/** A household member the customer pays for, with their balance at the end of the period. */
export interface StatementMember {
  number: string
  name: string
  balances: Array<{ currency: string; closingMinor: number }>
}

export interface StatementData {
  customerNumber: string
  customerName: string
  /** Name (and company) and the letters address as the post wants it. */
  addressLines: string[]
  /** When someone else pays for this customer: who. */
  paidBy: string | null
  from: string
  to: string
  issuedOn: string
  accounts: StatementAccount[]
  household: StatementMember[]
}

const METHOD_WORDS: Record<TenderType, string> = {
  card: 'card',
  cash: 'cash',
  bank_transfer: 'bank transfer',
  cheque: 'cheque',
  voucher: 'voucher',
  other: 'other means',
  rewards: 'rewards',
}

interface CustomerRow {
  id: number
  display_name: string
  company: string
  status: string
  household_payer_id: number | null
}

/** Money moved on a booking, in words: "Payment by card, ref 4411". */
function moneyDescription(money: LedgerMoney): string {
  const what = money.kind === 'payment' ? `Payment by ${METHOD_WORDS[money.method]}` : `Refund by ${METHOD_WORDS[money.method]}`
  return money.reference ? `${what}, ref ${money.reference}` : what
}

interface Movement {
  at: string
  order: number
  entry: Omit<StatementEntry, 'balanceMinor'>
  currency: string
  bookingId: number
}

/** Every charge and money movement of a ledger, oldest first; on the same instant a booking's charge comes before its payment. */
function movementsOf(bookings: LedgerBooking[], money: LedgerMoney[]): Movement[] {
  const movements: Movement[] = []
  for (const booking of bookings) {
    const day = localDay(new Date(booking.bookedAt))
    const cancelled = booking.status === 'cancelled'
    const lines = booking.lines.length
      ? booking.lines
      : [{ description: booking.summary || 'Booking', quantity: null, sessionStartsAt: null, chargeMinor: booking.chargeMinor }]
    for (const line of lines) {
      movements.push({
        at: booking.bookedAt,
        order: 0,
        currency: booking.currency,
        bookingId: booking.id,
        entry: {
          day,
          kind: 'charge',
          bookingReference: booking.reference,
          description: line.description,
          sessionStartsAt: line.sessionStartsAt || null,
          quantity: line.quantity,
          amountMinor: line.chargeMinor,
          cancelled,
        },
      })
    }
  }
  for (const m of money) {
    movements.push({
      at: m.takenAt,
      order: 1,
      currency: m.currency,
      bookingId: m.bookingId,
      entry: {
        day: localDay(new Date(m.takenAt)),
        kind: m.kind,
        bookingReference: m.bookingReference,
        description: moneyDescription(m),
        sessionStartsAt: null,
        quantity: null,
        amountMinor: m.kind === 'payment' ? -m.amountMinor : m.amountMinor,
        cancelled: false,
      },
    })
  }
  return movements.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order))
}

/**
 * The accounts of one customer for a period: brought forward from everything
 * before `from`, each row of the period with the running balance, the
 * period's totals and the balance at its end. Ending today, the balance is the
 * profile's outstanding less its credit, and owed/credit are its two figures.
 */
export function accountsOf(bookings: LedgerBooking[], money: LedgerMoney[], from: string, to: string, businessCurrency: string): StatementAccount[] {
  const accounts = new Map<string, StatementAccount>()
  const perBooking = new Map<number, number>()
  const account = (currency: string) => {
    let found = accounts.get(currency)
    if (!found) {
      found = { currency, broughtForwardMinor: 0, entries: [], chargedMinor: 0, paidMinor: 0, refundedMinor: 0, closingMinor: 0, owedMinor: 0, creditMinor: 0 }
      accounts.set(currency, found)
    }
    return found
  }
  account(businessCurrency)
  for (const movement of movementsOf(bookings, money)) {
    const { entry } = movement
    if (entry.day > to) continue
    const into = account(movement.currency)
    perBooking.set(movement.bookingId, (perBooking.get(movement.bookingId) ?? 0) + entry.amountMinor)
    into.closingMinor += entry.amountMinor
    if (entry.day < from) {
      into.broughtForwardMinor += entry.amountMinor
      continue
    }
    if (entry.kind === 'charge') into.chargedMinor += entry.amountMinor
    else if (entry.kind === 'payment') into.paidMinor -= entry.amountMinor
    else into.refundedMinor += entry.amountMinor
    into.entries.push({ ...entry, balanceMinor: into.closingMinor })
  }
  const currencyOf = new Map(bookings.map((b) => [b.id, b.currency]))
  for (const [bookingId, outstanding] of perBooking) {
    const into = account(currencyOf.get(bookingId) ?? businessCurrency)
    if (outstanding > 0) into.owedMinor += outstanding
    else into.creditMinor -= outstanding
  }
  const business = accounts.get(businessCurrency)!
  accounts.delete(businessCurrency)
  return [business, ...[...accounts.values()].sort((a, b) => a.currency.localeCompare(b.currency))]
}

async function loadCustomerRow(db: Knex, id: number): Promise<CustomerRow | undefined> {
  return (await db('customers').where({ id }).first('id', 'display_name', 'company', 'status', 'household_payer_id')) as CustomerRow | undefined
}

/** The customer's letters address (the same rule as brochure letters); none gives the name alone. */
async function letterAddressOf(db: Knex, customer: CustomerRow, homeCountry: string): Promise<string[]> {
  const address = (await letterAddresses(db, [customer.id])).get(customer.id)
  const who = { displayName: customer.display_name, company: customer.company }
  if (!address) return letterAddressLines(who, { line1: '', line2: '', city: '', region: '', postcode: '', country: homeCountry }, homeCountry)
  return letterAddressLines(who, address, homeCountry)
}

/**
 * Everything a statement shows, read in one snapshot: the customer and their
 * letters address, their accounts for the period and, for a household's
 * payer, the balances of the people they pay for. Staff notes are never read.
 */
export async function statementData(db: Knex, input: MakeStatementInput, now: Date): Promise<StatementData> {
  const today = localDay(now)
  if (input.to > today) throw ValidationFailed.field('to', 'A statement cannot end after today.')
  return db.transaction(
    async (trx) => {
      const customer = await loadCustomerRow(trx, input.customerId)
      if (!customer) throw new NotFound(`Customer ${formatCustomerNumber(input.customerId)} does not exist.`)
      const settings = await getSettings({ db: trx })
      const [addressLines, ledger, payer, members] = await Promise.all([
        letterAddressOf(trx, customer, settings.defaultCountry),
        customerLedger(trx, customer.id),
        customer.household_payer_id === null ? undefined : loadCustomerRow(trx, customer.household_payer_id),
        trx('customers')
          .where({ household_payer_id: customer.id })
          .whereNot({ status: 'deleted' })
          .orderBy([{ column: 'sort_name' }, { column: 'id' }])
          .select('id', 'display_name', 'company', 'status', 'household_payer_id') as Promise<CustomerRow[]>,
      ])
      const household: StatementMember[] = []
      for (const member of members) {
        const theirs = await customerLedger(trx, member.id)
        if (!theirs.bookings.length && !theirs.money.length) continue
        const balances = accountsOf(theirs.bookings, theirs.money, input.from, input.to, settings.currency)
          .filter((a) => a.closingMinor !== 0 || a.currency === settings.currency)
          .map((a) => ({ currency: a.currency, closingMinor: a.closingMinor }))
        household.push({ number: formatCustomerNumber(member.id), name: member.display_name, balances })
      }
      return {
        customerNumber: formatCustomerNumber(customer.id),
        customerName: customer.display_name,
        addressLines,
        paidBy: payer && payer.status !== 'deleted' ? `${payer.display_name} (${formatCustomerNumber(payer.id)})` : null,
        from: input.from,
        to: input.to,
        issuedOn: today,
        accounts: accountsOf(ledger.bookings, ledger.money, input.from, input.to, settings.currency).filter(
          (a, index) => index === 0 || a.entries.length > 0 || a.broughtForwardMinor !== 0 || a.closingMinor !== 0,
        ),
        household,
      }
    },
    { readOnly: true },
  )
}
