import type { Faker as FakerType, LocaleDefinition } from '@faker-js/faker'
import type { Knex } from 'knex'
import { writeInBulk } from '../../db/bulk'
import { ChangeLogAppender } from '../../db/changeChain'
import { sampleEntry } from './changeLog'
import { foldForSearch } from '../../preload/contract/fold'
import { writeDemoBookings, type DemoBookingCounts } from './bookings'

export interface SeedOptions {
  count: number
  seed?: number
  /** Called often (every few hundred rows) with the step, and how far it is: `done` of `total`. */
  onProgress?: (done: number, total: number, phase: string) => void
  /** Called as often; throws to stop, and the whole transaction rolls back. */
  checkCancelled?: () => void
  now?: Date
  /** Sample bookings for a share of the new customers (default true); the benchmark adds its own. */
  bookings?: boolean
  /** Told what bookings were added. */
  onBookings?: (counts: DemoBookingCounts) => void
}

const TAGS: Array<[name: string, color: string, share: number]> = [
  // "Regular" is held by 40% of customers: the benchmark's broad tag filter.
  ['Regular', '#2E7D32', 0.4],
  ['VIP', '#AD1457', 0.03],
  ['Newsletter', '#1565C0', 0.25],
  ['Groupon', '#EF6C00', 0.05],
  ['Corporate', '#4527A0', 0.06],
  ['Residential', '#00838F', 0.12],
  ['Lapsed', '#6D4C41', 0.08],
]
const GROUPS: Array<[name: string, share: number]> = [
  ['Monday yoga', 0.04],
  ['Members', 0.15],
  ['Trade accounts', 0.02],
  ['Summer camp parents', 0.05],
]
/**
 * The locales names come from, each with its share. Faker and its locales are loaded when sample data
 * is first asked for: requiring them took a quarter of a second of every job worker's start.
 */
async function fakersFor(seed: number): Promise<Array<readonly [FakerType, number]>> {
  const { Faker, base, de, en, en_GB, es, fr, pl, sv } = await import('@faker-js/faker')
  const locales: Array<[LocaleDefinition[], number]> = [
    [[en_GB, en, base], 0.55],
    [[de, en, base], 0.12],
    [[fr, en, base], 0.1],
    [[es, en, base], 0.08],
    [[pl, en, base], 0.08],
    [[sv, en, base], 0.07],
  ]
  return locales.map(([locale, share]) => {
    const faker = new Faker({ locale })
    faker.seed(seed)
    return [faker, share] as const
  })
}
const FIVE_YEARS_MS = 5 * 365 * 24 * 3600 * 1000
const PROGRESS_EVERY = 500
const INDEX_SLICE = 5000

/** The sort name, folded as the services fold it. */
function fold(value: string): string {
  return foldForSearch(value).trim()
}

function asciiLocalPart(value: string): string {
  return fold(value).replace(/[^a-z0-9]+/g, '')
}

/**
 * Fills the database with realistic synthetic customers, reproducibly for a
 * given seed: names from several locales (accents included), UK phone numbers
 * in the drama ranges, addresses, tags, groups and a few archived or blocked
 * records, and (unless told not to) bookings on a sample catalogue for a
 * share of them. One transaction: all or nothing. Returns the number created.
 */
