/**
 * The schema a new file gets from the migrations, compared with a committed,
 * readable snapshot (schema.snapshot.txt beside this file), so that a change to
 * the tables is always made on purpose: every table and view, its columns (name,
 * declared type, not null, default, primary-key position, collation, checks),
 * foreign keys, indexes (unique, columns, order, collation, partial condition),
 * triggers and virtual tables, read from sqlite_master and SQLite's pragmas.
 *
 * After a deliberate change, rewrite the snapshot and commit it with the migration:
 *
 *   UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run tests/integration/schema-snapshot.test.ts
 *
 * Left out: Knex's own bookkeeping tables (knex_migrations*), SQLite's internal
 * ones (sqlite_*) and FTS5's shadow tables (they follow from the virtual table).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'

const snapshotFile = join(__dirname, 'schema.snapshot.txt')
const testFile = relative(join(__dirname, '..', '..'), __filename).split('\\').join('/')
const updateCommand = `UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run ${testFile}`

interface TableListRow { name: string; type: 'table' | 'view' | 'virtual' | 'shadow'; wr: number; strict: number }
interface ColumnRow { cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface ForeignKeyRow { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string; match: string }
interface IndexListRow { name: string; unique: number; origin: 'c' | 'u' | 'pk'; partial: number }
interface IndexColumnRow { seqno: number; cid: number; name: string | null; desc: number; coll: string; key: number }
interface MasterRow { type: string; name: string; tbl_name: string; sql: string | null }

const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/i.test(name) ? name : `"${name.replaceAll('"', '""')}"`)
const unquote = (name: string) => name.replace(/^[`"[']|[`"\]']$/g, '')

/** Splits text at `separator` characters outside quotes, brackets and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | null = null
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
    else if (ch === '[') quote = ']'
    else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(text.slice(start).trim())
  return parts.filter((part) => part !== '')
}

/** The parenthesised body of CREATE TABLE, split into column definitions and table constraints. */
function tableElements(sql: string): string[] {
  const open = sql.indexOf('(')
  const close = sql.lastIndexOf(')')
  if (open < 0 || close < open) return []
  return splitTopLevel(sql.slice(open + 1, close), ',')
}

/** `[constraint name] check (...)` clauses in a definition, with their balanced parentheses. */
function checkClauses(text: string): string[] {
  const found: string[] = []
  const pattern = /(\bconstraint\s+\S+\s+)?\bcheck\s*\(/gi
  let match: RegExpExecArray | null
  while ((match = pattern.exec(text))) {
    let depth = 0
    let end = match.index + match[0].length - 1
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++
      else if (text[end] === ')' && --depth === 0) break
    }
    found.push(text.slice(match.index, end + 1).replace(/\s+/g, ' '))
    pattern.lastIndex = end + 1
  }
  return found
}

const normaliseSql = (sql: string) =>
  sql
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')

async function rows<T>(db: Knex, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  return (await db.raw(sql, bindings as Knex.RawBinding[])) as T[]
}

