import type { Database, Statement } from 'better-sqlite3'
import type { Knex } from 'knex'
import type { CustomerSource } from '../../../preload/contract'
import { allRows } from '../../../db/queries/customerList'
import { isServerConnection } from '../../../db/bulk'
import { dialectOf } from '../../../db/dialects'
import { withRawConnection } from '../../../db/connection'
import { dayOf } from './values'
import type { CellValue, ColumnSpec, CustomerForExport, PhoneLabel, Related } from './columns'

/**
 * The customers an export writes, read a page at a time in id order: the
 * customers rows, then one query per related table the chosen columns need,
 * for the whole page. Never the whole address book in memory.
 */

/**
 * Customers per page: enough that the page's handful of queries cost little,
 * few enough that a page's objects die young (5,000 a page spent 4× as long
 * collecting garbage at a million customers).
 */
export const PAGE_SIZE = 1000

/**
 * Customers an export walks: every customer outside the recycle bin (by id, from `from` and
 * below `below` when given), or a list of ids.
 */
export interface Walk {
  ids: number[] | null
  from?: number
  below?: number
}

/** Customers outside the recycle bin. */
export const NOT_DELETED = `c.status <> 'deleted'`

/** A customers row as read: id, first, last and display name, company, email, status, source, consent (0 once unsubscribed), created, updated. */
type CustomerRow = [number, string, string, string, string, string, CustomerForExport['status'], CustomerSource, number, string, string]

const CUSTOMER_COLUMNS = `c.id, c.first_name, c.last_name, c.display_name, c.company, c.email, c.status, c.source,
  CASE WHEN c.marketing_consent AND NOT c.unsubscribed THEN 1 ELSE 0 END AS consent, c.created_at, c.updated_at`

/** One read, rows as arrays: a page of a million-customer export read as plain arrays costs half what named rows do. */
type Read = <T extends unknown[]>(sql: string, bindings: readonly unknown[]) => Promise<T[]>

/**
 * The export's reads. On SQLite on the raw connection, each shape of query
 * prepared once per export rather than for every page; on a server through
 * Knex, each row's columns in the order selected (every column is named).
 */
function readerOf(db: Knex): Read {
  if (isServerConnection(db)) {
    return async <T extends unknown[]>(sql: string, bindings: readonly unknown[]) =>
      allRows<Record<string, unknown>>(await db.raw(sql, bindings as Knex.RawBinding[])).map((row) => Object.values(row) as T)
  }
  const statements = new Map<string, Statement>()
  return <T extends unknown[]>(sql: string, bindings: readonly unknown[]) =>
    withRawConnection(db, (conn: Database) => {
      let statement = statements.get(sql)
      if (!statement) statements.set(sql, (statement = conn.prepare(sql).raw(true)))
      return statement.all(...bindings) as T[]
    })
}

