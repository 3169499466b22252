import { hash, randomBytes } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { BulkConnection, BulkStatement } from './bulkConnection'

/**
 * The change log is a chain: every entry carries a hash of its own content
 * and of the entry before it, so an entry edited, removed or slipped in
 * afterwards (with any SQLite tool) breaks the chain from that point on, and
 * `frontdesk check` says where. The first entry follows CHAIN_START.
 */
export const CHAIN_START = ''

/** The columns of a change-log entry that the chain covers (everything but its row id and hash). */
export interface ChainedEntry {
  at: string
  staff_id: number | null
  staff_name: string
  entity_type: string
  entity_id: number
  customer_id: number | null
  action: string
  summary: string
  changes: string
}

/**
 * An entry's content (summary and field changes) is chained through a salted
 * digest rather than as written: erasing a person replaces the personal values
 * in their entries (redaction: the content and its salt go, `redacted_at` is
 * set) and the chain still verifies, while an unredacted entry's content is
 * still checked against its digest. The salt is random per entry, so a digest
 * left behind by a redaction cannot be used to guess the values it covered.
 */
export function contentHash(salt: string, summary: string, changes: string): string {
  // One-shot hashing: half the cost of a Hash object, for writers of a million entries.
  return hash('sha256', `${salt}\n${JSON.stringify([summary, changes])}`, 'hex')
}

/** The hash an entry carries: SHA-256 (hex) of the previous entry's hash, this entry's columns and its content digest. */
export function chainHash(previous: string, entry: ChainedEntry & { content_hash: string }): string {
  return hashOf(previous, [...who(entry), entry.content_hash])
}

/**
 * The chain as files had it before content digests: summary and changes
 * hashed as written. Only the migration that first chained the log uses it;
 * the erasure migration then re-chains every entry with content digests.
 */
export function originalChainHash(previous: string, entry: ChainedEntry): string {
  return hashOf(previous, [...who(entry), entry.summary, entry.changes])
}

/** When, by whom, on what and which action: the columns every form of the chain covers, in order. */
const who = (entry: ChainedEntry): unknown[] => [
  entry.at,
  idOrNull(entry.staff_id),
  entry.staff_name,
  entry.entity_type,
  Number(entry.entity_id),
  idOrNull(entry.customer_id),
  entry.action,
]

const idOrNull = (id: number | null | undefined) => (id === null || id === undefined ? null : Number(id))

function hashOf(previous: string, columns: unknown[]): string {
  return hash('sha256', `${previous}\n${JSON.stringify(columns)}`, 'hex')
}

const SALT_BYTES = 16
let saltPool = Buffer.alloc(0)
let saltAt = 0

/** A fresh random salt (hex); drawn from a pool, since writers of thousands of entries need one each. */
export function newContentSalt(): string {
  if (saltAt + SALT_BYTES > saltPool.length) {
    saltPool = randomBytes(SALT_BYTES * 4096)
    saltAt = 0
  }
  const salt = saltPool.toString('hex', saltAt, saltAt + SALT_BYTES)
  saltAt += SALT_BYTES
  return salt
}

/** An entry as stored: its columns, its content's salt and digest, and its chain hash. */
export interface SealedEntry extends ChainedEntry {
  content_salt: string
  content_hash: string
  hash: string
}

/** Salts, digests and chains one entry to the hash before it. */
export function sealEntry(previous: string, entry: ChainedEntry): SealedEntry {
  const content_salt = newContentSalt()
  const content_hash = contentHash(content_salt, entry.summary, entry.changes)
  // chainHash's columns, without copying the entry twice: writers seal a million of them.
  const hash = hashOf(previous, [...who(entry), content_hash])
  // Written out, not spread: a spread with more properties after it costs a microsecond per property here.
  const { at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes } = entry
  return { at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes, content_salt, content_hash, hash }
}

