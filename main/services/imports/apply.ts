import type { BulkConnection } from '../../../db/bulk'
import { TombstoneChecker } from '../privacy/tombstones'
import { erasedOn } from '../privacy/erased'
import type { FieldChange, ImportMatchMode } from '../../../preload/contract'
import type { StaffMember } from '../context'
import { deriveDisplayName, foldForSort, formatCustomerNumber } from '../customers/normalize'
import { foldName } from '../organise/names'
import { ChangeLogAppender } from '../../../db/changeChain'
import { CurrentCustomers, datedNote, type CurrentCustomer } from './current'
import { customerKey, referencedBookings, rowFingerprint, type IncomingCustomer } from './groups'
import { CustomerMatcher, type Match } from './match'
import { REVOKE_CUSTOMER_LINKS_SQL, REVOKED } from '../siteAccounts/revoke'

export interface ApplyOptions {
  mode: ImportMatchMode
  /** Only count what would happen. */
  dryRun: boolean
  importId: number | null
  fileName: string
  source: 'import' | 'migration'
  staff: StaffMember
  now: string
  currency: string
  /** Create people whose email or phone belonged to someone erased (otherwise their rows are refused, naming the date). */
  includeErased?: boolean
  /** The book had no customers when the writing began: nobody to match (rows about one person were joined as the file was read). */
  bookWasEmpty?: boolean
}

export interface Tally {
  created: number
  updated: number
  unchanged: number
  skipped: number
  notes: number
  bookings: number
}

/** What undoing the import puts back for one customer. */
export interface UndoRecord {
  columns?: Record<string, [before: unknown, after: unknown]>
  /** When the customer was last changed, before the import and by it. */
  updatedAt?: [before: string, after: string]
  address?: { id: number; added: boolean; parts?: Record<string, [string, string]> }
  phones?: number[]
  tags?: number[]
  groups?: number[]
  custom?: Record<string, [string | null, string]>
  consent?: { before: [number, number]; after: [number, number] }
  notes?: number[]
  bookings?: number[]
  photo?: boolean
  keys?: string[]
}

type Columns = Record<string, string | number | null>

const INDEX_SLICE = 5000

/**
 * Writes a batch of incoming customers — or, in a dry run, only decides what
 * would happen to each. The same decisions either way, so the check's counts
 * are the import's. Synchronous and on the raw connection: the caller holds
 * the transaction, and a million rows cannot afford a query builder per row.
 */
export class ImportWriter {
  readonly tally: Tally = { created: 0, updated: 0, unchanged: 0, skipped: 0, notes: 0, bookings: 0 }
  private conn!: BulkConnection
  private matcher!: CustomerMatcher
  private current!: CurrentCustomers
  private tombstones!: TombstoneChecker
  private readonly tagIds = new Map<string, number>()
  private readonly groupIds = new Map<string, number>()
  /** Tag and list names as written, folded: a file names the same few on every row. */
  private readonly foldedNames = new Map<string, string>()
  private sql!: ReturnType<typeof statementsOn>
  /** Customers updated in the batch, for their search documents. */
  private readonly touched: number[] = []
  /** The ids this import created, run by run (the desk may create customers between two of its commits). */
  readonly created: Array<{ first: number; last: number }> = []
  /** The tags and lists this import made (undoing it removes those nobody uses by then). */
  readonly createdLists: { tags: number[]; groups: number[] } = { tags: [], groups: [] }
  /** The first created id not yet in the search index: created customers are indexed together before each commit. */
  private unindexedFrom: number | null = null
  /** The next of the ids taken for the batch's new customers. */
  private nextId = 0

  constructor(
    conn: BulkConnection,
    private readonly options: ApplyOptions,
  ) {
    this.use(conn)
  }

  /** Writes on from here over this connection (the next transaction of an import written in turns). */
  use(conn: BulkConnection): void {
    this.conn = conn
    this.matcher = new CustomerMatcher(conn)
    this.current = new CurrentCustomers(conn)
    this.tombstones = new TombstoneChecker(conn)
    this.sql = statementsOn(conn)
    // Someone may have renamed or removed a tag or list while the import waited its turn.
    this.tagIds.clear()
    this.groupIds.clear()
  }

