import type { Knex } from 'knex'

/*
 * SQLite's side of the report totals (see Dialect.createReportTotals): the
 * tables, the triggers that keep them in step with every write, and the
 * backfill from the rows already there. Days are the desk's calendar days
 * (the machine's local time zone) as integers, 20260131; months as 202601.
 */

const day = (column: string) => `CAST(strftime('%Y%m%d', ${column}, 'localtime') AS INTEGER)`
const month = (column: string) => `CAST(strftime('%Y%m', ${column}, 'localtime') AS INTEGER)`
/** Status, marketing consent and unsubscribed in one key: 'active:1:0'. */
const customerKey = (row: string) =>
  `${row}.status || ':' || (CASE WHEN ${row}.marketing_consent THEN 1 ELSE 0 END) || ':' || (CASE WHEN ${row}.unsubscribed THEN 1 ELSE 0 END)`
const signed = (row: string) => `(CASE ${row}.kind WHEN 'refund' THEN -${row}.amount_minor ELSE ${row}.amount_minor END)`

const ON_TOTALS = `ON CONFLICT (measure, day, key) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount`
const ON_MONTHS = `ON CONFLICT (month, customer_id) DO UPDATE SET paid = paid + excluded.paid`
const ON_CUSTOMERS = `ON CONFLICT (customer_id) DO UPDATE SET paid = paid + excluded.paid, owed = owed + excluded.owed`

/** Adds a select's (measure, day, key, n, amount) rows to the totals; the select must have a WHERE (SQLite's upsert grammar). */
const addTotals = (select: string) => `INSERT INTO report_totals (measure, day, key, n, amount) ${select} ${ON_TOTALS};`

/** The customer's tags (or groups) counted on the day the customer was made, `sign` 1 or -1, when `when` holds. */
const memberships = (table: 'customer_tags' | 'customer_group_members', column: 'tag_id' | 'group_id', measure: string, row: string, sign: number, when: string) =>
  addTotals(`SELECT '${measure}', ${day(`${row}.created_at`)}, m.${column}, ${sign}, 0 FROM ${table} m WHERE m.customer_id = ${row}.id AND ${when}`)

/** A membership row's count for its customer (not in the recycle bin). */
const membership = (table: string, column: string, measure: string, row: string, sign: number) =>
  addTotals(`SELECT '${measure}', ${day('c.created_at')}, ${row}.${column}, ${sign}, 0 FROM customers c WHERE c.id = ${row}.customer_id AND c.status <> 'deleted'`)

/** A booking's places in the per-item totals: one booking per item however many lines name it, and the lines' value. */
const bookingItems = (row: string, sign: number) =>
  addTotals(`SELECT 'item', ${day(`${row}.created_at`)}, s.item_id, ${sign}, ${sign} * sum(l.total_minor)
    FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id
    WHERE l.booking_id = ${row}.id AND ${row}.status <> 'cancelled' GROUP BY s.item_id`)

/** One line in the per-item totals; it counts a booking only when no other line of the booking names the same item. */
const lineItem = (row: string, sign: number) =>
  addTotals(`SELECT 'item', ${day('b.created_at')}, s.item_id,
      CASE WHEN EXISTS (SELECT 1 FROM booking_lines o JOIN catalogue_sessions os ON os.id = o.session_id
        WHERE o.booking_id = ${row}.booking_id AND o.id <> ${row}.id AND os.item_id = s.item_id) THEN 0 ELSE ${sign} END,
      ${sign} * ${row}.total_minor
    FROM bookings b, catalogue_sessions s WHERE b.id = ${row}.booking_id AND s.id = ${row}.session_id AND b.status <> 'cancelled'`)

/**
 * A booking in the per-source and owing totals and its customer's amount owed.
 * A plan's sale or collection owes like a booking but is not a booking by source.
 */
const bookingTotals = (row: string, sign: number, plansAsOrders: boolean) => [
  addTotals(
    `SELECT 'source', ${day(`${row}.created_at`)}, ${row}.source, ${sign}, ${sign} * ${row}.total_minor
    WHERE ${row}.status <> 'cancelled'${plansAsOrders ? ` AND ${row}.plan_id IS NULL` : ''}`,
  ),
  addTotals(
    `SELECT 'owing', ${day(`${row}.created_at`)}, '', ${sign}, ${sign} * ${row}.outstanding_minor WHERE ${row}.outstanding_minor > 0 AND ${row}.customer_id IS NOT NULL`,
  ),
  `INSERT INTO report_customers (customer_id, paid, owed) SELECT ${row}.customer_id, 0, ${sign} * ${row}.outstanding_minor
    WHERE ${row}.customer_id IS NOT NULL AND ${row}.outstanding_minor > 0 ${ON_CUSTOMERS};`,
]

