import type { Knex } from 'knex'

/**
 * The Bookings page's item filter: one row per booking and item it books
 * (plan orders have no session, so none), carrying the booking's list columns
 * so a walk of one item's bookings in session order filters by status, source
 * and balance without reading the bookings themselves. Kept by triggers, so
 * every writer (desk, import, sample data) keeps it in step.
 */
const ITEM_OF_LINE = (line: 'NEW' | 'OLD') => `(SELECT item_id FROM catalogue_sessions WHERE id = ${line}.session_id)`

const insertFor = `INSERT OR IGNORE INTO booking_list_items (item_id, booking_id, starts_at, status, source, outstanding_minor)
  SELECT s.item_id, b.id, b.starts_at, b.status, b.source, b.outstanding_minor
  FROM bookings b, catalogue_sessions s WHERE b.id = NEW.booking_id AND s.id = NEW.session_id AND b.plan_id IS NULL;`

// Gone only when no other line of the booking still books the same item.
const deleteFor = `DELETE FROM booking_list_items WHERE booking_id = OLD.booking_id AND item_id = ${ITEM_OF_LINE('OLD')}
  AND NOT EXISTS (SELECT 1 FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id
                  WHERE l.booking_id = OLD.booking_id AND s.item_id = booking_list_items.item_id);`

const TRIGGERS: Array<[string, string]> = [
  ['booking_list_items_line_insert', `AFTER INSERT ON booking_lines WHEN NEW.session_id IS NOT NULL BEGIN ${insertFor} END`],
  ['booking_list_items_line_delete', `AFTER DELETE ON booking_lines WHEN OLD.session_id IS NOT NULL BEGIN ${deleteFor} END`],
  [
    'booking_list_items_line_move',
    `AFTER UPDATE OF session_id, booking_id ON booking_lines BEGIN
       ${deleteFor}
       ${insertFor}
     END`,
  ],
  [
    'booking_list_items_booking',
    `AFTER UPDATE OF starts_at, status, source, outstanding_minor ON bookings BEGIN
       UPDATE booking_list_items SET starts_at = NEW.starts_at, status = NEW.status, source = NEW.source, outstanding_minor = NEW.outstanding_minor
       WHERE booking_id = NEW.id;
     END`,
  ],
  ['booking_list_items_booking_delete', `AFTER DELETE ON bookings BEGIN DELETE FROM booking_list_items WHERE booking_id = OLD.id; END`],
]

export async function createSqliteBookingList(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE booking_list_items (
    item_id integer NOT NULL,
    booking_id integer NOT NULL,
    starts_at varchar(30) NULL,
    status varchar(16) NOT NULL,
    source varchar(16) NOT NULL,
    outstanding_minor integer NOT NULL,
    PRIMARY KEY (booking_id, item_id)
  ) WITHOUT ROWID`)
  await knex.raw(`INSERT INTO booking_list_items (item_id, booking_id, starts_at, status, source, outstanding_minor)
    SELECT DISTINCT s.item_id, b.id, b.starts_at, b.status, b.source, b.outstanding_minor
    FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id JOIN bookings b ON b.id = l.booking_id
    WHERE b.plan_id IS NULL
    ORDER BY b.id, s.item_id`)
  // One item's bookings in session order; and one item's bookings of one status in session order.
  await knex.raw('CREATE INDEX booking_list_items_walk ON booking_list_items (item_id, starts_at, booking_id, source, outstanding_minor, status)')
  await knex.raw('CREATE INDEX booking_list_items_status ON booking_list_items (item_id, status, starts_at, booking_id, source, outstanding_minor)')
  await knex.raw('CREATE INDEX booking_list_items_owing ON booking_list_items (item_id, starts_at, booking_id, status, source) WHERE outstanding_minor > 0')
  await knex.raw('CREATE INDEX booking_list_items_owing_status ON booking_list_items (item_id, status, starts_at, booking_id, source) WHERE outstanding_minor > 0')
  for (const [name, body] of TRIGGERS) await knex.raw(`CREATE TRIGGER ${name} ${body}`)
}

export async function dropSqliteBookingList(knex: Knex): Promise<void> {
  for (const [name] of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`)
  await knex.raw('DROP TABLE IF EXISTS booking_list_items')
}