  /** Decides (and unless a dry run, writes) a batch; returns the rows refused at this stage with their reason. */
  async applyBatch(batch: readonly IncomingCustomer[]): Promise<Array<{ lines: number[]; reason: string }>> {
    const matches = this.options.bookWasEmpty ? batch.map(() => null) : await this.matcher.find(batch)
    const current = await this.current.load(matches.flatMap((m) => (m ? [m.id] : [])))
    const decisions = batch.map((_, i) => {
      const match = matches[i] ?? null
      const customer = match ? (current.get(match.id) ?? null) : null
      return { customer, what: this.decide(match, customer) }
    })
    // The new customers' ids are taken for the whole batch: on a server their rows then go together, a statement
    // a table, rather than each a round trip for its id. (One refused further on leaves its id unused.)
    const creating = decisions.filter((d) => d.what === 'create').length
    if (creating && !this.options.dryRun) this.nextId = await this.conn.reserveIds('customers', creating)
    const refused: Array<{ lines: number[]; reason: string }> = []
    for (const [i, incoming] of batch.entries()) {
      const { customer, what } = decisions[i]!
      try {
        if (what === 'create') await this.create(incoming)
        else if (what === 'update') await this.update(incoming, customer!)
        else this.tally.skipped++
      } catch (error) {
        if (!(error instanceof RefusedCustomer)) throw error
        refused.push({ lines: incoming.lines, reason: error.message })
      }
    }
    await this.flushSearch()
    return refused
  }

  /** What happens to an incoming customer matched so (or not at all) under the import's choice. */
  private decide(match: Match | null, current: CurrentCustomer | null): 'create' | 'update' | 'skip' {
    const { mode } = this.options
    if (!match || !current) return 'create'
    if (mode === 'skip' || (mode === 'create' && match.by !== 'phone')) return 'skip'
    return mode === 'create' ? 'create' : 'update'
  }

  private async create(incoming: IncomingCustomer): Promise<void> {
    const { record } = incoming
    if (!record.firstName && !record.lastName && !record.company && !record.displayName && !incoming.emailKey && !incoming.phones.length) {
      const which = incoming.legacyId ? `ID “${incoming.legacyId}”` : `number ${formatCustomerNumber(incoming.customerNumber ?? 0)}`
      throw new RefusedCustomer(`No customer with ${which} is in Frontdesk or earlier in the file, and the row has no name, email or phone to create one.`)
    }
    if (!this.options.includeErased) {
      const erased = await this.tombstones.check(incoming.emailKey, incoming.phones.map((p) => p.e164))
      if (erased) {
        const what = erased.kind === 'email' ? 'email' : 'phone number'
        throw new RefusedCustomer(`This ${what} belongs to someone whose data was erased on ${erasedOn(erased.erasedAt)}; import again with “Include erased people” to add them anyway.`)
      }
    }
    const { now, staff, fileName } = this.options
    this.tally.created++
    this.tally.notes += incoming.notes.length
    this.tally.bookings += referencedBookings(customerKey(incoming), incoming.bookings).length
    if (this.options.dryRun) return
    const custom = record.displayName !== '' && record.displayName !== deriveDisplayName(record)
    const display = custom ? record.displayName : deriveDisplayName(record)
    const status = record.status ?? 'active'
    const consent = record.marketingConsent === true ? 1 : 0
    const id = this.nextId++
    await this.sql.insertCustomer.run(
      id,
      record.firstName,
      record.lastName,
      display,
      custom ? 1 : 0,
      foldForSort(display),
      record.company,
      record.email,
      incoming.emailKey,
      status,
      status === 'blocked' ? `Blocked in ${fileName}` : '',
      this.options.source,
      consent,
      record.customerSince ? `${record.customerSince}T00:00:00.000Z` : now,
      now,
      status === 'archived' ? now : null,
      status === 'blocked' ? now : null,
      staff.id,
    )
    const run = this.created[this.created.length - 1]
    if (run && run.last === id - 1) run.last = id
    else this.created.push({ first: id, last: id })
    this.unindexedFrom ??= id
    for (const [position, phone] of incoming.phones.slice(0, 10).entries()) {
      await this.sql.insertPhone.run(id, phone.label, phone.number, phone.e164, phone.searchDigits, position === 0 ? 1 : 0, position)
    }
    const a = incoming.address
    if (a) await this.sql.insertAddress.run(id, a.line1, a.line2, a.city, a.region, a.postcode, a.country)
    await this.addTags(id, incoming.tags)
    await this.addGroups(id, incoming.groups)
    for (const [field, value] of Object.entries(incoming.custom)) await this.sql.addCustom.run(id, Number(field), value)
    if (consent) await this.sql.consent.run(id, now, staff.id, staff.name, 'marketing', 1, `Agreed, as recorded in ${fileName}`)
    await this.addNotes(id, incoming.notes)
    const bookings = await this.addBookings(id, referencedBookings(customerKey(incoming), incoming.bookings))
    if (incoming.photo) await this.sql.photo.run(id, incoming.photo.width, incoming.photo.height, Buffer.from(incoming.photo.base64, 'base64'), now)
    for (const key of keysOf(incoming)) await this.sql.keyOfNew.run(key, id, this.options.importId)
    await this.log(id, 'customer.created', `Imported ${display} (${formatCustomerNumber(id)}) from ${fileName}`, [])
    // Undo removes created customers by their ids; only past bookings need naming (they outlive a customer).
    if (bookings.length) await this.journal(id, true, { bookings })
  }