/** The columns, in order, that an INSERT of a chained entry names (hash last). */
export const CHAINED_COLUMNS = ['at', 'staff_id', 'staff_name', 'entity_type', 'entity_id', 'customer_id', 'action', 'summary', 'changes', 'content_salt', 'content_hash', 'hash'] as const

/** An entry's values in CHAINED_COLUMNS' order (named one by one: looked up by a list of names, a million cost a tenth of a second). */
function chainedValues(e: SealedEntry): unknown[] {
  return [e.at, e.staff_id, e.staff_name, e.entity_type, e.entity_id, e.customer_id, e.action, e.summary, e.changes, e.content_salt, e.content_hash, e.hash]
}

/** Entries an appender holds before writing them in one statement. */
const APPEND_BATCH = 200

/**
 * Appends chained entries on a bulk connection (db/bulk.ts), for writers
 * that add thousands of entries in one transaction: the newest hash is read
 * once, at the first entry, and the chain then runs on in memory; entries are
 * written a few hundred at a time, in order, and the rest before the
 * transaction commits. Use one appender inside one transaction, with no
 * other change-log writer in between.
 */
export class ChangeLogAppender {
  private previous: string | null = null
  private pending: SealedEntry[] = []
  private readonly insertBatch: BulkStatement
  private readonly insertOne: BulkStatement
  private readonly newest: BulkStatement

  constructor(private readonly conn: BulkConnection) {
    const row = `(${CHAINED_COLUMNS.map(() => '?').join(', ')})`
    this.insertBatch = conn.prepare(`INSERT INTO change_log (${CHAINED_COLUMNS.join(', ')}) VALUES ${Array.from({ length: APPEND_BATCH }, () => row).join(', ')}`)
    this.insertOne = conn.prepare(`INSERT INTO change_log (${CHAINED_COLUMNS.join(', ')}) VALUES ${row}`)
    this.newest = conn.prepare('SELECT hash FROM change_log ORDER BY id DESC LIMIT 1')
    conn.beforeCommit(() => this.flush())
  }

  async append(entry: ChainedEntry): Promise<void> {
    this.previous ??= (await this.newest.get<{ hash: string }>())?.hash ?? CHAIN_START
    const e = sealEntry(this.previous, entry)
    this.pending.push(e)
    this.previous = e.hash
    if (this.pending.length >= APPEND_BATCH) await this.flush()
  }

  /** Writes the entries held so far. */
  async flush(): Promise<void> {
    const entries = this.pending
    this.pending = []
    if (entries.length === APPEND_BATCH) await this.insertBatch.run(...entries.flatMap(chainedValues))
    else for (const e of entries) await this.insertOne.run(...chainedValues(e))
  }
}

/** Where the chain first breaks, and how: an entry changed, entries taken out before it, or an entry slipped in. */
export interface ChainBreak {
  /** The first entry that does not follow from the one before it. */
  id: number
  at: string
  kind: 'edited' | 'removed' | 'inserted'
  /** Entries taken out: the first and last missing id (removed only). */
  missing?: { from: number; to: number }
}

export interface ChainCheck {
  /** Entries read: all of them, or up to the one after the break. */
  entries: number
  intact: boolean
  firstBreak: ChainBreak | null
}

const HEX_HASH = /^[0-9a-f]{64}$/

const READ_COLUMNS = ['id', 'at', 'staff_id', 'staff_name', 'entity_type', 'entity_id', 'customer_id', 'action', 'summary', 'changes', 'content_salt', 'content_hash', 'hash', 'redacted_at'] as const

type Row = [
  id: number,
  at: string,
  staffId: number | null,
  staffName: string,
  entityType: string,
  entityId: number,
  customerId: number | null,
  action: string,
  summary: string,
  changes: string,
  contentSalt: string | null,
  contentHash: string | null,
  hash: string,
  redactedAt: string | null,
]

/**
 * Whether a row as read follows from the hash before it: its content matches
 * its digest (unless redacted, when the salt is gone and only the digest
 * remains) and its hash chains its columns and digest to the previous hash.
 */
