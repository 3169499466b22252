import type { Knex } from 'knex'

/**
 * The Bookings page's item filter on PostgreSQL: the same table as SQLite's
 * (sqliteBookingList.ts), one row per booking and item it books (plan orders
 * have no session, so none), carrying the booking's list columns, kept by
 * PL/pgSQL triggers so every writer keeps it in step.
 */
const ITEM_OF_LINE = (line: 'NEW' | 'OLD') => `(SELECT item_id FROM catalogue_sessions WHERE id = ${line}.session_id)`

const insertFor = `INSERT INTO booking_list_items (item_id, booking_id, starts_at, status, source, outstanding_minor)
  SELECT s.item_id, b.id, b.starts_at, b.status, b.source, b.outstanding_minor
  FROM bookings b, catalogue_sessions s WHERE b.id = NEW.booking_id AND s.id = NEW.session_id AND b.plan_id IS NULL
  ON CONFLICT (booking_id, item_id) DO NOTHING;`

// Gone only when no other line of the booking still books the same item.
const deleteFor = `DELETE FROM booking_list_items WHERE booking_id = OLD.booking_id AND item_id = ${ITEM_OF_LINE('OLD')}
  AND NOT EXISTS (SELECT 1 FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id
                  WHERE l.booking_id = OLD.booking_id AND s.item_id = booking_list_items.item_id);`

interface ListTrigger {
  name: string
  table: string
  event: string
  when?: string
  body: string
}

const TRIGGERS: ListTrigger[] = [
  { name: 'booking_list_items_line_insert', table: 'booking_lines', event: 'AFTER INSERT', when: 'NEW.session_id IS NOT NULL', body: insertFor },
  { name: 'booking_list_items_line_delete', table: 'booking_lines', event: 'AFTER DELETE', when: 'OLD.session_id IS NOT NULL', body: deleteFor },
  { name: 'booking_list_items_line_move', table: 'booking_lines', event: 'AFTER UPDATE OF session_id, booking_id', body: `${deleteFor} ${insertFor}` },
  {
    name: 'booking_list_items_booking',
    table: 'bookings',
    event: 'AFTER UPDATE OF starts_at, status, source, outstanding_minor',
    when: 'OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.status IS DISTINCT FROM NEW.status OR OLD.source IS DISTINCT FROM NEW.source OR OLD.outstanding_minor IS DISTINCT FROM NEW.outstanding_minor',
    body: `UPDATE booking_list_items SET starts_at = NEW.starts_at, status = NEW.status, source = NEW.source, outstanding_minor = NEW.outstanding_minor
       WHERE booking_id = NEW.id;`,
  },
  { name: 'booking_list_items_booking_delete', table: 'bookings', event: 'AFTER DELETE', body: 'DELETE FROM booking_list_items WHERE booking_id = OLD.id;' },
]

export async function createPostgresBookingList(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE booking_list_items (
    item_id integer NOT NULL,
    booking_id integer NOT NULL,
    starts_at varchar(30) NULL,
    status varchar(16) NOT NULL,
    source varchar(16) NOT NULL,
    outstanding_minor integer NOT NULL,
    PRIMARY KEY (booking_id, item_id)
  )`)
  await knex.raw(`INSERT INTO booking_list_items (item_id, booking_id, starts_at, status, source, outstanding_minor)
    SELECT DISTINCT s.item_id, b.id, b.starts_at, b.status, b.source, b.outstanding_minor
    FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id JOIN bookings b ON b.id = l.booking_id
    WHERE b.plan_id IS NULL`)
  // One item's bookings in session order; and one item's bookings of one status in session order.
  await knex.raw('CREATE INDEX booking_list_items_walk ON booking_list_items (item_id, starts_at, booking_id, source, outstanding_minor, status)')
  await knex.raw('CREATE INDEX booking_list_items_status ON booking_list_items (item_id, status, starts_at, booking_id, source, outstanding_minor)')
  await knex.raw('CREATE INDEX booking_list_items_owing ON booking_list_items (item_id, starts_at, booking_id, status, source) WHERE outstanding_minor > 0')
  await knex.raw('CREATE INDEX booking_list_items_owing_status ON booking_list_items (item_id, status, starts_at, booking_id, source) WHERE outstanding_minor > 0')
  for (const trigger of TRIGGERS) {
    await knex.raw(`CREATE OR REPLACE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${trigger.body}
        RETURN NULL;
      END $$`)
    await knex.raw(
      `CREATE TRIGGER ${trigger.name} ${trigger.event} ON ${trigger.table} FOR EACH ROW ${trigger.when ? `WHEN (${trigger.when})` : ''} EXECUTE FUNCTION ${trigger.name}()`,
    )
  }
}

export async function dropPostgresBookingList(knex: Knex): Promise<void> {
  for (const trigger of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger.name} ON ${trigger.table}`)
    await knex.raw(`DROP FUNCTION IF EXISTS ${trigger.name}()`)
  }
  await knex.raw('DROP TABLE IF EXISTS booking_list_items')
}