  private async update(incoming: IncomingCustomer, current: CurrentCustomer): Promise<void> {
    const overwrite = this.options.mode === 'overwrite'
    const { record } = incoming
    const { now, staff, fileName, dryRun } = this.options
    const undo: UndoRecord = {}
    const changes: FieldChange[] = []
    const columns: Columns = {}
    const take = (column: keyof CurrentCustomer & string, label: string, value: string) => {
      const before = String(current[column] ?? '')
      if (!value || value === before || (!overwrite && before)) return
      columns[column] = value
      changes.push({ field: label, before: before || null, after: value })
    }
    take('first_name', 'First name', record.firstName)
    take('last_name', 'Last name', record.lastName)
    take('company', 'Company', record.company)
    if (record.email && incoming.emailKey !== current.email_normalized && (overwrite || !current.email)) {
      const owner = await this.sql.emailOwner.get<{ id: number; display_name: string }>(incoming.emailKey, current.id)
      if (owner) {
        throw new RefusedCustomer(`Email “${record.email}” is already used by ${owner.display_name} (${formatCustomerNumber(owner.id)}).`)
      }
      columns.email = record.email
      columns.email_normalized = incoming.emailKey
      changes.push({ field: 'Email', before: current.email || null, after: record.email })
    }
    if (overwrite && record.status && record.status !== current.status && current.status !== 'deleted') {
      // Out of the archive the record is live again, and two live customers never share an email.
      const email = String(columns.email_normalized ?? current.email_normalized)
      const owner = current.status === 'archived' && email ? await this.sql.emailOwner.get<{ id: number; display_name: string }>(email, current.id) : undefined
      if (owner) {
        throw new RefusedCustomer(`This customer cannot be made ${record.status}: ${owner.display_name} (${formatCustomerNumber(owner.id)}) already uses their email.`)
      }
      columns.status = record.status
      if (record.status === 'archived') columns.archived_at = now
      if (record.status === 'blocked') {
        columns.blocked_at = now
        columns.status_reason = `Blocked in ${fileName}`
      }
      changes.push({ field: 'Status', before: current.status, after: record.status })
    }
    if (record.customerSince && `${record.customerSince}T00:00:00.000Z` < current.created_at) {
      columns.created_at = `${record.customerSince}T00:00:00.000Z`
      changes.push({ field: 'Customer since', before: current.created_at.slice(0, 10), after: record.customerSince })
    }
    const merged = {
      firstName: String(columns.first_name ?? current.first_name),
      lastName: String(columns.last_name ?? current.last_name),
      company: String(columns.company ?? current.company),
      email: String(columns.email ?? current.email),
    }
    if (overwrite && record.displayName && record.displayName !== deriveDisplayName(merged) && record.displayName !== current.display_name) {
      // A display name of the file's own ("Dr Anna Smith"), replacing the record's.
      columns.display_name = record.displayName
      columns.display_name_is_custom = 1
      columns.sort_name = foldForSort(record.displayName)
      changes.push({ field: 'Display name', before: current.display_name, after: record.displayName })
    } else if (!current.display_name_is_custom && ('first_name' in columns || 'last_name' in columns || 'company' in columns || 'email' in columns)) {
      const display = deriveDisplayName(merged)
      if (display !== current.display_name) {
        columns.display_name = display
        columns.sort_name = foldForSort(display)
      }
    }

    let consent: UndoRecord['consent']
    const wanted = record.marketingConsent
    if (wanted !== null && !current.unsubscribed && Boolean(current.marketing_consent) !== wanted && (overwrite || wanted)) {
      consent = { before: [current.marketing_consent, current.unsubscribed], after: [wanted ? 1 : 0, current.unsubscribed] }
      changes.push({ field: 'Marketing consent', before: current.marketing_consent ? 'Yes' : 'No', after: wanted ? 'Yes' : 'No' })
    }

    const newPhones = incoming.phones.filter((p) => !current.phones.has(p.e164)).slice(0, Math.max(0, 10 - current.phoneCount))
    if (newPhones.length) changes.push({ field: 'Phones', before: null, after: newPhones.map((p) => p.number).join('; ') })

    let addressParts: Record<string, [string, string]> | undefined
    const a = incoming.address
    if (a && current.address) {
      for (const part of ['line1', 'line2', 'city', 'region', 'postcode', 'country'] as const) {
        const before = current.address[part]
        if (a[part] && a[part] !== before && (overwrite || !before)) (addressParts ??= {})[part] = [before, a[part]]
      }
      if (addressParts) changes.push({ field: 'Address', before: describeAddress(current.address), after: describeAddress({ ...current.address, ...Object.fromEntries(Object.entries(addressParts).map(([k, v]) => [k, v[1]])) }) })
    } else if (a) changes.push({ field: 'Address', before: null, after: describeAddress(a) })

    const newTags = incoming.tags.filter((t) => !current.tags.has(foldName(t)))
    const newGroups = incoming.groups.filter((g) => !current.groups.has(foldName(g)))
    if (newTags.length) changes.push({ field: 'Tags', before: null, after: newTags.join('; ') })
    if (newGroups.length) changes.push({ field: 'Lists', before: null, after: newGroups.join('; ') })
    const customChanges = Object.entries(incoming.custom).filter(([field, value]) => {
      const before = current.custom.get(field)
      return before !== value && (overwrite || before === undefined)
    })
    if (customChanges.length) changes.push({ field: 'Custom fields', before: null, after: customChanges.map(([, v]) => v).join('; ') })
    // A dated note is known by its day and words; one without a day, by its words (its day was the import's).
    const newNotes = incoming.notes.filter((n) => !current.noteBodies.has(n.day ? datedNote(n.day, n.body) : n.body))
    const newBookings: ReturnType<typeof referencedBookings> = []
    for (const known of referencedBookings(customerKey(incoming), incoming.bookings)) {
      if (!(await this.sql.bookingExists.get(known.reference))) newBookings.push(known)
    }
    const photo = Boolean(incoming.photo && !current.hasPhoto)
    if (photo) changes.push({ field: 'Photo', before: null, after: 'Photo' })

    const anything = Object.keys(columns).length || consent || newPhones.length || addressParts || (a && !current.address) || newTags.length || newGroups.length || customChanges.length || newNotes.length || newBookings.length || photo
    if (!anything) {
      this.tally.unchanged++
      return
    }
    this.tally.updated++
    this.tally.notes += newNotes.length
    this.tally.bookings += newBookings.length
    if (dryRun) return

    const id = current.id
    undo.updatedAt = [current.updated_at, now]
    if (Object.keys(columns).length) {
      // The sort key follows the display name when undone, so it is not kept here.
      undo.columns = Object.fromEntries(
        Object.entries(columns)
          .filter(([column]) => column !== 'sort_name')
          .map(([column, value]) => [column, [current[column as keyof CurrentCustomer] ?? null, value]]),
      )
      const set = Object.keys(columns).map((c) => `${c} = @${c}`).join(', ')
      await this.conn.prepare(`UPDATE customers SET ${set}, updated_at = @updated_at WHERE id = @id`).run({ ...columns, updated_at: now, id })
      // Blocked, archived or given another email by the file: the online booking site's links stop working, as at the desk
      // (undo does not bring them back).
      if (columns.status === 'blocked' || columns.status === 'archived') {
        await this.sql.revokeLinks.run(now, columns.status === 'blocked' ? REVOKED.blocked : REVOKED.archived, id)
      } else if ('email_normalized' in columns) {
        await this.sql.revokeLinks.run(now, REVOKED.emailChanged, id)
      }
    } else {
      await this.conn.prepare(`UPDATE customers SET updated_at = ? WHERE id = ?`).run(now, id)
    }
    if (consent) {
      await this.conn.prepare(`UPDATE customers SET marketing_consent = ? WHERE id = ?`).run(consent.after[0], id)
      await this.sql.consent.run(id, now, staff.id, staff.name, 'marketing', consent.after[0], consent.after[0] ? `Agreed, as recorded in ${fileName}` : `Withdrawn, as recorded in ${fileName}`)
      undo.consent = consent
    }
    if (newPhones.length) {
      undo.phones = []
      for (const [i, phone] of newPhones.entries()) {
        const position = current.phoneCount + i
        undo.phones.push(await this.sql.insertPhone.insert(id, phone.label, phone.number, phone.e164, phone.searchDigits, position === 0 ? 1 : 0, position))
      }
    }
    if (a && !current.address) {
      undo.address = { id: await this.sql.insertAddress.insert(id, a.line1, a.line2, a.city, a.region, a.postcode, a.country), added: true }
    } else if (addressParts && current.address) {
      const set = Object.keys(addressParts).map((c) => `${c} = @${c}`).join(', ')
      await this.conn.prepare(`UPDATE addresses SET ${set} WHERE id = @id`).run({ ...Object.fromEntries(Object.entries(addressParts).map(([k, v]) => [k, v[1]])), id: current.address.id })
      undo.address = { id: current.address.id, added: false, parts: addressParts }
    }
    if (newTags.length) undo.tags = await this.addTags(id, newTags)
    if (newGroups.length) undo.groups = await this.addGroups(id, newGroups)
    if (customChanges.length) {
      undo.custom = {}
      for (const [field, value] of customChanges) {
        undo.custom[field] = [current.custom.get(field) ?? null, value]
        await this.sql.setCustom.run(id, Number(field), value)
      }
    }
    if (newNotes.length) undo.notes = await this.addNotes(id, newNotes)
    if (newBookings.length) undo.bookings = await this.addBookings(id, newBookings)
    if (photo && incoming.photo) {
      await this.sql.photo.run(id, incoming.photo.width, incoming.photo.height, Buffer.from(incoming.photo.base64, 'base64'), now)
      undo.photo = true
    }
    undo.keys = await this.rememberKeys(id, incoming)
    const summary = changes.length ? `Updated from ${fileName}: ${changes.map((c) => c.field.toLowerCase()).join(', ')}` : `Updated from ${fileName}`
    await this.log(id, 'customer.updated', summary, changes)
    await this.journal(id, false, undo)
  }