function follows(previous: string, r: Row): boolean {
  const digest = r[11]
  if (digest === null || !HEX_HASH.test(digest)) return false
  if (r[13] === null && (r[10] === null || contentHash(r[10], r[8], r[9]) !== digest)) return false
  return hashOf(previous, [r[1], idOrNull(r[2]), r[3], r[4], Number(r[5]), idOrNull(r[6]), r[7], digest]) === r[12]
}

/**
 * Finds the first entry that does not follow from the one before, fed the
 * entries in id order. How it broke is told by the entries around it (an
 * entry's content is checked against its digest unless it was redacted, when
 * an erasure took its personal values): the next entry follows from the one
 * before the break → that entry was slipped in; ids missing just before it →
 * entries removed; an entry without a well-formed hash → added by something
 * other than Frontdesk; otherwise the entry was edited. Entries removed from
 * the end show as a numbering that stops short of the highest id ever given out.
 */
export class ChainWalk {
  entries = 0
  private previous = CHAIN_START
  private previousId = 0
  private previousAt = ''
  private suspect: { row: Row; previous: string; previousId: number } | null = null
  private firstBreak: ChainBreak | null = null

  /** Takes the next entry; false once the break is found and no more entries are needed. */
  step(row: Row): boolean {
    this.entries++
    if (this.suspect) {
      this.firstBreak = classify(this.suspect, row)
      return false
    }
    if (!follows(this.previous, row)) this.suspect = { row, previous: this.previous, previousId: this.previousId }
    this.previous = row[12]
    this.previousId = row[0]
    this.previousAt = row[1]
    return true
  }

  /** The outcome, given the highest id ever given out. */
  finish(highestGiven: number | null): ChainCheck {
    if (this.suspect && !this.firstBreak) this.firstBreak = classify(this.suspect, null)
    if (!this.firstBreak && highestGiven !== null && highestGiven > this.previousId) {
      const id = this.previousId
      this.firstBreak = { id, at: this.previousAt, kind: 'removed', missing: { from: id + 1, to: highestGiven } }
    }
    return { entries: this.entries, intact: !this.firstBreak, firstBreak: this.firstBreak }
  }
}

/** The columns a walk reads, in the order of a `ChainRow`. */
export const CHAIN_READ_COLUMNS = READ_COLUMNS

/** An entry as a walk reads it: its columns in the order of CHAIN_READ_COLUMNS. */
export type ChainRow = Row

/**
 * Walks the whole change log of a SQLite file in id order (streamed: a
 * million entries in a few seconds, a constant amount of memory) and finds
 * the first entry that does not follow from the one before (see ChainWalk).
 * Read-only.
 */
export function verifyChangeChain(conn: Database, onProgress?: (done: number, total: number) => void): ChainCheck {
  const total = onProgress ? (conn.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n : 0
  const rows = conn
    .prepare(`SELECT ${READ_COLUMNS.join(', ')} FROM change_log ORDER BY id`)
    .raw(true)
    .iterate() as IterableIterator<Row>
  const walk = new ChainWalk()
  for (const row of rows) {
    if (!walk.step(row)) break
    if (onProgress && walk.entries % 50_000 === 0) onProgress(walk.entries, total)
  }
  // AUTOINCREMENT remembers the highest id ever given out: entries taken from the end leave it behind.
  const given = conn.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`).get() as { seq: number } | undefined
  return walk.finish(given ? Number(given.seq) : null)
}

function classify(suspect: { row: Row; previous: string; previousId: number }, next: Row | null): ChainBreak {
  const { row, previous, previousId } = suspect
  const at = { id: row[0], at: row[1] }
  if (next && follows(previous, next)) return { ...at, kind: 'inserted' }
  if (row[0] > previousId + 1) return { ...at, kind: 'removed', missing: { from: previousId + 1, to: row[0] - 1 } }
  if (!HEX_HASH.test(row[12])) return { ...at, kind: 'inserted' }
  return { ...at, kind: 'edited' }
}