/** The schema as stable, readable text: tables by name, columns in order, everything else sorted. */
async function describeSchema(db: Knex): Promise<string> {
  const master = await rows<MasterRow>(db, `SELECT type, name, tbl_name, sql FROM sqlite_master`)
  const sqlOf = new Map(master.map((row) => [`${row.type} ${row.name}`, row.sql ?? '']))
  const triggers = master.filter((row) => row.type === 'trigger')
  const tables = (await rows<TableListRow>(db, `SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'`))
    .filter((t) => t.type !== 'shadow' && !t.name.startsWith('sqlite_') && !t.name.startsWith('knex_'))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))

  const out: string[] = []
  const counts = { table: 0, view: 0, virtual: 0, index: 0, trigger: 0 }
  for (const table of tables) {
    counts[table.type === 'shadow' ? 'table' : table.type]++
    const kind = table.type === 'virtual' ? 'virtual table' : table.type
    const options = [table.wr ? 'without rowid' : '', table.strict ? 'strict' : ''].filter(Boolean)
    out.push('', `${kind} ${ident(table.name)}${options.length ? ` (${options.join(', ')})` : ''}`)

    const sql = sqlOf.get(`${table.type === 'view' ? 'view' : 'table'} ${table.name}`) ?? ''
    if (table.type !== 'table') for (const line of normaliseSql(sql)) out.push(`  ${line}`)

    // Column details that only the CREATE TABLE text holds: collation, checks, autoincrement.
    const definitions = new Map<string, string>()
    const tableChecks: string[] = []
    if (table.type === 'table') {
      for (const element of tableElements(sql)) {
        if (/^(constraint|check|primary|unique|foreign)\b/i.test(element)) tableChecks.push(...checkClauses(element))
        else definitions.set(unquote(element.split(/\s+/)[0] ?? ''), element)
      }
    }

    const columns = await rows<ColumnRow>(db, `SELECT * FROM pragma_table_xinfo(?) ORDER BY cid`, [table.name])
    const compositeKey = columns.filter((c) => c.pk > 0).length > 1
    for (const c of columns) {
      const definition = definitions.get(c.name) ?? ''
      const parts = [`  column ${ident(c.name)}`, c.type || '(no type)']
      if (c.notnull) parts.push('not null')
      if (c.dflt_value !== null) parts.push(`default ${c.dflt_value}`)
      if (c.pk) parts.push(compositeKey ? `primary key #${c.pk}` : 'primary key')
      if (/\bautoincrement\b/i.test(definition)) parts.push('autoincrement')
      const collation = /\bcollate\s+(\w+)/i.exec(definition)?.[1]
      if (collation) parts.push(`collate ${collation}`)
      if (c.hidden === 1) parts.push('hidden')
      if (c.hidden === 2 || c.hidden === 3) parts.push(`generated ${c.hidden === 3 ? 'stored' : 'virtual'}: ${definition}`)
      parts.push(...checkClauses(definition))
      out.push(parts.join(' '))
    }
    for (const check of tableChecks.sort()) out.push(`  ${check}`)

    const foreignKeys = await rows<ForeignKeyRow>(db, `SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [table.name])
    const byId = new Map<number, ForeignKeyRow[]>()
    for (const fk of foreignKeys) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk])
    const fkLines = [...byId.values()].map((parts) => {
      const first = parts[0]!
      const from = parts.map((p) => ident(p.from)).join(', ')
      const to = parts.map((p) => (p.to === null ? '(primary key)' : ident(p.to))).join(', ')
      return `  foreign key (${from}) references ${ident(first.table)} (${to}) on update ${first.on_update} on delete ${first.on_delete}${first.match === 'NONE' ? '' : ` match ${first.match}`}`
    })
    out.push(...fkLines.sort())

    if (table.type === 'table') {
      const indexes = (await rows<IndexListRow>(db, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, [table.name])).sort((a, b) =>
        a.name.localeCompare(b.name, 'en'),
      )
      for (const index of indexes) {
        counts.index++
        const indexSql = sqlOf.get(`index ${index.name}`) ?? ''
        const keys = (await rows<IndexColumnRow>(db, `SELECT * FROM pragma_index_xinfo(?) ORDER BY seqno`, [index.name])).filter((k) => k.key === 1)
        const columns = keys.map((k) => {
          const name = k.cid === -2 ? '<expression>' : k.cid === -1 ? 'rowid' : ident(k.name ?? '')
          return `${name}${k.coll.toUpperCase() === 'BINARY' ? '' : ` collate ${k.coll}`}${k.desc ? ' desc' : ''}`
        })
        const origin = index.origin === 'pk' ? ', made by the primary key' : index.origin === 'u' ? ', made by a unique constraint' : ''
        const where = index.partial ? ` where ${(/\bwhere\b([\s\S]*)$/i.exec(indexSql)?.[1] ?? '?').trim().replace(/\s+/g, ' ')}` : ''
        out.push(`  ${index.unique ? 'unique index' : 'index'} ${ident(index.name)} (${columns.join(', ')})${where}${origin}`)
        if (keys.some((k) => k.cid === -2)) for (const line of normaliseSql(indexSql)) out.push(`    ${line}`)
      }
    }

    for (const trigger of triggers.filter((t) => t.tbl_name === table.name).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
      counts.trigger++
      out.push(`  trigger ${ident(trigger.name)}`)
      for (const line of normaliseSql(trigger.sql ?? '')) out.push(`    ${line}`)
    }
  }

  const header = [
    '# The schema a new Frontdesk file gets from db/migrations (SQLite), made by',
    `# ${testFile}. Change it on purpose, with the migration:`,
    `#   ${updateCommand}`,
    `# ${counts.table} tables, ${counts.virtual} virtual tables, ${counts.view} views, ${counts.index} indexes, ${counts.trigger} triggers.`,
  ]
  return `${[...header, ...out].join('\n')}\n`
}

/** A line diff of the snapshot (-) and the migrations' schema (+), with two lines of context and the table each change is in. */
function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  }
  const ops: Array<{ sign: ' ' | '-' | '+'; line: string }> = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ sign: ' ', line: a[i++]! })
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ sign: '-', line: a[i++]! })
    else ops.push({ sign: '+', line: b[j++]! })
  }
  const shown = new Set<number>()
  ops.forEach((op, k) => {
    if (op.sign === ' ') return
    for (let c = Math.max(0, k - 2); c <= Math.min(ops.length - 1, k + 2); c++) shown.add(c)
    // The table heading the change belongs to.
    for (let h = k; h >= 0; h--) {
      if (/^(table|view|virtual table) /.test(ops[h]!.line)) {
        shown.add(h)
        break
      }
    }
  })
  const lines: string[] = []
  let last = -1
  for (const k of [...shown].sort((x, y) => x - y)) {
    if (last >= 0 && k > last + 1) lines.push('  …')
    lines.push(`${ops[k]!.sign} ${ops[k]!.line}`)
    last = k
  }
  return lines.join('\n')
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('schema snapshot', () => {
  it('the migrations build exactly the schema in schema.snapshot.txt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-schema-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'frontdesk.sqlite3'))
    let actual: string
    try {
      await migrateToLatest(db)
      actual = await describeSchema(db)
      // The description is stable: the same file described twice gives the same text.
      expect(await describeSchema(db)).toBe(actual)
    } finally {
      await closeDatabase(db)
    }

    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1') {
      writeFileSync(snapshotFile, actual)
      console.log(`Schema snapshot written: ${relative(process.cwd(), snapshotFile)}. Review it with git diff and commit it with the migration.`)
      return
    }
    if (!existsSync(snapshotFile)) {
      throw new Error(`No schema snapshot at ${snapshotFile}. Create it with:\n  ${updateCommand}`)
    }
    const expected = readFileSync(snapshotFile, 'utf8').replace(/\r\n/g, '\n')
    if (actual !== expected) {
      throw new Error(
        `The schema the migrations build differs from ${relative(process.cwd(), snapshotFile)}\n` +
          `(- in the snapshot, + from the migrations):\n\n${lineDiff(expected, actual)}\n\n` +
          `If this change to the tables is deliberate, update the snapshot and commit it with the migration:\n  ${updateCommand}\n` +
          `If it is not, a migration changed the schema by accident.`,
      )
    }
  })
})