  private fold(name: string): string {
    let key = this.foldedNames.get(name)
    if (key === undefined) this.foldedNames.set(name, (key = foldName(name)))
    return key
  }

  private async addTags(id: number, names: readonly string[]): Promise<number[]> {
    const ids: number[] = []
    for (const name of names) {
      const key = this.fold(name)
      let tag = this.tagIds.get(key) ?? (await this.sql.findTag.get<{ id: number }>(key))?.id
      if (tag === undefined) {
        tag = (await this.sql.insertTag.get<{ id: number }>(name, key, this.options.now))!.id
        this.createdLists.tags.push(tag)
      }
      this.tagIds.set(key, tag)
      await this.sql.tagCustomer.run(id, tag, this.options.now)
      ids.push(tag)
    }
    return ids
  }

  private async addGroups(id: number, names: readonly string[]): Promise<number[]> {
    const ids: number[] = []
    for (const name of names) {
      const key = this.fold(name)
      let group = this.groupIds.get(key) ?? (await this.sql.findGroup.get<{ id: number }>(key))?.id
      if (group === undefined) {
        group = (await this.sql.insertGroup.get<{ id: number }>(name, key, this.options.now))!.id
        this.createdLists.groups.push(group)
      }
      this.groupIds.set(key, group)
      await this.sql.groupCustomer.run(id, group, this.options.now)
      ids.push(group)
    }
    return ids
  }