/** The next page of the scope's customers rows, in id order, after the given page (or from the start). */
async function readCustomerPage(read: Read, db: Knex, scope: Walk, page: number, after: number): Promise<CustomerRow[]> {
  if (scope.ids === null) {
    if (scope.below === undefined) {
      return read<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id > ? AND ${NOT_DELETED} ORDER BY c.id LIMIT ?`, [after, PAGE_SIZE])
    }
    return read<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id > ? AND c.id < ? AND ${NOT_DELETED} ORDER BY c.id LIMIT ?`, [
      after,
      scope.below,
      PAGE_SIZE,
    ])
  }
  const ids = scope.ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
  if (!ids.length) return []
  const list = dialectOf(db).idListSql(ids)
  return read<CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM (${list.sql}) m CROSS JOIN customers c WHERE c.id = m.id AND ${NOT_DELETED} ORDER BY c.id`,
    list.bindings,
  )
}

/**
 * A condition picking a page's customers in a related table: a range of ids
 * when the page is dense (walking all customers: one index range read), the
 * list itself when it is sparse (a filter's matches spread over the book).
 * Rows of customers in the range but not on the page are ignored by the caller.
 */
function onPage(db: Knex, ids: readonly number[], column: string): { sql: string; bindings: Knex.Value[] } {
  const first = ids[0]!
  const last = ids[ids.length - 1]!
  if (last - first < 2 * ids.length) return { sql: `${column} BETWEEN ? AND ?`, bindings: [first, last] }
  const list = dialectOf(db).idListSql(ids)
  return { sql: `${column} IN (${list.sql})`, bindings: list.bindings }
}

const NON_ASCII = /[\u0080-\uFFFF]/
/** Text leaves in Unicode's composed form (NFC), as a spreadsheet or another program compares it. */
const nfc = (text: string) => (NON_ASCII.test(text) ? text.normalize('NFC') : text)

/**
 * One customer on a page: the record as read, then what each related read
 * adds. Every customer has the same shape, so reading a column's value from
 * any of them stays fast.
 */
class PageCustomer implements CustomerForExport {
  readonly id: number
  readonly firstName: string
  readonly lastName: string
  readonly displayName: string
  readonly company: string
  readonly email: string
  readonly status: CustomerForExport['status']
  readonly source: CustomerSource
  readonly marketingConsent: boolean
  readonly createdAt: string
  readonly updatedAt: string
  phones: CustomerForExport['phones'] = undefined
  address: CustomerForExport['address'] = undefined
  tags: string[] | undefined = undefined
  groups: string[] | undefined = undefined
  custom: Map<number, string> | undefined = undefined
  bookings: number | undefined = undefined
  receivedMinor: number | undefined = undefined
  outstandingMinor: number | undefined = undefined
  notes: CustomerForExport['notes'] = undefined

  constructor(row: CustomerRow) {
    this.id = row[0]
    this.firstName = row[1]
    this.lastName = row[2]
    this.displayName = row[3]
    this.company = row[4]
    this.email = row[5]
    this.status = row[6]
    this.source = row[7]
    this.marketingConsent = Number(row[8]) === 1
    this.createdAt = row[9]
    this.updatedAt = row[10]
  }
}

/**
 * Tag or group names by id, read once: a page then reads only the links (the
 * name would otherwise be read again for every customer), and each customer's
 * names are put in the order the profile lists them.
 */
class NameList {
  private readonly names = new Map<number, string>()
  private readonly places = new Map<string, number>()

  static async read(read: Read, table: 'tags' | 'customer_groups'): Promise<NameList> {
    const list = new NameList()
    // The order the profile lists them in (compared as SQLite compares text on either engine).
    const rows = await read<[number, string, string]>(`SELECT id, name, name_normalized FROM ${table}`, [])
    rows.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] - b[0]))
    rows.forEach(([id, name], place) => {
      list.names.set(id, name)
      list.places.set(name, place)
    })
    return list
  }

  nameOf(id: number): string | undefined {
    return this.names.get(id)
  }

  sort(names: string[] | undefined): void {
    if (names && names.length > 1) names.sort((a, b) => this.places.get(a)! - this.places.get(b)!)
  }
}

interface Names {
  tags: NameList | null
  groups: NameList | null
}

interface PageContext {
  read: Read
  db: Knex
  ids: number[]
  byId: Map<number, PageCustomer>
  currency: string
  customFieldIds: number[]
  names: Names
}

/** Reads one related table for the page's customers and adds what it found to them. */
const RELATED_READERS: Record<Related, (page: PageContext) => Promise<void>> = {
  // Read in the order of the (customer, position) index, which needs no sort; the primary number is moved first here.
  async phones({ read, db, ids, byId }) {
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id, label, number, is_primary FROM phones WHERE ${where.sql} ORDER BY customer_id, position, id`
    for (const [id, label, number, primary] of await read<[number, PhoneLabel, string, number]>(sql, where.bindings)) {
      const customer = byId.get(id)
      if (!customer) continue
      const numbers = (customer.phones ??= {})
      const before = numbers[label]
      numbers[label] = before === undefined ? number : primary ? `${number}; ${before}` : `${before}; ${number}`
    }
  },
  async address({ read, db, ids, byId }) {
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id, is_default_letters, line1, line2, city, region, postcode, country FROM addresses
      WHERE ${where.sql} ORDER BY customer_id, position, id`
    for (const [id, forLetters, line1, line2, city, region, postcode, country] of await read<[number, number, ...string[]]>(sql, where.bindings)) {
      const customer = byId.get(id)
      if (customer && (!customer.address || forLetters)) {
        customer.address = { line1: line1!, line2: line2!, city: city!, region: region!, postcode: postcode!, country: country! }
      }
    }
  },
  async tags({ read, db, ids, byId, names }) {
    const where = onPage(db, ids, 'customer_id')
    for (const [id, tagId] of await read<[number, number]>(`SELECT customer_id, tag_id FROM customer_tags WHERE ${where.sql}`, where.bindings)) {
      const customer = byId.get(id)
      const tag = names.tags?.nameOf(tagId)
      if (customer && tag) (customer.tags ??= []).push(tag)
    }
  },
  async groups({ read, db, ids, byId, names }) {
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id, group_id FROM customer_group_members WHERE ${where.sql}`
    for (const [id, groupId] of await read<[number, number]>(sql, where.bindings)) {
      const customer = byId.get(id)
      const group = names.groups?.nameOf(groupId)
      if (customer && group) (customer.groups ??= []).push(group)
    }
  },
  async custom({ read, db, ids, byId, customFieldIds }) {
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id, field_id, value FROM customer_custom_values
      WHERE ${where.sql} AND field_id IN (${customFieldIds.map(() => '?').join(',')})`
    for (const [id, fieldId, value] of await read<[number, number, string]>(sql, [...where.bindings, ...customFieldIds])) {
      const customer = byId.get(id)
      if (customer) (customer.custom ??= new Map()).set(fieldId, value)
    }
  },
  async bookings({ read, db, ids, byId, currency }) {
    // As the profile's money totals: cancelled bookings count for nothing but keep what was paid (less refunds);
    // plans sold and collected are money, not bookings.
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id,
        sum(CASE WHEN status <> 'cancelled' AND plan_id IS NULL THEN 1 ELSE 0 END) AS bookings,
        sum(CASE WHEN currency = ? THEN paid_minor ELSE 0 END) AS received,
        sum(CASE WHEN currency = ? AND outstanding_minor > 0 THEN outstanding_minor ELSE 0 END) AS outstanding
      FROM bookings WHERE ${where.sql} GROUP BY customer_id`
    for (const [id, bookings, received, outstanding] of await read<number[]>(sql, [currency, currency, ...where.bindings])) {
      const customer = byId.get(id!)
      if (!customer) continue
      customer.bookings = Number(bookings)
      customer.receivedMinor = Number(received)
      customer.outstandingMinor = Number(outstanding)
    }
  },
  async notes({ read, db, ids, byId }) {
    const where = onPage(db, ids, 'customer_id')
    const sql = `SELECT customer_id, body, created_at FROM notes WHERE ${where.sql} ORDER BY customer_id, created_at DESC, id DESC`
    for (const [id, body, createdAt] of await read<[number, string, string]>(sql, where.bindings)) {
      const customer = byId.get(id)
      if (customer) (customer.notes ??= []).push({ day: dayOf(createdAt), body })
    }
  },
}

