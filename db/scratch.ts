import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'

/**
 * A throwaway file for long work that must not hold everything in memory:
 * documents in the order they arrived, each findable by any of several keys.
 * Never journaled or synced — it is deleted when the work ends, and a crash
 * leaves only a file in the temporary folder.
 */
export class ScratchDocuments {
  private readonly db: Database.Database
  private readonly findKey: Database.Statement<[string], { seq: number }>
  private readonly addKey: Database.Statement<[string, number]>
  private readonly insertDoc: Database.Statement<[number, string]>
  private readonly updateDoc: Database.Statement<[string, number]>
  private readonly readDoc: Database.Statement<[number], { doc: string }>
  private nextSeq = 1

  constructor(private readonly file: string) {
    rmSync(file, { force: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.pragma('cache_size = -65536')
    this.db.exec(`CREATE TABLE docs (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE keys (key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;`)
    this.findKey = this.db.prepare('SELECT seq FROM keys WHERE key = ?')
    this.addKey = this.db.prepare('INSERT OR IGNORE INTO keys (key, seq) VALUES (?, ?)')
    this.insertDoc = this.db.prepare('INSERT INTO docs (seq, doc) VALUES (?, ?)')
    this.updateDoc = this.db.prepare('UPDATE docs SET doc = ? WHERE seq = ?')
    this.readDoc = this.db.prepare('SELECT doc FROM docs WHERE seq = ?')
    // One long transaction: nothing here needs to survive, and it is many times faster.
    this.db.exec('BEGIN')
  }

  /** The document any of these keys already belongs to. */
  find(keys: readonly string[]): { seq: number; doc: string } | null {
    for (const key of keys) {
      const found = this.findKey.get(key)
      if (found) return { seq: found.seq, doc: this.readDoc.get(found.seq)!.doc }
    }
    return null
  }

  /** Stores a new document under its keys; returns its place in the order. */
  add(keys: readonly string[], doc: string): number {
    const seq = this.nextSeq++
    this.insertDoc.run(seq, doc)
    for (const key of keys) this.addKey.run(key, seq)
    return seq
  }

  /** Replaces a document and adds keys to it (keys already taken keep their document). */
  replace(seq: number, keys: readonly string[], doc: string): void {
    this.updateDoc.run(doc, seq)
    for (const key of keys) this.addKey.run(key, seq)
  }

  get count(): number {
    return this.nextSeq - 1
  }

  /** The documents in arrival order, `size` at a time. */
  *batches(size: number): Generator<string[]> {
    const page = this.db.prepare<[number, number], { seq: number; doc: string }>('SELECT seq, doc FROM docs WHERE seq > ? ORDER BY seq LIMIT ?')
    let after = 0
    for (;;) {
      const rows = page.all(after, size)
      if (!rows.length) return
      after = rows[rows.length - 1]!.seq
      yield rows.map((r) => r.doc)
    }
  }

  /** Closes and deletes the file. */
  dispose(): void {
    try {
      if (this.db.open) this.db.close()
    } finally {
      rmSync(this.file, { force: true })
    }
  }
}