  private async addNotes(id: number, notes: IncomingCustomer['notes']): Promise<number[]> {
    const source = this.options.fileName.slice(0, 60)
    const ids: number[] = []
    for (const note of notes) {
      const at = note.day ? `${note.day}T00:00:00.000Z` : this.options.now
      ids.push(Number((await this.sql.note.get<{ id: number }>(id, note.body, source, `Imported from ${this.options.fileName}`, at, at))!.id))
    }
    return ids
  }

  private async addBookings(id: number, bookings: ReturnType<typeof referencedBookings>): Promise<number[]> {
    const { currency, staff, now } = this.options
    const ids: number[] = []
    for (const { booking, reference } of bookings) {
      if (await this.sql.bookingExists.get(reference)) continue
      const at = `${booking.day}T00:00:00.000Z`
      const note = booking.reference ? `Reference in the earlier system: ${booking.reference}` : ''
      const bookingId = Number(
        (await this.sql.booking.get<{ id: number }>(
          reference,
          id,
          currency,
          booking.amountMinor,
          booking.paidMinor,
          booking.amountMinor - booking.paidMinor,
          booking.description,
          at,
          note,
          at,
          now,
          staff.name,
        ))!.id,
      )
      if (booking.paidMinor > 0) await this.sql.payment.run(bookingId, booking.paidMinor, at, booking.reference ?? '', staff.name, now)
      ids.push(bookingId)
    }
    return ids
  }

