import type { BulkConnection } from '../../db/bulk'

/** A small studio-and-clinic business: what the sample bookings are made on. All prices in GBP. */
export const DEMO_CURRENCY = 'GBP'

export type DemoKind = 'class' | 'event' | 'appointment'

interface DemoItem {
  kind: DemoKind
  name: string
  description: string
  location: string
  minutes: number
  capacity: number
  /** Adult, Concession, Member in pence. */
  prices: [number, number, number]
  /** Weekday (0 = Sunday) and local start times "HH:MM". */
  slots: Array<[weekday: number, times: string[]]>
  everyOtherWeek?: boolean
  /** Share of the sample bookings made on this item. */
  share: number
}

export const PRICE_NAMES = ['Adult', 'Concession', 'Member'] as const

const ITEMS: DemoItem[] = [
  {
    kind: 'class',
    name: 'Vinyasa yoga',
    description: 'Flowing sequences linking breath and movement. All levels welcome; mats provided.',
    location: 'Studio 1',
    minutes: 60,
    capacity: 16,
    prices: [1400, 1000, 800],
    slots: [[1, ['18:30']], [3, ['18:30']], [5, ['07:00']], [6, ['09:30']]],
    share: 0.26,
  },
  {
    kind: 'class',
    name: 'Pilates mat',
    description: 'Core strength, posture and mobility on the mat.',
    location: 'Studio 2',
    minutes: 55,
    capacity: 12,
    prices: [1500, 1100, 900],
    slots: [[2, ['19:00']], [4, ['19:00']], [6, ['11:00']]],
    share: 0.18,
  },
  {
    kind: 'class',
    name: 'Gentle yoga',
    description: 'A slower practice for beginners and the over-60s.',
    location: 'Studio 1',
    minutes: 60,
    capacity: 14,
    prices: [1200, 900, 700],
    slots: [[2, ['10:00']], [0, ['10:00']]],
    share: 0.1,
  },
  {
    kind: 'event',
    name: 'Pottery taster',
    description: 'Two and a half hours on the wheel with a potter; clay, glazes and firing included.',
    location: 'The Clay Room',
    minutes: 150,
    capacity: 8,
    prices: [4500, 3800, 3600],
    slots: [[3, ['18:00']], [6, ['14:00']]],
    share: 0.08,
  },
  {
    kind: 'event',
    name: 'Wine tasting: Old World reds',
    description: 'Six wines from France, Italy and Spain, with cheeses.',
    location: 'The Cellar',
    minutes: 120,
    capacity: 24,
    prices: [3500, 3000, 2800],
    slots: [[5, ['19:30']]],
    everyOtherWeek: true,
    share: 0.08,
  },
  {
    kind: 'appointment',
    name: 'Sports massage (60 min)',
    description: 'Deep-tissue massage with a qualified therapist.',
    location: 'Treatment room 1',
    minutes: 60,
    capacity: 1,
    prices: [6500, 5500, 5000],
    slots: [1, 2, 3, 4, 5].map((d) => [d, ['10:00', '11:00', '12:00', '14:00', '15:00', '16:00']] as [number, string[]]),
    share: 0.2,
  },
  {
    kind: 'appointment',
    name: 'Physiotherapy assessment',
    description: 'First appointment: assessment and a treatment plan.',
    location: 'Treatment room 2',
    minutes: 45,
    capacity: 1,
    prices: [7000, 6000, 6000],
    slots: [1, 3, 5].map((d) => [d, ['09:00', '10:00', '11:00', '14:00']] as [number, string[]]),
    share: 0.1,
  },
]

/** Places per booking, on average, for classes and events (appointments are always one). */
export const AVERAGE_PLACES = 1.2
const DAY_MS = 86_400_000

/** One catalogue item as written, with its sessions in start order. */
export interface DemoCatalogueItem {
  id: number
  kind: DemoKind
  name: string
  share: number
  /** Price option ids and amounts, in PRICE_NAMES order. */
  optionIds: number[]
  prices: number[]
  /** Index range of this item's sessions in the DemoSessions arrays. */
  first: number
  end: number
}

/** Every sample session, in flat typed arrays (a million of them at benchmark scale). */
export interface DemoSessions {
  ids: Int32Array
  startsAt: Float64Array
  capacity: Int32Array
  taken: Int32Array
  /** Places already held when sample data was added again. */
  takenBefore: Int32Array
}

/**
 * Writes the catalogue (items, prices) and sessions from 12 months ago to 3
 * months ahead, in the desk's local time. Items already there from earlier
 * sample data are reused with their sessions. There are enough parallel
 * sessions (another room, another therapist) for `expectedBookings` with room
 * to spare, so sample bookings never overfill a session.
 */