/** A customer's payments on one booking in the per-month and lifetime amounts paid (refunds aside: these bound what a customer can have paid). */
const bookingPaid = (booking: string, customer: string, sign: number) => [
  `INSERT INTO report_customer_months (month, customer_id, paid)
    SELECT ${month('p.taken_at')}, ${customer}, ${sign} * sum(p.amount_minor) FROM payments p
    WHERE p.booking_id = ${booking} AND p.kind = 'payment' AND ${customer} IS NOT NULL GROUP BY 1 ${ON_MONTHS};`,
  `INSERT INTO report_customers (customer_id, paid, owed)
    SELECT ${customer}, ${sign} * sum(p.amount_minor), 0 FROM payments p
    WHERE p.booking_id = ${booking} AND p.kind = 'payment' AND ${customer} IS NOT NULL GROUP BY p.booking_id ${ON_CUSTOMERS};`,
]

/** One payment or refund in the day's takings and, for a payment, its customer's month and lifetime amounts. */
const payment = (row: string, sign: number) => [
  addTotals(`SELECT 'income', ${day(`${row}.taken_at`)}, '', ${sign}, ${sign} * ${signed(row)} WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.id = ${row}.booking_id)`),
  `INSERT INTO report_customer_months (month, customer_id, paid)
    SELECT ${month(`${row}.taken_at`)}, b.customer_id, ${sign} * ${row}.amount_minor FROM bookings b
    WHERE b.id = ${row}.booking_id AND b.customer_id IS NOT NULL AND ${row}.kind = 'payment' ${ON_MONTHS};`,
  `INSERT INTO report_customers (customer_id, paid, owed)
    SELECT b.customer_id, ${sign} * ${row}.amount_minor, 0 FROM bookings b
    WHERE b.id = ${row}.booking_id AND b.customer_id IS NOT NULL AND ${row}.kind = 'payment' ${ON_CUSTOMERS};`,
]

const bookingColumns = (plansAsOrders: boolean) =>
  ['status', 'source', 'total_minor', 'outstanding_minor', 'created_at', 'customer_id', ...(plansAsOrders ? ['plan_id'] : [])]

const changed = (columns: string[]) => columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')

/**
 * The triggers as of a schema: before plans were sold as orders (the report
 * totals' own migration) or after (bookings then have plan_id).
 */