  /** Keeps an updated customer's keys for the next import; answers those it did not have (its undo removes them). */
  private async rememberKeys(id: number, incoming: IncomingCustomer): Promise<string[]> {
    const added: string[] = []
    for (const key of keysOf(incoming)) if ((await this.sql.key.run(key, id, this.options.importId)).changes > 0) added.push(key)
    this.touched.push(id)
    return added
  }

  /** The customers created so far are in the search index already (built beside the writer). */
  createdAreIndexed(): void {
    this.unindexedFrom = null
  }

  /** Indexes the customers created since the last call for search, a slice of ids at a time (set-based, the fastest way in). */
  async indexCreated(onSlice: (done: number, total: number) => void): Promise<void> {
    const first = this.unindexedFrom
    const last = this.created[this.created.length - 1]?.last
    if (first === null || last === undefined) return
    // Within one transaction the import is the only writer: every id from the first unindexed one is its own.
    for (let from = first; from <= last; from += INDEX_SLICE) {
      onSlice(from - first, last - first + 1)
      await this.conn.indexCustomers(from, Math.min(from + INDEX_SLICE, last + 1))
    }
    this.unindexedFrom = null
  }

  private async log(id: number, action: string, summary: string, changes: FieldChange[]): Promise<void> {
    const { now, staff } = this.options
    await this.sql.log.append({
      at: now,
      staff_id: staff.id,
      staff_name: staff.name,
      entity_type: 'customer',
      entity_id: id,
      customer_id: id,
      action,
      summary,
      changes: JSON.stringify(changes),
    })
  }

  private async journal(id: number, created: boolean, undo: UndoRecord): Promise<void> {
    await this.sql.journal.run(this.options.importId, id, created ? 1 : 0, JSON.stringify(undo))
  }

  /** The search index follows every customer the batch wrote. */
  private async flushSearch(): Promise<void> {
    const unindexed = this.unindexedFrom
    // Customers it created are indexed together later, with what the rest of the file gave them.
    await this.conn.refreshSearch(this.touched.splice(0).filter((id) => unindexed === null || id < unindexed))
  }
}

const KEY_SQL = `INSERT INTO import_keys (key, customer_id, import_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`

/** The earlier system's ID and a keyless row's fingerprint, by which the next import finds the customer. */
function keysOf(incoming: IncomingCustomer): string[] {
  return [incoming.legacyId ? `legacy:${incoming.legacyId}` : null, rowFingerprint(incoming)].filter((k): k is string => Boolean(k))
}