export async function writeDemoCatalogue(
  conn: BulkConnection,
  now: Date,
  expectedBookings: number,
): Promise<{ items: DemoCatalogueItem[]; sessions: DemoSessions }> {
  const stamp = new Date(now.getTime() - 400 * DAY_MS).toISOString()
  const findItem = conn.prepare('SELECT id FROM catalogue_items WHERE name = ? AND kind = ? ORDER BY id LIMIT 1')
  const insertItem = conn.prepare(`INSERT INTO catalogue_items (kind, name, description, location, active, created_at, updated_at)
    VALUES (?, ?, ?, ?, TRUE, ?, ?) RETURNING id`)
  const findOption = conn.prepare('SELECT id FROM price_options WHERE item_id = ? AND name = ? AND archived = FALSE ORDER BY id LIMIT 1')
  const insertOption = conn.prepare(`INSERT INTO price_options (item_id, name, amount_minor, currency, position, archived) VALUES (?, ?, ?, ?, ?, FALSE) RETURNING id`)
  const existingSessions = conn.prepare('SELECT id, starts_at, capacity, seats_taken FROM catalogue_sessions WHERE item_id = ? AND starts_at >= ?')
  const insertSession = conn.prepare(`INSERT INTO catalogue_sessions (id, item_id, starts_at, ends_at, capacity, seats_taken, location, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`)
  const windowStart = new Date(now.getTime() - 365 * DAY_MS).toISOString()

  const all: Array<{ id: number; start: number; capacity: number; taken: number }> = []
  const items: DemoCatalogueItem[] = []
  for (const item of ITEMS) {
    const found = await findItem.get<{ id: number }>(item.name, item.kind)
    const id = Number(found?.id ?? (await insertItem.get<{ id: number }>(item.kind, item.name, item.description, item.location, stamp, stamp))!.id)
    const optionIds: number[] = []
    for (const [i, amount] of item.prices.entries()) {
      const option = await findOption.get<{ id: number }>(id, PRICE_NAMES[i])
      optionIds.push(Number(option?.id ?? (await insertOption.get<{ id: number }>(id, PRICE_NAMES[i], amount, DEMO_CURRENCY, i))!.id))
    }
    const existing = await existingSessions.all<{ id: number; starts_at: string; capacity: number; seats_taken: number }>(id, windowStart)
    const sessions = existing.map((s) => ({ id: Number(s.id), start: Date.parse(s.starts_at), capacity: s.capacity, taken: s.seats_taken }))
    const starts = sessionStarts(item, now)
    const free = sessions.reduce((sum, s) => sum + s.capacity - s.taken, 0)
    const placesPerBooking = item.kind === 'appointment' ? 1 : AVERAGE_PLACES
    const seatsWanted = expectedBookings * item.share * placesPerBooking * 1.3 - free
    const copies = Math.max(sessions.length ? 0 : 1, Math.ceil(seatsWanted / Math.max(1, starts.length * item.capacity)))
    const earlier = Math.round(sessions.length / Math.max(1, starts.length))
    let nextSessionId = starts.length && copies ? await conn.reserveIds('catalogue_sessions', starts.length * copies) : 0
    for (const start of starts) {
      const startsAt = new Date(start).toISOString()
      const endsAt = new Date(start + item.minutes * 60_000).toISOString()
      for (let copy = earlier; copy < earlier + copies; copy++) {
        // Parallel sessions are another room or another therapist at the same time.
        const location = earlier + copies > 1 ? `${item.location} (${copy + 1})` : item.location
        await insertSession.run(nextSessionId, id, startsAt, endsAt, item.capacity, location, stamp, stamp)
        sessions.push({ id: nextSessionId++, start, capacity: item.capacity, taken: 0 })
      }
    }
    sessions.sort((a, b) => a.start - b.start || a.id - b.id)
    items.push({ id, kind: item.kind, name: item.name, share: item.share, optionIds, prices: [...item.prices], first: all.length, end: all.length + sessions.length })
    for (const session of sessions) all.push(session)
  }
  const taken = Int32Array.from(all.map((s) => s.taken))
  return {
    items,
    sessions: {
      ids: Int32Array.from(all.map((s) => s.id)),
      startsAt: Float64Array.from(all.map((s) => s.start)),
      capacity: Int32Array.from(all.map((s) => s.capacity)),
      taken,
      takenBefore: taken.slice(),
    },
  }
}

/** Start times (ms) of an item's sessions from 12 months back to 3 months ahead, at local wall-clock times. */
function sessionStarts(item: DemoItem, now: Date): number[] {
  const starts: number[] = []
  const firstDay = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 365)
  for (let day = 0; day <= 365 + 91; day++) {
    const date = new Date(firstDay.getFullYear(), firstDay.getMonth(), firstDay.getDate() + day)
    if (item.everyOtherWeek && Math.floor(day / 7) % 2 === 1) continue
    for (const [weekday, times] of item.slots) {
      if (weekday !== date.getDay()) continue
      for (const time of times) {
        const [h, m] = time.split(':').map(Number) as [number, number]
        starts.push(new Date(date.getFullYear(), date.getMonth(), date.getDate(), h, m).getTime())
      }
    }
  }
  return starts
}

/**
 * Writes how many places each session holds, once every sample booking is placed: one statement for
 * all the sessions given the same number of places (a few dozen statements where a year of sessions
 * is thousands; on a server each statement is a round trip).
 */
export async function writeSeatsTaken(conn: BulkConnection, sessions: DemoSessions): Promise<void> {
  const update = conn.prepare(`UPDATE catalogue_sessions SET seats_taken = seats_taken + ? WHERE id IN (${conn.listOf('int')})`)
  const byPlaces = new Map<number, number[]>()
  for (let i = 0; i < sessions.ids.length; i++) {
    const added = sessions.taken[i]! - sessions.takenBefore[i]!
    if (added <= 0) continue
    const ids = byPlaces.get(added)
    if (ids) ids.push(sessions.ids[i]!)
    else byPlaces.set(added, [sessions.ids[i]!])
  }
  for (const [added, ids] of byPlaces) await update.run(added, JSON.stringify(ids))
}
