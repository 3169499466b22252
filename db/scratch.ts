import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'

/**
 * A throwaway file for long work that must not hold everything in memory:
 * documents kept in the order they arrived. Never journaled or synced — it is
 * deleted when the work ends, and a crash leaves only a file in the
 * temporary folder.
 */
export class ScratchDocuments {
  private readonly db: Database.Database
  private readonly insertDoc: Database.Statement<[number, string]>
  private readonly updateDoc: Database.Statement<[string, number]>
  private readonly readDoc: Database.Statement<[number], { doc: string }>
  private nextSeq = 1

  constructor(private readonly file: string) {
    rmSync(file, { force: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.exec(`CREATE TABLE docs (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL)`)
    this.insertDoc = this.db.prepare('INSERT INTO docs (seq, doc) VALUES (?, ?)')
    this.updateDoc = this.db.prepare('UPDATE docs SET doc = ? WHERE seq = ?')
    this.readDoc = this.db.prepare('SELECT doc FROM docs WHERE seq = ?')
    // One long transaction: nothing here needs to survive, and it is many times faster.
    this.db.exec('BEGIN')
  }

  /** Stores a document; returns its place in the order. */
  add(doc: string): number {
    const seq = this.nextSeq++
    this.insertDoc.run(seq, doc)
    return seq
  }

  get(seq: number): string {
    return this.readDoc.get(seq)!.doc
  }

  replace(seq: number, doc: string): void {
    this.updateDoc.run(doc, seq)
  }

  get count(): number {
    return this.nextSeq - 1
  }

  /** The documents in arrival order, `size` at a time. */
  *batches(size: number): Generator<string[]> {
    const page = this.db.prepare<[number, number], { doc: string }>('SELECT doc FROM docs WHERE seq > ? ORDER BY seq LIMIT ?')
    for (let after = 0; ; after += size) {
      const rows = page.all(after, size)
      if (!rows.length) return
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
