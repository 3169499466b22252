import type { Knex } from 'knex'

/*
 * PostgreSQL's side of the report totals (see Dialect.createReportTotals):
 * the same tables and totals as SQLite's (sqliteReportTotals.ts), kept by
 * PL/pgSQL triggers. Days are the desk's calendar days as integers, 20260131;
 * months as 202601. The desk's calendar is the connection's time zone (the
 * session's TimeZone), as SQLite's 'localtime' is the writing process's.
 */

/**
 * Times are ISO strings; one without a zone is UTC, as SQLite reads it
 * (PostgreSQL would read it in the session's zone). No question marks in
 * this SQL: Knex would take them for bindings.
 */
const TIME_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION frontdesk_instant(t text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN t ~ '\\d:\\d\\d.*(Z|z|[+-]\\d\\d(:{0,1}\\d\\d){0,1})$' THEN t::timestamptz ELSE t::timestamp AT TIME ZONE 'UTC' END $$`,
  `CREATE OR REPLACE FUNCTION frontdesk_local_day(t text) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT to_char(frontdesk_instant(t), 'YYYYMMDD')::integer $$`,
  `CREATE OR REPLACE FUNCTION frontdesk_local_month(t text) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT to_char(frontdesk_instant(t), 'YYYYMM')::integer $$`,
]

const day = (column: string) => `frontdesk_local_day(${column})`
const month = (column: string) => `frontdesk_local_month(${column})`
/** Status, marketing consent and unsubscribed in one key: 'active:1:0'. */
const customerKey = (row: string) =>
  `(${row}.status || ':' || (CASE WHEN ${row}.marketing_consent THEN '1' ELSE '0' END) || ':' || (CASE WHEN ${row}.unsubscribed THEN '1' ELSE '0' END))`
const signed = (row: string) => `(CASE ${row}.kind WHEN 'refund' THEN -${row}.amount_minor ELSE ${row}.amount_minor END)`

const ON_TOTALS = `ON CONFLICT (measure, day, key) DO UPDATE SET n = report_totals.n + excluded.n, amount = report_totals.amount + excluded.amount`
const ON_MONTHS = `ON CONFLICT (month, customer_id) DO UPDATE SET paid = report_customer_months.paid + excluded.paid`
const ON_CUSTOMERS = `ON CONFLICT (customer_id) DO UPDATE SET paid = report_customers.paid + excluded.paid, owed = report_customers.owed + excluded.owed`

/** Adds a select's (measure, day, key, n, amount) rows to the totals; the select gives each (day, key) once. */
const addTotals = (select: string) => `INSERT INTO report_totals (measure, day, key, n, amount) ${select} ${ON_TOTALS};`

/** The customer's tags (or groups) counted on the day the customer was made, `sign` 1 or -1, when `when` holds. */
const memberships = (table: 'customer_tags' | 'customer_group_members', column: 'tag_id' | 'group_id', measure: string, row: string, sign: number, when: string) =>
  `IF ${when} THEN ${addTotals(`SELECT '${measure}', ${day(`${row}.created_at`)}, m.${column}::text, ${sign}, 0 FROM ${table} m WHERE m.customer_id = ${row}.id`)} END IF;`

/** A membership row's count for its customer (not in the recycle bin). */
const membership = (table: string, column: string, measure: string, row: string, sign: number) =>
  addTotals(`SELECT '${measure}', ${day('c.created_at')}, ${row}.${column}::text, ${sign}, 0 FROM customers c WHERE c.id = ${row}.customer_id AND c.status <> 'deleted'`)

/** A booking's places in the per-item totals: one booking per item however many lines name it, and the lines' value. */
const bookingItems = (row: string, sign: number) =>
  addTotals(`SELECT 'item', ${day(`${row}.created_at`)}, s.item_id::text, ${sign}, ${sign} * sum(l.total_minor)
    FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id
    WHERE l.booking_id = ${row}.id AND ${row}.status <> 'cancelled' GROUP BY s.item_id`)

/**
 * The lines a statement added and removed, in the per-item totals: their
 * value, and a booking counted once per item, when its first line of the
 * item comes or its last goes. PostgreSQL runs row triggers after the whole
 * statement, so a row trigger would see the statement's other lines already
 * there; this runs once per statement over what the statement changed, and
 * works out how many lines of each booking and item there were before it.
 */
const linesChanged = (added: 'new_rows' | null, removed: 'old_rows' | null) => {
  const parts = [
    ...(added ? [`SELECT n.booking_id, s.item_id, 1 AS added, 0 AS removed, n.total_minor AS amount FROM ${added} n JOIN catalogue_sessions s ON s.id = n.session_id`] : []),
    ...(removed ? [`SELECT o.booking_id, s.item_id, 0 AS added, 1 AS removed, -o.total_minor AS amount FROM ${removed} o JOIN catalogue_sessions s ON s.id = o.session_id`] : []),
  ]
  return addTotals(`SELECT 'item', d, k, sum(n), sum(amount) FROM (
      SELECT ${day('b.created_at')} AS d, ch.item_id::text AS k, ch.amount,
        (CASE WHEN cur.n > 0 THEN 1 ELSE 0 END) - (CASE WHEN cur.n - ch.added + ch.removed > 0 THEN 1 ELSE 0 END) AS n
      FROM (SELECT booking_id, item_id, sum(added) AS added, sum(removed) AS removed, sum(amount) AS amount
            FROM (${parts.join(' UNION ALL ')}) moved GROUP BY booking_id, item_id) ch
      JOIN bookings b ON b.id = ch.booking_id AND b.status <> 'cancelled'
      CROSS JOIN LATERAL (SELECT count(*) AS n FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id
                          WHERE l.booking_id = ch.booking_id AND s.item_id = ch.item_id) cur
      WHERE ch.added <> ch.removed OR ch.amount <> 0) per_booking
    GROUP BY d, k`)
}

/**
 * A customer's lifetime row is gone with the customer. When a customer is
 * purged, their bookings let go of them (the foreign key's own trigger)
 * before or after the customer's delete trigger, as PostgreSQL orders them:
 * either way nothing is written back for a customer no longer there.
 */
const customerStays = (customer: string) => `EXISTS (SELECT 1 FROM customers WHERE id = ${customer})`

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
    WHERE ${row}.customer_id IS NOT NULL AND ${row}.outstanding_minor > 0 AND ${customerStays(`${row}.customer_id`)} ${ON_CUSTOMERS};`,
]