const triggers = ({ plansAsOrders }: { plansAsOrders: boolean }): Array<[name: string, sql: string]> => [
  // Customers: made per day by status and consent; their tags and groups.
  ['report_customers_insert', `AFTER INSERT ON customers BEGIN
    ${addTotals(`SELECT 'customers', ${day('NEW.created_at')}, ${customerKey('NEW')}, 1, 0 WHERE true`)} END`],
  [
    'report_customers_update',
    `AFTER UPDATE OF status, marketing_consent, unsubscribed, created_at ON customers
    WHEN ${changed(['status', 'marketing_consent', 'unsubscribed', 'created_at'])} BEGIN
    ${addTotals(`SELECT 'customers', ${day('OLD.created_at')}, ${customerKey('OLD')}, -1, 0 WHERE true`)}
    ${addTotals(`SELECT 'customers', ${day('NEW.created_at')}, ${customerKey('NEW')}, 1, 0 WHERE true`)}
    ${memberships('customer_tags', 'tag_id', 'tag', 'OLD', -1, `OLD.status <> 'deleted' AND (NEW.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_tags', 'tag_id', 'tag', 'NEW', 1, `NEW.status <> 'deleted' AND (OLD.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'OLD', -1, `OLD.status <> 'deleted' AND (NEW.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'NEW', 1, `NEW.status <> 'deleted' AND (OLD.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    END`,
  ],
  // Before: the tags and groups go with the customer (by cascade), after this trigger could read them.
  [
    'report_customers_before_delete',
    `BEFORE DELETE ON customers BEGIN
    ${memberships('customer_tags', 'tag_id', 'tag', 'OLD', -1, `OLD.status <> 'deleted'`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'OLD', -1, `OLD.status <> 'deleted'`)}
    END`,
  ],
  [
    'report_customers_delete',
    `AFTER DELETE ON customers BEGIN
    ${addTotals(`SELECT 'customers', ${day('OLD.created_at')}, ${customerKey('OLD')}, -1, 0 WHERE true`)}
    DELETE FROM report_customers WHERE customer_id = OLD.id; END`,
  ],
  ['report_tags_insert', `AFTER INSERT ON customer_tags BEGIN ${membership('customer_tags', 'tag_id', 'tag', 'NEW', 1)} END`],
  ['report_tags_delete', `AFTER DELETE ON customer_tags BEGIN ${membership('customer_tags', 'tag_id', 'tag', 'OLD', -1)} END`],
  [
    'report_tags_update',
    `AFTER UPDATE OF tag_id, customer_id ON customer_tags BEGIN
    ${membership('customer_tags', 'tag_id', 'tag', 'OLD', -1)} ${membership('customer_tags', 'tag_id', 'tag', 'NEW', 1)} END`,
  ],
  ['report_groups_insert', `AFTER INSERT ON customer_group_members BEGIN ${membership('customer_group_members', 'group_id', 'group', 'NEW', 1)} END`],
  ['report_groups_delete', `AFTER DELETE ON customer_group_members BEGIN ${membership('customer_group_members', 'group_id', 'group', 'OLD', -1)} END`],
  [
    'report_groups_update',
    `AFTER UPDATE OF group_id, customer_id ON customer_group_members BEGIN
    ${membership('customer_group_members', 'group_id', 'group', 'OLD', -1)} ${membership('customer_group_members', 'group_id', 'group', 'NEW', 1)} END`,
  ],
  // Bookings: per source and owing by the day made; per item through their lines; who paid.
  ['report_bookings_insert', `AFTER INSERT ON bookings BEGIN ${bookingTotals('NEW', 1, plansAsOrders).join('\n')} END`],
  [
    'report_bookings_update',
    `AFTER UPDATE OF ${bookingColumns(plansAsOrders).join(', ')} ON bookings
    WHEN ${changed(bookingColumns(plansAsOrders))} BEGIN
    ${bookingTotals('OLD', -1, plansAsOrders).join('\n')} ${bookingTotals('NEW', 1, plansAsOrders).join('\n')} END`,
  ],
  [
    'report_bookings_items',
    `AFTER UPDATE OF status, created_at ON bookings
    WHEN (OLD.status = 'cancelled') IS NOT (NEW.status = 'cancelled') OR OLD.created_at IS NOT NEW.created_at BEGIN
    ${bookingItems('OLD', -1)} ${bookingItems('NEW', 1)} END`,
  ],
  // A booking moving to another customer, or losing its customer when the customer is purged.
  [
    'report_bookings_payer',
    `AFTER UPDATE OF customer_id ON bookings WHEN OLD.customer_id IS NOT NEW.customer_id BEGIN
    ${bookingPaid('OLD.id', 'OLD.customer_id', -1).join('\n')} ${bookingPaid('NEW.id', 'NEW.customer_id', 1).join('\n')} END`,
  ],
  // Before: its lines and payments go with it (by cascade), after this trigger could read them.
  [
    'report_bookings_before_delete',
    `BEFORE DELETE ON bookings BEGIN
    ${bookingItems('OLD', -1)}
    ${addTotals(`SELECT 'income', ${day('p.taken_at')}, '', -count(*), -sum(${signed('p')}) FROM payments p WHERE p.booking_id = OLD.id GROUP BY 2`)}
    ${bookingPaid('OLD.id', 'OLD.customer_id', -1).join('\n')} END`,
  ],
  ['report_bookings_delete', `AFTER DELETE ON bookings BEGIN ${bookingTotals('OLD', -1, plansAsOrders).join('\n')} END`],
  ['report_lines_insert', `AFTER INSERT ON booking_lines BEGIN ${lineItem('NEW', 1)} END`],
  ['report_lines_delete', `AFTER DELETE ON booking_lines BEGIN ${lineItem('OLD', -1)} END`],
  [
    'report_lines_update',
    `AFTER UPDATE OF session_id, total_minor, booking_id ON booking_lines
    WHEN ${changed(['session_id', 'total_minor', 'booking_id'])} BEGIN ${lineItem('OLD', -1)} ${lineItem('NEW', 1)} END`,
  ],
  // Payments and refunds: the day's takings, and what each customer paid.
  ['report_payments_insert', `AFTER INSERT ON payments BEGIN ${payment('NEW', 1).join('\n')} END`],
  ['report_payments_delete', `AFTER DELETE ON payments BEGIN ${payment('OLD', -1).join('\n')} END`],
  [
    'report_payments_update',
    `AFTER UPDATE OF kind, amount_minor, taken_at, booking_id ON payments
    WHEN ${changed(['kind', 'amount_minor', 'taken_at', 'booking_id'])} BEGIN ${payment('OLD', -1).join('\n')} ${payment('NEW', 1).join('\n')} END`,
  ],
]

/**
 * Rows counted per UTC minute first, then each minute turned into its local
 * day: the local-time conversion costs a time-zone look-up per call, and every
 * zone's offset is a whole number of minutes.
 */
const minute = (column: string) => `substr(${column}, 1, 16)`
const perDay = (measure: string, perMinute: string, upsert = '') =>
  `INSERT INTO report_totals (measure, day, key, n, amount)
    SELECT '${measure}', ${day('m')} AS d, k, sum(n), sum(amount) FROM (${perMinute}) WHERE true GROUP BY d, k ${upsert}`

/** The customers' own totals (made per day by status and consent; their tags and groups) from every customer there. */
const customerTotals = (upsert = '') => [
  perDay('customers', `SELECT ${minute('c.created_at')} AS m, ${customerKey('c')} AS k, count(*) AS n, 0 AS amount FROM customers c GROUP BY m, k`, upsert),
  perDay(
    'tag',
    `SELECT ${minute('c.created_at')} AS m, t.tag_id AS k, count(*) AS n, 0 AS amount FROM customer_tags t JOIN customers c ON c.id = t.customer_id
    WHERE c.status <> 'deleted' GROUP BY m, k`,
    upsert,
  ),
  perDay(
    'group',
    `SELECT ${minute('c.created_at')} AS m, g.group_id AS k, count(*) AS n, 0 AS amount FROM customer_group_members g JOIN customers c ON c.id = g.customer_id
    WHERE c.status <> 'deleted' GROUP BY m, k`,
    upsert,
  ),
]

/**
 * The triggers that count each customer, tag and list membership as it is
 * written, and the statements that count them all at once instead: for a
 * load into an address book that had no customers (see db/bulk.ts), which
 * sets the triggers aside and then adds every customer there to the totals.
 */
export const CUSTOMER_TOTALS_INSERT_TRIGGERS = ['report_customers_insert', 'report_tags_insert', 'report_groups_insert']
export const addCustomerTotalsSql = customerTotals(ON_TOTALS)

/**
 * The local month of many times at once: a UTC day from the 2nd to the 27th
 * is in the same month everywhere (every zone is less than a day from UTC), so
 * only times near a month's end pay for the local-time conversion.
 */
const monthOfMany = (column: string) =>
  `CASE WHEN substr(${column}, 9, 2) BETWEEN '02' AND '27' THEN CAST(substr(${column}, 1, 4) || substr(${column}, 6, 2) AS INTEGER) ELSE ${month(column)} END`

/**
 * Each total from the rows already there: one grouped statement per measure.
 * Once plans are sold as orders (bookings have plan_id), their orders are not
 * bookings by source, as the triggers of that schema count them.
 */
const backfill = (plansAsOrders: boolean) => {
  const made = `status <> 'cancelled'${plansAsOrders ? ' AND plan_id IS NULL' : ''}`
  return [
    ...customerTotals(),
    // One pass over the bookings for both the per-source and the owing totals.
    `CREATE TEMP TABLE report_booking_minutes AS
      SELECT ${minute('created_at')} AS m, source,
        sum(${made}) AS made, sum(CASE WHEN ${made} THEN total_minor ELSE 0 END) AS value,
        sum(outstanding_minor > 0 AND customer_id IS NOT NULL) AS owing,
        sum(CASE WHEN outstanding_minor > 0 AND customer_id IS NOT NULL THEN outstanding_minor ELSE 0 END) AS owed
      FROM bookings GROUP BY m, source`,
    perDay('source', `SELECT m, source AS k, made AS n, value AS amount FROM report_booking_minutes WHERE made > 0`),
    perDay('owing', `SELECT m, '' AS k, owing AS n, owed AS amount FROM report_booking_minutes WHERE owing > 0`),
    'DROP TABLE temp.report_booking_minutes',
    // A booking's lines naming the same item count it once: a booking is made in one minute, so distinct per minute is distinct.
    perDay(
      'item',
      `SELECT ${minute('b.created_at')} AS m, s.item_id AS k, count(DISTINCT l.booking_id) AS n, sum(l.total_minor) AS amount
      FROM booking_lines l JOIN bookings b ON b.id = l.booking_id JOIN catalogue_sessions s ON s.id = l.session_id
      WHERE b.status <> 'cancelled' GROUP BY m, k`,
    ),
    perDay('income', `SELECT ${minute('p.taken_at')} AS m, '' AS k, count(*) AS n, sum(${signed('p')}) AS amount FROM payments p GROUP BY m`),
    `INSERT INTO report_customer_months (month, customer_id, paid)
      SELECT ${monthOfMany('p.taken_at')} AS mo, b.customer_id AS c, sum(p.amount_minor) FROM payments p JOIN bookings b ON b.id = p.booking_id
      WHERE p.kind = 'payment' AND b.customer_id IS NOT NULL GROUP BY mo, c`,
    `INSERT INTO report_customers (customer_id, paid, owed)
      SELECT customer_id, sum(paid), 0 FROM report_customer_months GROUP BY customer_id`,
    `INSERT INTO report_customers (customer_id, paid, owed)
      SELECT customer_id, 0, sum(outstanding_minor) FROM bookings WHERE outstanding_minor > 0 AND customer_id IS NOT NULL GROUP BY customer_id
      ${ON_CUSTOMERS}`,
  ]
}

export async function createSqliteReportTotals(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE report_totals (
    measure TEXT NOT NULL, day INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, amount INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (measure, day, key)) WITHOUT ROWID`)
  await knex.raw(`CREATE TABLE report_customer_months (
    month INTEGER NOT NULL, customer_id INTEGER NOT NULL, paid INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, customer_id)) WITHOUT ROWID`)
  await knex.raw(`CREATE TABLE report_customers (
    customer_id INTEGER PRIMARY KEY, paid INTEGER NOT NULL DEFAULT 0, owed INTEGER NOT NULL DEFAULT 0)`)
  // Made by its migration before plans were sold as orders; made again later, the totals and triggers are those of the schema then.
  const plansAsOrders = await knex.schema.hasColumn('bookings', 'plan_id')
  for (const sql of backfill(plansAsOrders)) await knex.raw(sql)
  await knex.raw(`CREATE INDEX report_customer_months_paid ON report_customer_months (month, paid DESC, customer_id) WHERE paid > 0`)
  await knex.raw(`CREATE INDEX report_customers_paid ON report_customers (paid DESC, customer_id) WHERE paid > 0`)
  await knex.raw(`CREATE INDEX report_customers_owed ON report_customers (owed DESC, customer_id) WHERE owed > 0`)
  // Owing bookings by customer and by the time they were made, for the outstanding balances of a period.
  await knex.raw(`CREATE INDEX bookings_owing_made ON bookings (customer_id, created_at, outstanding_minor) WHERE outstanding_minor > 0`)
  await knex.raw(`CREATE INDEX bookings_owing_when ON bookings (created_at, customer_id, outstanding_minor) WHERE outstanding_minor > 0`)
  await createSqliteReportTriggers(knex, { plansAsOrders })
}

/** The triggers alone, for a migration that rebuilds a table they read (their totals stay as they are). */
export async function createSqliteReportTriggers(knex: Knex, schema: { plansAsOrders: boolean }): Promise<void> {
  for (const [name, body] of triggers(schema)) await knex.raw(`CREATE TRIGGER ${name} ${body}`)
}

export async function dropSqliteReportTriggers(knex: Knex): Promise<void> {
  for (const [name] of triggers({ plansAsOrders: false })) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`)
}

export async function dropSqliteReportTotals(knex: Knex): Promise<void> {
  await dropSqliteReportTriggers(knex)
  await knex.raw('DROP INDEX IF EXISTS bookings_owing_made')
  await knex.raw('DROP INDEX IF EXISTS bookings_owing_when')
  for (const table of ['report_totals', 'report_customer_months', 'report_customers']) await knex.raw(`DROP TABLE IF EXISTS ${table}`)
}
