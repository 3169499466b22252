import { closeSync, openSync, writeSync } from 'node:fs'
import Papa from 'papaparse'
import type { ImportReject } from '../../../preload/contract'
import { neutraliseForCsv } from '../exports/neutralise'

/** Rejects listed in the summary; the file holds them all. */
const LISTED = 200

/**
 * The rows an import could not take, as a CSV the desk can fix and import
 * again: the file's own columns, then "Line" and "Reason". UTF-8 with a BOM,
 * so a spreadsheet opens it with its accents intact.
 */
export class RejectsFile {
  readonly listed: ImportReject[] = []
  count = 0
  private readonly fd: number
  private buffer: string[] = []
  private size = 0

  constructor(
    file: string,
    private readonly width: number,
    headers: readonly string[],
  ) {
    this.fd = openSync(file, 'w', 0o600)
    this.push(`\uFEFF${Papa.unparse([[...headers, 'Line', 'Reason']], { newline: '\r\n' })}\r\n`)
  }

  add(line: number, cells: readonly string[], reason: string): void {
    this.count++
    if (this.listed.length < LISTED) this.listed.push({ line, reason })
    const row = Array.from({ length: this.width }, (_, i) => neutraliseForCsv(cells[i] ?? ''))
    this.push(`${Papa.unparse([[...row, String(line), reason]], { newline: '\r\n' })}\r\n`)
  }

  /** The first rejects in the order of the file. */
  sortedList(): ImportReject[] {
    return [...this.listed].sort((a, b) => a.line - b.line)
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  private push(text: string): void {
    this.buffer.push(text)
    this.size += text.length
    if (this.size > 1 << 16) this.flush()
  }

  private flush(): void {
    if (this.buffer.length) writeSync(this.fd, this.buffer.join(''))
    this.buffer = []
    this.size = 0
  }
}
