import { createHash } from 'node:crypto'

/**
 * Which customer document a key (a customer number, an earlier ID, an email)
 * leads to, for a million rows in a few megabytes: each key is kept as 64
 * bits of its SHA-1 in an open-addressing table, never as a string. Two
 * different keys share 64 bits about once in 10^8 imports of a million rows.
 */
export class KeyIndex {
  private hashes = new Uint32Array(1 << 17)
  private values = new Int32Array(1 << 16)
  private size = 0

  get(key: string): number | undefined {
    const [hi, lo] = digest(key)
    const slot = this.find(hi, lo)
    return this.hashes[slot * 2]! === 0 && this.hashes[slot * 2 + 1]! === 0 ? undefined : this.values[slot]
  }

  /** Keeps the first value a key was given. */
  setIfAbsent(key: string, value: number): void {
    const [hi, lo] = digest(key)
    const slot = this.find(hi, lo)
    if (this.hashes[slot * 2] !== 0 || this.hashes[slot * 2 + 1] !== 0) return
    this.hashes[slot * 2] = hi
    this.hashes[slot * 2 + 1] = lo
    this.values[slot] = value
    if (++this.size * 2 > this.values.length) this.grow()
  }

  private find(hi: number, lo: number): number {
    const mask = this.values.length - 1
    for (let slot = (hi ^ lo) & mask; ; slot = (slot + 1) & mask) {
      const a = this.hashes[slot * 2]!
      const b = this.hashes[slot * 2 + 1]!
      if ((a === 0 && b === 0) || (a === hi && b === lo)) return slot
    }
  }

  private grow(): void {
    const { hashes, values } = this
    this.hashes = new Uint32Array(hashes.length * 2)
    this.values = new Int32Array(values.length * 2)
    for (let slot = 0; slot < values.length; slot++) {
      const hi = hashes[slot * 2]!
      const lo = hashes[slot * 2 + 1]!
      if (hi === 0 && lo === 0) continue
      const to = this.find(hi, lo)
      this.hashes[to * 2] = hi
      this.hashes[to * 2 + 1] = lo
      this.values[to] = values[slot]!
    }
  }
}

function digest(key: string): [number, number] {
  const bytes = createHash('sha1').update(key).digest()
  const hi = bytes.readUInt32LE(0)
  const lo = bytes.readUInt32LE(4)
  // All-zero marks an empty slot.
  return hi === 0 && lo === 0 ? [1, 0] : [hi, lo]
}
