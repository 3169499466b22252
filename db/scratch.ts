import Database from 'better-sqlite3'

/**
 * A throwaway store for long work that must not hold everything in memory:
 * documents kept in the order they arrived. It is SQLite's anonymous database,
 * which spills to a file in the temporary folder that the system removes when
 * it is closed or its process ends, killed or not: what it held (the customers
 * of a file being imported) is never left behind. Never journaled or synced.
 */
export class ScratchDocuments {
  private readonly db: Database.Database
  private readonly insertDoc: Database.Statement<[number, string]>
  private readonly updateDoc: Database.Statement<[string, number]>
  private readonly readDoc: Database.Statement<[number], { doc: string }>
  private nextSeq = 1

  constructor() {
    this.db = new Database('')
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

  /** The documents in arrival order, `size` at a time; a size passed to `next` holds from the next batch on. */
  *batches(size: number): Generator<string[], void, number | undefined> {
    const page = this.db.prepare<[number, number], { doc: string }>('SELECT doc FROM docs WHERE seq > ? ORDER BY seq LIMIT ?')
    for (let after = 0; ; ) {
      const rows = page.all(after, size)
      if (!rows.length) return
      after += rows.length
      size = (yield rows.map((r) => r.doc)) ?? size
    }
  }

  /** Closes it, and with it the file it spilled to. */
  dispose(): void {
    if (this.db.open) this.db.close()
  }
}