/** A customer's payments on one booking in the per-month and lifetime amounts paid (refunds aside: these bound what a customer can have paid). */
const bookingPaid = (booking: string, customer: string, sign: number) => [
  `INSERT INTO report_customer_months (month, customer_id, paid)
    SELECT ${month('p.taken_at')}, ${customer}, ${sign} * sum(p.amount_minor) FROM payments p
    WHERE p.booking_id = ${booking} AND p.kind = 'payment' AND ${customer} IS NOT NULL GROUP BY 1 ${ON_MONTHS};`,
  `INSERT INTO report_customers (customer_id, paid, owed)
    SELECT ${customer}, ${sign} * sum(p.amount_minor), 0 FROM payments p
    WHERE p.booking_id = ${booking} AND p.kind = 'payment' AND ${customer} IS NOT NULL AND ${customerStays(customer)} GROUP BY p.booking_id ${ON_CUSTOMERS};`,
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

/*
 * The same totals once per statement, over the rows it inserted or deleted (`rows`): a bulk write (an
 * import, sample data, removing a tag from thousands) pays one grouped statement per total instead of
 * one trigger call per row. Each select gives every key once, as ON CONFLICT needs in one statement.
 */

/** Customers made, per day by status and consent. */
const customersMade = (rows: string, sign: number) =>
  addTotals(`SELECT 'customers', ${day('r.created_at')} AS d, ${customerKey('r')} AS k, ${sign} * count(*), 0 FROM ${rows} r GROUP BY d, k`)

/** Tag or group memberships, per day their customer was made (customers not in the recycle bin). */
const membershipsMoved = (column: 'tag_id' | 'group_id', measure: string, rows: string, sign: number) =>
  addTotals(`SELECT '${measure}', ${day('c.created_at')} AS d, r.${column}::text AS k, ${sign} * count(*), 0
    FROM ${rows} r JOIN customers c ON c.id = r.customer_id WHERE c.status <> 'deleted' GROUP BY d, k`)

/** Bookings made: per source and owing by the day made, and their customers' amounts owed. */
const bookingsMade = (rows: string, plansAsOrders: boolean) => [
  addTotals(
    `SELECT 'source', ${day('r.created_at')} AS d, r.source AS k, count(*), sum(r.total_minor) FROM ${rows} r
    WHERE r.status <> 'cancelled'${plansAsOrders ? ' AND r.plan_id IS NULL' : ''} GROUP BY d, k`,
  ),
  addTotals(
    `SELECT 'owing', ${day('r.created_at')} AS d, '' AS k, count(*), sum(r.outstanding_minor) FROM ${rows} r
    WHERE r.outstanding_minor > 0 AND r.customer_id IS NOT NULL GROUP BY d`,
  ),
  `INSERT INTO report_customers (customer_id, paid, owed) SELECT r.customer_id, 0, sum(r.outstanding_minor) FROM ${rows} r
    WHERE r.customer_id IS NOT NULL AND r.outstanding_minor > 0 AND ${customerStays('r.customer_id')} GROUP BY r.customer_id ${ON_CUSTOMERS};`,
]

/** Payments and refunds, `sign` 1 taken or -1 gone: the days' takings and, for payments, their customers' month and lifetime amounts. */
const paymentsMoved = (rows: string, sign: number) => [
  addTotals(
    `SELECT 'income', ${day('r.taken_at')} AS d, '' AS k, ${sign} * count(*), ${sign} * sum(${signed('r')}) FROM ${rows} r
    WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.id = r.booking_id) GROUP BY d`,
  ),
  `INSERT INTO report_customer_months (month, customer_id, paid)
    SELECT ${month('r.taken_at')} AS mo, b.customer_id, ${sign} * sum(r.amount_minor) FROM ${rows} r JOIN bookings b ON b.id = r.booking_id
    WHERE b.customer_id IS NOT NULL AND r.kind = 'payment' GROUP BY mo, b.customer_id ${ON_MONTHS};`,
  `INSERT INTO report_customers (customer_id, paid, owed)
    SELECT b.customer_id, ${sign} * sum(r.amount_minor), 0 FROM ${rows} r JOIN bookings b ON b.id = r.booking_id
    WHERE b.customer_id IS NOT NULL AND r.kind = 'payment' GROUP BY b.customer_id ${ON_CUSTOMERS};`,
]

const bookingColumns = (plansAsOrders: boolean) =>
  ['status', 'source', 'total_minor', 'outstanding_minor', 'created_at', 'customer_id', ...(plansAsOrders ? ['plan_id'] : [])]

const changed = (columns: string[]) => columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')

interface ReportTrigger {
  name: string
  table: string
  /** When and for which change, e.g. 'AFTER INSERT'. */
  event: string
  /** The trigger's WHEN condition, if any. */
  when?: string
  /** Once per statement, with its changed rows as these tables (e.g. 'NEW TABLE AS new_rows'); otherwise once per row. */
  perStatement?: string
  body: string
}

/** What the report triggers are made for: a schema, and whether inserts and deletes are counted per statement. */
export interface ReportTriggerSchema {
  /** Bookings have plan_id (plans sold as orders), which bookings by source leave out. */
  plansAsOrders: boolean
  /** Inserts (and deletes of memberships and payments) counted once per statement; before, once per row. */
  perStatement: boolean
}

/** A trigger's firing and body: per statement over its changed rows, or per row as `row` (NEW or OLD). */
const eachRowOr = (perStatement: boolean, rows: 'NEW TABLE AS new_rows' | 'OLD TABLE AS old_rows', statement: string, row: string) =>
  perStatement ? { perStatement: rows, body: statement } : { body: row }

/**
 * The triggers as of a schema: before plans were sold as orders (the report
 * totals' own migration) or after (bookings then have plan_id); inserts and
 * deletes counted per row (as first made) or per statement (as made now).
 */
const triggers = ({ plansAsOrders, perStatement }: ReportTriggerSchema): ReportTrigger[] => [
  // Customers: made per day by status and consent; their tags and groups.
  {
    name: 'report_customers_insert',
    table: 'customers',
    event: 'AFTER INSERT',
    ...eachRowOr(perStatement, 'NEW TABLE AS new_rows', customersMade('new_rows', 1), addTotals(`SELECT 'customers', ${day('NEW.created_at')}, ${customerKey('NEW')}, 1, 0`)),
  },
  {
    name: 'report_customers_update',
    table: 'customers',
    event: 'AFTER UPDATE OF status, marketing_consent, unsubscribed, created_at',
    when: changed(['status', 'marketing_consent', 'unsubscribed', 'created_at']),
    body: `${addTotals(`SELECT 'customers', ${day('OLD.created_at')}, ${customerKey('OLD')}, -1, 0`)}
    ${addTotals(`SELECT 'customers', ${day('NEW.created_at')}, ${customerKey('NEW')}, 1, 0`)}
    ${memberships('customer_tags', 'tag_id', 'tag', 'OLD', -1, `OLD.status <> 'deleted' AND (NEW.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_tags', 'tag_id', 'tag', 'NEW', 1, `NEW.status <> 'deleted' AND (OLD.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'OLD', -1, `OLD.status <> 'deleted' AND (NEW.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'NEW', 1, `NEW.status <> 'deleted' AND (OLD.status = 'deleted' OR OLD.created_at <> NEW.created_at)`)}`,
  },
  // Before: the tags and groups go with the customer (by cascade), after this trigger could read them.
  {
    name: 'report_customers_before_delete',
    table: 'customers',
    event: 'BEFORE DELETE',
    body: `${memberships('customer_tags', 'tag_id', 'tag', 'OLD', -1, `OLD.status <> 'deleted'`)}
    ${memberships('customer_group_members', 'group_id', 'group', 'OLD', -1, `OLD.status <> 'deleted'`)}`,
  },
  {
    name: 'report_customers_delete',
    table: 'customers',
    event: 'AFTER DELETE',
    body: `${addTotals(`SELECT 'customers', ${day('OLD.created_at')}, ${customerKey('OLD')}, -1, 0`)}
    DELETE FROM report_customers WHERE customer_id = OLD.id;`,
  },
  {
    name: 'report_tags_insert',
    table: 'customer_tags',
    event: 'AFTER INSERT',
    ...eachRowOr(perStatement, 'NEW TABLE AS new_rows', membershipsMoved('tag_id', 'tag', 'new_rows', 1), membership('customer_tags', 'tag_id', 'tag', 'NEW', 1)),
  },
  // A customer's memberships deleted with them (by cascade) find them gone: their BEFORE DELETE trigger took them out.
  {
    name: 'report_tags_delete',
    table: 'customer_tags',
    event: 'AFTER DELETE',
    ...eachRowOr(perStatement, 'OLD TABLE AS old_rows', membershipsMoved('tag_id', 'tag', 'old_rows', -1), membership('customer_tags', 'tag_id', 'tag', 'OLD', -1)),
  },
  {
    name: 'report_tags_update',
    table: 'customer_tags',
    event: 'AFTER UPDATE OF tag_id, customer_id',
    body: `${membership('customer_tags', 'tag_id', 'tag', 'OLD', -1)} ${membership('customer_tags', 'tag_id', 'tag', 'NEW', 1)}`,
  },
  {
    name: 'report_groups_insert',
    table: 'customer_group_members',
    event: 'AFTER INSERT',
    ...eachRowOr(
      perStatement,
      'NEW TABLE AS new_rows',
      membershipsMoved('group_id', 'group', 'new_rows', 1),
      membership('customer_group_members', 'group_id', 'group', 'NEW', 1),
    ),
  },
  {
    name: 'report_groups_delete',
    table: 'customer_group_members',
    event: 'AFTER DELETE',
    ...eachRowOr(
      perStatement,
      'OLD TABLE AS old_rows',
      membershipsMoved('group_id', 'group', 'old_rows', -1),
      membership('customer_group_members', 'group_id', 'group', 'OLD', -1),
    ),
  },
  {
    name: 'report_groups_update',
    table: 'customer_group_members',
    event: 'AFTER UPDATE OF group_id, customer_id',
    body: `${membership('customer_group_members', 'group_id', 'group', 'OLD', -1)} ${membership('customer_group_members', 'group_id', 'group', 'NEW', 1)}`,
  },
  // Bookings: per source and owing by the day made; per item through their lines; who paid.
  {
    name: 'report_bookings_insert',
    table: 'bookings',
    event: 'AFTER INSERT',
    ...eachRowOr(perStatement, 'NEW TABLE AS new_rows', bookingsMade('new_rows', plansAsOrders).join('\n'), bookingTotals('NEW', 1, plansAsOrders).join('\n')),
  },
  {
    name: 'report_bookings_update',
    table: 'bookings',
    event: `AFTER UPDATE OF ${bookingColumns(plansAsOrders).join(', ')}`,
    when: changed(bookingColumns(plansAsOrders)),
    body: `${bookingTotals('OLD', -1, plansAsOrders).join('\n')} ${bookingTotals('NEW', 1, plansAsOrders).join('\n')}`,
  },
  {
    name: 'report_bookings_items',
    table: 'bookings',
    event: 'AFTER UPDATE OF status, created_at',
    when: `(OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled') OR OLD.created_at IS DISTINCT FROM NEW.created_at`,
    body: `${bookingItems('OLD', -1)} ${bookingItems('NEW', 1)}`,
  },
  // A booking moving to another customer, or losing its customer when the customer is purged.
  {
    name: 'report_bookings_payer',
    table: 'bookings',
    event: 'AFTER UPDATE OF customer_id',
    when: 'OLD.customer_id IS DISTINCT FROM NEW.customer_id',
    body: `${bookingPaid('OLD.id', 'OLD.customer_id', -1).join('\n')} ${bookingPaid('NEW.id', 'NEW.customer_id', 1).join('\n')}`,
  },
  // Before: its lines and payments go with it (by cascade), after this trigger could read them.
  {
    name: 'report_bookings_before_delete',
    table: 'bookings',
    event: 'BEFORE DELETE',
    body: `${bookingItems('OLD', -1)}
    ${addTotals(`SELECT 'income', ${day('p.taken_at')}, '', -count(*), -sum(${signed('p')}) FROM payments p WHERE p.booking_id = OLD.id GROUP BY 2`)}
    ${bookingPaid('OLD.id', 'OLD.customer_id', -1).join('\n')}`,
  },
  { name: 'report_bookings_delete', table: 'bookings', event: 'AFTER DELETE', body: bookingTotals('OLD', -1, plansAsOrders).join('\n') },
  { name: 'report_lines_insert', table: 'booking_lines', event: 'AFTER INSERT', perStatement: 'NEW TABLE AS new_rows', body: linesChanged('new_rows', null) },
  { name: 'report_lines_delete', table: 'booking_lines', event: 'AFTER DELETE', perStatement: 'OLD TABLE AS old_rows', body: linesChanged(null, 'old_rows') },
  // PostgreSQL allows changed-row tables only on a trigger for every column; updates that move nothing add nothing.
  {
    name: 'report_lines_update',
    table: 'booking_lines',
    event: 'AFTER UPDATE',
    perStatement: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    body: linesChanged('new_rows', 'old_rows'),
  },
  // Payments and refunds: the day's takings, and what each customer paid.
  { name: 'report_payments_insert', table: 'payments', event: 'AFTER INSERT', ...eachRowOr(perStatement, 'NEW TABLE AS new_rows', paymentsMoved('new_rows', 1).join('\n'), payment('NEW', 1).join('\n')) },
  // Payments deleted with their booking (by cascade) find it gone: its BEFORE DELETE trigger took them out.
  { name: 'report_payments_delete', table: 'payments', event: 'AFTER DELETE', ...eachRowOr(perStatement, 'OLD TABLE AS old_rows', paymentsMoved('old_rows', -1).join('\n'), payment('OLD', -1).join('\n')) },
  {
    name: 'report_payments_update',
    table: 'payments',
    event: 'AFTER UPDATE OF kind, amount_minor, taken_at, booking_id',
    when: changed(['kind', 'amount_minor', 'taken_at', 'booking_id']),
    body: `${payment('OLD', -1).join('\n')} ${payment('NEW', 1).join('\n')}`,
  },
]

/**
 * Rows counted per UTC minute first, then each minute turned into its local
 * day: the zone conversion is paid once per minute, not per row, and every
 * zone's offset is a whole number of minutes.
 */
const minute = (column: string) => `substr(${column}, 1, 16)`
const perDay = (measure: string, perMinute: string) =>
  `INSERT INTO report_totals (measure, day, key, n, amount)
    SELECT '${measure}', ${day('m')} AS d, k, sum(n), sum(amount) FROM (${perMinute}) per_minute GROUP BY d, k`

/**
 * Each total from the rows already there: one grouped statement per measure.
 * Once plans are sold as orders (bookings have plan_id), their orders are not
 * bookings by source, as the triggers of that schema count them.
 */
const backfill = (plansAsOrders: boolean) => {
  const made = `status <> 'cancelled'${plansAsOrders ? ' AND plan_id IS NULL' : ''}`
  return [
    perDay('customers', `SELECT ${minute('c.created_at')} AS m, ${customerKey('c')} AS k, count(*) AS n, 0 AS amount FROM customers c GROUP BY m, k`),
    perDay(
      'tag',
      `SELECT ${minute('c.created_at')} AS m, t.tag_id::text AS k, count(*) AS n, 0 AS amount FROM customer_tags t JOIN customers c ON c.id = t.customer_id
      WHERE c.status <> 'deleted' GROUP BY m, k`,
    ),
    perDay(
      'group',
      `SELECT ${minute('c.created_at')} AS m, g.group_id::text AS k, count(*) AS n, 0 AS amount FROM customer_group_members g JOIN customers c ON c.id = g.customer_id
      WHERE c.status <> 'deleted' GROUP BY m, k`,
    ),
    // One pass over the bookings for both the per-source and the owing totals.
    `CREATE TEMP TABLE report_booking_minutes AS
      SELECT ${minute('created_at')} AS m, source,
        count(*) FILTER (WHERE ${made}) AS made, coalesce(sum(total_minor) FILTER (WHERE ${made}), 0) AS value,
        count(*) FILTER (WHERE outstanding_minor > 0 AND customer_id IS NOT NULL) AS owing,
        coalesce(sum(outstanding_minor) FILTER (WHERE outstanding_minor > 0 AND customer_id IS NOT NULL), 0) AS owed
      FROM bookings GROUP BY m, source`,
    perDay('source', `SELECT m, source AS k, made AS n, value AS amount FROM report_booking_minutes WHERE made > 0`),
    perDay('owing', `SELECT m, '' AS k, owing AS n, owed AS amount FROM report_booking_minutes WHERE owing > 0`),
    'DROP TABLE report_booking_minutes',
    // A booking's lines naming the same item count it once: a booking is made in one minute, so distinct per minute is distinct.
    perDay(
      'item',
      `SELECT ${minute('b.created_at')} AS m, s.item_id::text AS k, count(DISTINCT l.booking_id) AS n, sum(l.total_minor) AS amount
      FROM booking_lines l JOIN bookings b ON b.id = l.booking_id JOIN catalogue_sessions s ON s.id = l.session_id
      WHERE b.status <> 'cancelled' GROUP BY m, k`,
    ),
    perDay('income', `SELECT ${minute('p.taken_at')} AS m, '' AS k, count(*) AS n, sum(${signed('p')}) AS amount FROM payments p GROUP BY m`),
    `INSERT INTO report_customer_months (month, customer_id, paid)
      SELECT ${month('m')} AS mo, c, sum(paid) FROM (
        SELECT ${minute('p.taken_at')} AS m, b.customer_id AS c, sum(p.amount_minor) AS paid FROM payments p JOIN bookings b ON b.id = p.booking_id
        WHERE p.kind = 'payment' AND b.customer_id IS NOT NULL GROUP BY m, c) per_minute
      GROUP BY mo, c`,
    `INSERT INTO report_customers (customer_id, paid, owed)
      SELECT customer_id, sum(paid), 0 FROM report_customer_months GROUP BY customer_id`,
    `INSERT INTO report_customers (customer_id, paid, owed)
      SELECT customer_id, 0, sum(outstanding_minor) FROM bookings WHERE outstanding_minor > 0 AND customer_id IS NOT NULL GROUP BY customer_id
      ${ON_CUSTOMERS}`,
  ]
}

export async function createPostgresReportTotals(knex: Knex): Promise<void> {
  for (const sql of TIME_FUNCTIONS) await knex.raw(sql)
  await knex.raw(`CREATE TABLE report_totals (
    measure text NOT NULL, day integer NOT NULL, key text NOT NULL, n bigint NOT NULL DEFAULT 0, amount bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (measure, day, key))`)
  await knex.raw(`CREATE TABLE report_customer_months (
    month integer NOT NULL, customer_id integer NOT NULL, paid bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (month, customer_id))`)
  await knex.raw(`CREATE TABLE report_customers (
    customer_id integer PRIMARY KEY, paid bigint NOT NULL DEFAULT 0, owed bigint NOT NULL DEFAULT 0)`)
  // Made by its migration before plans were sold as orders; made again later (a copy onto the server
  // refills them), the totals and triggers are those of the schema then.
  const plansAsOrders = await knex.schema.hasColumn('bookings', 'plan_id')
  for (const sql of backfill(plansAsOrders)) await knex.raw(sql)
  await knex.raw(`CREATE INDEX report_customer_months_paid ON report_customer_months (month, paid DESC, customer_id) WHERE paid > 0`)
  await knex.raw(`CREATE INDEX report_customers_paid ON report_customers (paid DESC, customer_id) WHERE paid > 0`)
  await knex.raw(`CREATE INDEX report_customers_owed ON report_customers (owed DESC, customer_id) WHERE owed > 0`)
  // Owing bookings by customer and by the time they were made, for the outstanding balances of a period.
  await knex.raw(`CREATE INDEX bookings_owing_made ON bookings (customer_id, created_at, outstanding_minor) WHERE outstanding_minor > 0`)
  await knex.raw(`CREATE INDEX bookings_owing_when ON bookings (created_at, customer_id, outstanding_minor) WHERE outstanding_minor > 0`)
  await createPostgresReportTriggers(knex, { plansAsOrders, perStatement: true })
}

/** The report triggers made again counting inserts and deletes per statement, or (`false`) per row as first made. */
export async function countPostgresReportTotalsPerStatement(knex: Knex, perStatement: boolean): Promise<void> {
  await dropPostgresReportTriggers(knex)
  await createPostgresReportTriggers(knex, { plansAsOrders: await knex.schema.hasColumn('bookings', 'plan_id'), perStatement })
}

/** The triggers alone, for a migration that changes a table they read (their totals stay as they are). */
export async function createPostgresReportTriggers(knex: Knex, schema: ReportTriggerSchema): Promise<void> {
  for (const trigger of triggers(schema)) {
    // A BEFORE trigger's answer is the row to go on with; an AFTER trigger's is ignored.
    const answer = trigger.event.startsWith('BEFORE') ? 'OLD' : 'NULL'
    await knex.raw(`CREATE OR REPLACE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${trigger.body}
        RETURN ${answer};
      END $$`)
    const each = trigger.perStatement ? `REFERENCING ${trigger.perStatement} FOR EACH STATEMENT` : 'FOR EACH ROW'
    await knex.raw(`CREATE TRIGGER ${trigger.name} ${trigger.event} ON ${trigger.table} ${each} ${trigger.when ? `WHEN (${trigger.when})` : ''} EXECUTE FUNCTION ${trigger.name}()`)
  }
}

export async function dropPostgresReportTriggers(knex: Knex): Promise<void> {
  for (const trigger of triggers({ plansAsOrders: false, perStatement: false })) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger.name} ON ${trigger.table}`)
    await knex.raw(`DROP FUNCTION IF EXISTS ${trigger.name}()`)
  }
}

export async function dropPostgresReportTotals(knex: Knex): Promise<void> {
  await dropPostgresReportTriggers(knex)
  await knex.raw('DROP INDEX IF EXISTS bookings_owing_made')
  await knex.raw('DROP INDEX IF EXISTS bookings_owing_when')
  for (const table of ['report_totals', 'report_customer_months', 'report_customers']) await knex.raw(`DROP TABLE IF EXISTS ${table}`)
  for (const name of ['frontdesk_local_month', 'frontdesk_local_day', 'frontdesk_instant']) await knex.raw(`DROP FUNCTION IF EXISTS ${name}(text)`)
}