/**
 * The scope's customers as rows of values, one value per chosen column, a
 * page at a time. Text is in NFC; money is in minor units of `currency`.
 */
export function exportRowPages(db: Knex, scope: Walk, columns: readonly ColumnSpec[], currency: string): AsyncGenerator<CellValue[][]> {
  return rowPagesOf(db, columns, currency)(scope)
}

/**
 * The same for one walk after another (the pieces of an export) on one connection: its statements
 * prepared, and the tag and group names read, once for them all.
 */
export function rowPagesOf(db: Knex, columns: readonly ColumnSpec[], currency: string): (scope: Walk) => AsyncGenerator<CellValue[][]> {
  const needs = [...new Set(columns.flatMap((c) => (c.needs ? [c.needs] : [])))]
  const customFieldIds = columns.flatMap((c) => (c.key.startsWith('custom:') ? [Number(c.key.slice('custom:'.length))] : []))
  const read = readerOf(db)
  let names: Names | null = null
  return async function* (scope) {
    names ??= {
      tags: needs.includes('tags') ? await NameList.read(read, 'tags') : null,
      groups: needs.includes('groups') ? await NameList.read(read, 'customer_groups') : null,
    }
    yield* pagesOf(scope, { read, db, needs, customFieldIds, names, columns, currency })
  }
}

async function* pagesOf(
  scope: Walk,
  { read, db, needs, customFieldIds, names, columns, currency }: { read: Read; db: Knex; needs: Related[]; customFieldIds: number[]; names: Names; columns: readonly ColumnSpec[]; currency: string },
): AsyncGenerator<CellValue[][]> {
  const textColumns = columns.map((c) => c.kind === 'text')
  let after = scope.from === undefined ? 0 : scope.from - 1
  for (let page = 0; scope.ids === null || page * PAGE_SIZE < scope.ids.length; page++) {
    const customers = (await readCustomerPage(read, db, scope, page, after)).map((row) => new PageCustomer(row))
    if (customers.length) {
      const byId = new Map(customers.map((c) => [c.id, c]))
      const context: PageContext = { read, db, ids: customers.map((c) => c.id), byId, currency, customFieldIds, names }
      for (const related of needs) await RELATED_READERS[related](context)
      for (const customer of customers) {
        names.tags?.sort(customer.tags)
        names.groups?.sort(customer.groups)
      }
    }
    // A page of ticked customers may have gone to the recycle bin since; the walk of all ends at an empty page.
    if (!customers.length && scope.ids === null) return
    if (!customers.length) continue
    after = customers[customers.length - 1]!.id
    yield customers.map((customer) => {
      const values: CellValue[] = new Array(columns.length)
      for (let i = 0; i < columns.length; i++) {
        const value = columns[i]!.value(customer)
        values[i] = textColumns[i] && typeof value === 'string' && value !== '' ? nfc(value) : value
      }
      return values
    })
  }
}