export async function seedDemoCustomers(db: Knex, options: SeedOptions): Promise<number> {
  const { count, seed = 42 } = options
  const now = options.now ?? new Date()
  const fakers = await fakersFor(seed)
  const pick = fakers[0]![0]
  const chooseFaker = () => {
    let r = pick.number.float({ min: 0, max: 1 })
    for (const [faker, share] of fakers) {
      r -= share
      if (r <= 0) return faker
    }
    return fakers[0]![0]
  }
  const chance = (p: number) => pick.number.float({ min: 0, max: 1 }) < p

  // IMMEDIATE: the write lock is taken first, so another writer waits its turn instead of failing half-way.
  await writeInBulk(db, async (conn) => {
    const insertCustomer = conn.prepare(`INSERT INTO customers
      (id, first_name, last_name, display_name, display_name_is_custom, sort_name, company, email, email_normalized,
       status, status_reason, source, marketing_consent, created_at, updated_at, archived_at, blocked_at, created_by_staff_id)
      VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`)
    const insertPhone = conn.prepare(
      `INSERT INTO phones (customer_id, label, number, e164, search_digits, is_primary, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    const insertAddress = conn.prepare(`INSERT INTO addresses
      (customer_id, label, line1, line2, city, region, postcode, country, is_default_letters, is_default_service, position)
      VALUES (?, ?, ?, '', ?, ?, ?, 'GB', TRUE, TRUE, 0)`)
    const insertTag = conn.prepare(
      `INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name_normalized) DO UPDATE SET name = tags.name RETURNING id`,
    )
    const insertGroup = conn.prepare(
      `INSERT INTO customer_groups (name, name_normalized, description, created_at) VALUES (?, ?, '', ?)
       ON CONFLICT (name_normalized) DO UPDATE SET name = customer_groups.name RETURNING id`,
    )
    const tagCustomer = conn.prepare(`INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, ?)`)
    const groupCustomer = conn.prepare(`INSERT INTO customer_group_members (customer_id, group_id, created_at) VALUES (?, ?, ?)`)
    const changeLog = new ChangeLogAppender(conn)

    {
      const stamp = now.toISOString()
      const tagIds: Array<readonly [number, number]> = []
      for (const [name, color, share] of TAGS) tagIds.push([(await insertTag.get<{ id: number }>(name, fold(name), color, stamp))!.id, share])
      const groupIds: Array<readonly [number, number]> = []
      for (const [name, share] of GROUPS) groupIds.push([(await insertGroup.get<{ id: number }>(name, fold(name), stamp))!.id, share])
      const firstNewId = await conn.reserveIds('customers', count)
      const start = now.getTime() - FIVE_YEARS_MS
      for (let i = 0; i < count; i++) {
        const faker = chooseFaker()
        const first = faker.person.firstName()
        const last = faker.person.lastName()
        const display = `${first} ${last}`
        const company = chance(0.1) ? faker.company.name() : ''
        const id = firstNewId + i
        const email = chance(0.85)
          ? `${asciiLocalPart(first)}.${asciiLocalPart(last)}${id}@${pick.helpers.arrayElement(['example.com', 'example.org', 'example.net'])}`
          : ''
        const roll = pick.number.float({ min: 0, max: 1 })
        const status = roll < 0.92 ? 'active' : roll < 0.98 ? 'archived' : 'blocked'
        const created = new Date(start + (FIVE_YEARS_MS * i) / Math.max(count, 1)).toISOString()
        const source = pick.helpers.arrayElement(['desk', 'phone', 'online', 'online', 'walk-in'])
        await insertCustomer.run(
          id,
          first,
          last,
          display,
          fold(display),
          company,
          email,
          email.toLowerCase(),
          status,
          status === 'blocked' ? pick.helpers.arrayElement(['Repeated no-shows', 'Unpaid balance', 'Abusive on the phone']) : '',
          source,
          chance(0.4) ? 1 : 0,
          created,
          created,
          status === 'archived' ? created : null,
          status === 'blocked' ? created : null,
        )
        if (chance(0.9)) {
          // Ofcom's drama range: realistic, never a real person's number.
          const rest = String(pick.number.int({ min: 0, max: 999 })).padStart(3, '0')
          const national = `07700 900${rest}`
          await insertPhone.run(id, 'mobile', national, `+447700900${rest}`, `07700900${rest} 447700900${rest}`, 1, 0)
        }
        if (chance(0.25)) {
          const rest = String(pick.number.int({ min: 0, max: 9999 })).padStart(4, '0')
          await insertPhone.run(id, 'home', `020 7946 ${rest}`, `+44207946${rest}`, `0207946${rest} 44207946${rest}`, 0, 1)
        }
        if (chance(0.7)) {
          const postcode = `${pick.string.alpha({ length: 2, casing: 'upper' })}${pick.number.int({ min: 1, max: 20 })} ${pick.number.int({ min: 1, max: 9 })}${pick.string.alpha({ length: 2, casing: 'upper' })}`
          await insertAddress.run(id, 'home', faker.location.streetAddress(), faker.location.city(), '', postcode)
        }
        for (const [tagId, share] of tagIds) if (chance(share)) await tagCustomer.run(id, tagId, created)
        for (const [groupId, share] of groupIds) if (chance(share)) await groupCustomer.run(id, groupId, created)
        await changeLog.append(sampleEntry(created, 'customer', id, id, 'customer.created', `Created ${display} from sample data`))
        if (i % PROGRESS_EVERY === PROGRESS_EVERY - 1) {
          options.checkCancelled?.()
          options.onProgress?.(i + 1, count, 'Writing customers')
        }
      }
      // The search index is built in slices of ids, so progress moves and Cancel is heard.
      const made = { first: firstNewId, last: firstNewId + count - 1 }
      for (let from = made.first; from <= made.last; from += INDEX_SLICE) {
        options.checkCancelled?.()
        options.onProgress?.(from - made.first, count, 'Indexing for search')
        await conn.indexCustomers(from, Math.min(from + INDEX_SLICE, made.last + 1))
      }
      if (options.bookings !== false && count > 0) {
        const counts = await writeDemoBookings(conn, {
          firstCustomerId: made.first,
          lastCustomerId: made.last,
          now,
          seed,
          onProgress: (done, total) => options.onProgress?.(done, total, 'Writing bookings'),
          checkCancelled: options.checkCancelled,
        }, changeLog)
        options.onBookings?.(counts)
      }
    }
  })
  options.onProgress?.(count, count, 'Done')
  return count
}