/** The writer's statements on one transaction's connection. */
function statementsOn(conn: BulkConnection) {
  const p = (sql: string) => conn.prepare(sql)
  return {
    // Parents before the rows that refer to them: on a server, rows waiting to go together go in this order.
    insertCustomer: p(`INSERT INTO customers (id, first_name, last_name, display_name, display_name_is_custom, sort_name, company, email,
      email_normalized, status, status_reason, source, marketing_consent, created_at, updated_at, archived_at, blocked_at, created_by_staff_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertPhone: p(`INSERT INTO phones (customer_id, label, number, e164, search_digits, is_primary, position) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    insertAddress: p(`INSERT INTO addresses (customer_id, label, line1, line2, city, region, postcode, country, is_default_letters,
      is_default_service, position) VALUES (?, 'home', ?, ?, ?, ?, ?, ?, TRUE, TRUE, 0)`),
    findTag: p(`SELECT id FROM tags WHERE name_normalized = ?`),
    insertTag: p(`INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, NULL, ?) RETURNING id`),
    tagCustomer: conn.prepare(`INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, { changesUnread: true }),
    findGroup: p(`SELECT id FROM customer_groups WHERE name_normalized = ?`),
    insertGroup: p(
      `INSERT INTO customer_groups (name, name_normalized, description, created_at) VALUES (?, ?, '', ?) RETURNING id`,
    ),
    groupCustomer: conn.prepare(`INSERT INTO customer_group_members (customer_id, group_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, {
      changesUnread: true,
    }),
    setCustom: p(`INSERT INTO customer_custom_values (customer_id, field_id, value) VALUES (?, ?, ?)
      ON CONFLICT (customer_id, field_id) DO UPDATE SET value = excluded.value`),
    /** A new customer's value: nothing to replace. */
    addCustom: p(`INSERT INTO customer_custom_values (customer_id, field_id, value) VALUES (?, ?, ?)`),
    consent: p(`INSERT INTO consent_events (customer_id, at, staff_id, staff_name, kind, granted, channel, wording) VALUES (?, ?, ?, ?, ?, ?, 'import', ?)`),
    note: p(`INSERT INTO notes (customer_id, body, pinned, position, source, author_staff_id, author_name, created_at, updated_at)
      VALUES (?, ?, FALSE, 0, ?, NULL, ?, ?, ?) RETURNING id`),
    bookingExists: p(`SELECT id FROM bookings WHERE reference = ?`),
    booking: p(`INSERT INTO bookings (reference, customer_id, status, source, kind, currency, total_minor, paid_minor, outstanding_minor,
      summary, starts_at, note, created_at, updated_at, created_by_name) VALUES (?, ?, 'completed', 'import', 'booking', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
    payment: p(`INSERT INTO payments (booking_id, kind, amount_minor, method, taken_at, reference, staff_name, created_at)
      VALUES (?, 'payment', ?, 'other', ?, ?, ?, ?)`),
    photo: p(`INSERT INTO customer_photos (customer_id, mime, width, height, bytes, updated_at) VALUES (?, 'image/jpeg', ?, ?, ?, ?)`),
    emailOwner: p(
      `SELECT id, display_name FROM customers WHERE email_normalized = ? AND status IN ('active', 'blocked') AND id <> ?`,
    ),
    log: new ChangeLogAppender(conn),
    journal: p(`INSERT INTO import_changes (import_id, customer_id, created, undo) VALUES (?, ?, ?, ?)`),
    key: p(KEY_SQL),
    /** A new customer's keys: which were new to the file is only asked of an updated customer's (its undo keeps them). */
    keyOfNew: conn.prepare(KEY_SQL, { changesUnread: true }),
    revokeLinks: p(REVOKE_CUSTOMER_LINKS_SQL),
  }
}

/** A customer the file cannot be applied to as it stands (e.g. their new email is someone else's). */
export class RefusedCustomer extends Error {}

function describeAddress(a: { line1: string; line2: string; city: string; region: string; postcode: string; country: string }): string {
  return [a.line1, a.line2, a.city, a.region, a.postcode, a.country].filter(Boolean).join(', ')
}
