import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { startSmtpServer } from '../helpers/smtpServer'
import { eventually, FAST_MAIL, messageRow, useTestServer } from '../helpers/outbox'
import { MemorySecretStore } from '../../main/secrets'
import type { ImportPreview, ImportSummary, SiteTokenPurpose } from '../../preload/contract'
import { CONFIRM_VALID_MS, RESET_VALID_MS, redeemToken, withoutAccountTokens } from '../../main/services/siteAccounts'
import { closeDatabase, openDatabase } from '../../db/connection'
import { collectSubjectData } from '../../main/services/privacy/subjectData'
import { NO_PROGRESS } from '../../main/services/progress'
import { onPostgres } from '../helpers/testDatabase'

/*
 * The online booking site's account emails as the desk sends them: each
 * carries a single-use link whose token is kept only as a hash, stops
 * working when it is used, runs out, is replaced, or when the customer is
 * blocked, archived, deleted, merged away or erased.
 */

const SITE = 'https://book.example.com'
let app: TestCore | undefined
let now = new Date('2026-12-05T09:00:00.000Z')

afterEach(async () => {
  await app?.cleanup()
  app = undefined
  now = new Date('2026-12-05T09:00:00.000Z')
})

async function open(siteAddress = SITE): Promise<TestCore> {
  app = await openTestCore({ clock: () => now })
  await setSiteAddress(app, siteAddress)
  return app
}

async function setSiteAddress(core: TestCore, siteAddress: string): Promise<void> {
  const row = (await core.db('settings').where({ key: 'mail' }).first('value')) as { value: string } | undefined
  const value = JSON.stringify({ ...(row ? (JSON.parse(row.value) as object) : {}), siteAddress })
  if (row) await core.db('settings').where({ key: 'mail' }).update({ value })
  else await core.db('settings').insert({ key: 'mail', value })
}

let serial = 0
async function customer(core: TestCore, email: string | null = `person${++serial}@example.org`): Promise<number> {
  const created = await core.invoke('customers:create', { firstName: 'Ottoline', lastName: `Fairweather${++serial}`, email: email ?? '' })
  return created.id
}

/** Sends the email through the desk's channel and reads the token back out of the message in the outbox. */
async function send(core: TestCore, customerId: number, purpose: SiteTokenPurpose): Promise<{ token: string; messageId: number; text: string; html: string }> {
  const sent = await core.invoke('siteAccounts:sendEmail', { customerId, purpose })
  const row = (await core.db('messages').where({ id: sent.messageId }).first('kind', 'body_text', 'body_html', 'to_address')) as {
    kind: string
    body_text: string
    body_html: string
  }
  expect(row.kind).toBe('account')
  const path = purpose === 'confirm' ? 'confirm' : 'reset'
  const match = new RegExp(`${SITE.replace(/\./g, '\\.')}/account/${path}\\?token=([A-Za-z0-9_-]{43})`).exec(row.body_text)
  expect(match, row.body_text).not.toBeNull()
  return { token: match![1]!, messageId: sent.messageId, text: row.body_text, html: row.body_html }
}

const redeem = (core: TestCore, token: string, purpose: SiteTokenPurpose) => core.call('siteAccounts:redeem', { token, purpose })

function refusedWith(result: Awaited<ReturnType<typeof redeem>>, message: string | RegExp): void {
  expect(result.ok).toBe(false)
  if (!result.ok) expect(result.error.message).toMatch(message)
}

describe('account emails', () => {
  it('keeps only the hash of the token; the link works once', async () => {
    const core = await open()
    const id = await customer(core, 'ottoline@example.org')
    const { token, text, html } = await send(core, id, 'reset')
    expect(html).toContain(`${SITE}/account/reset?token=${token}`)
    expect(text).toContain(`${SITE}/account/reset?token=${token}`)

    const stored = (await core.db('site_account_tokens').where({ customer_id: id }).select()) as Array<Record<string, unknown>>
    expect(stored).toHaveLength(1)
    expect(stored[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(stored[0]!.expires_at).toBe(new Date(now.getTime() + RESET_VALID_MS).toISOString())
    expect(JSON.stringify(stored)).not.toContain(token)
    // Until it is delivered, the email in the outbox is the one copy (it must survive a crash); see 'delivery' below.
    // The bytes are the file's on SQLite; a server keeps its own storage.
    if (!onPostgres) {
      await core.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
      expect(readFileSync(core.dataFile).includes(Buffer.from(token))).toBe(true)
    }

    const first = await redeem(core, token, 'reset')
    expect(first).toEqual({ ok: true, data: { customerId: id, purpose: 'reset', email: 'ottoline@example.org' } })
    refusedWith(await redeem(core, token, 'reset'), 'This link was already used.')
    const list = await core.invoke('siteAccounts:forCustomer', { customerId: id })
    expect(list.tokens.map((t) => t.state)).toEqual(['used'])
    expect(JSON.stringify(list)).not.toContain(stored[0]!.token_hash as string)

    const log = (await core.db('change_log').where({ customer_id: id }).pluck('summary')) as string[]
    expect(log).toContain('Password reset email queued')
    expect(log).toContain('Password reset link used on the online booking site')
    expect(JSON.stringify(log)).not.toContain(token)
  })

  it('refuses an unknown link, a link of the other kind, and an expired one', async () => {
    const core = await open()
    const id = await customer(core)
    refusedWith(await redeem(core, 'A'.repeat(43), 'confirm'), 'This link is not valid.')
    const confirm = await send(core, id, 'confirm')
    refusedWith(await redeem(core, confirm.token, 'reset'), /confirms an account/)
    const reset = await send(core, id, 'reset')

    now = new Date(now.getTime() + RESET_VALID_MS + 1000)
    refusedWith(await redeem(core, reset.token, 'reset'), 'This link has expired. Ask for a new one.')
    // The confirm link lasts a week.
    now = new Date(now.getTime() + CONFIRM_VALID_MS - RESET_VALID_MS - 60_000)
    expect((await redeem(core, confirm.token, 'confirm')).ok).toBe(true)
    const states = (await core.invoke('siteAccounts:forCustomer', { customerId: id })).tokens.map((t) => [t.purpose, t.state])
    expect(states).toEqual([
      ['reset', 'expired'],
      ['confirm', 'used'],
    ])
  })

  it('cancels the earlier link when a new email of the same kind is sent', async () => {
    const core = await open()
    const id = await customer(core)
    const older = await send(core, id, 'reset')
    const confirm = await send(core, id, 'confirm')
    const newer = await send(core, id, 'reset')
    refusedWith(await redeem(core, older.token, 'reset'), 'This link was cancelled (Replaced by a newer email).')
    expect((await redeem(core, newer.token, 'reset')).ok).toBe(true)
    expect((await redeem(core, confirm.token, 'confirm')).ok).toBe(true)
  })

  it('lets only one of two uses at the same moment succeed', async () => {
    const core = await open()
    const id = await customer(core)
    const { token } = await send(core, id, 'confirm')
    const results = await Promise.all([redeem(core, token, 'confirm'), redeem(core, token, 'confirm'), redeem(core, token, 'confirm')])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    for (const r of results.filter((r) => !r.ok)) refusedWith(r, 'This link was already used.')
  })

  it('lets only one of two desks (two connections to the file) use it at the same moment', async () => {
    const core = await open()
    const id = await customer(core)
    const { token } = await send(core, id, 'reset')
    const other = openDatabase(core.dataFile)
    try {
      const desks = [core.context(), { ...core.context(), db: other }]
      const results = await Promise.allSettled(desks.map((ctx) => redeemToken(ctx, { token, purpose: 'reset' })))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = results.find((r) => r.status === 'rejected')
      expect(String(refused?.reason)).toMatch(/already used|busy|locked/i)
      expect(await core.db('site_account_tokens').whereNotNull('used_at').count({ n: '*' }).first()).toEqual({ n: 1 })
    } finally {
      await closeDatabase(other)
    }
  })

  it('is refused without a site address, for a blocked customer and for one without an email', async () => {
    const core = await open('')
    const id = await customer(core)
    const noSite = await core.call('siteAccounts:sendEmail', { customerId: id, purpose: 'confirm' })
    expect(noSite).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: "Set the online booking site's address in Settings → Email first." } })
    expect((await core.invoke('siteAccounts:forCustomer', { customerId: id })).cannotSend).toMatch(/site's address/)

    await setSiteAddress(core, `${SITE}/`)
    expect((await core.invoke('siteAccounts:forCustomer', { customerId: id })).cannotSend).toBe('')
    const noEmail = await customer(core, null)
    const refused = await core.call('siteAccounts:sendEmail', { customerId: noEmail, purpose: 'reset' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/has no email address/) as unknown } })
    await core.invoke('customers:block', { id, reason: 'Abusive on the phone' })
    const blocked = await core.call('siteAccounts:sendEmail', { customerId: id, purpose: 'reset' })
    expect(blocked).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is blocked/) as unknown } })
    expect((await core.invoke('siteAccounts:forCustomer', { customerId: id })).cannotSend).toMatch(/is blocked/)
    expect(await core.db('messages').count({ n: '*' }).first()).toEqual({ n: 0 })
    expect(await core.db('site_account_tokens').count({ n: '*' }).first()).toEqual({ n: 0 })
  })

  it("lists the customer's links in a subject access request, without token or hash", async () => {
    const core = await open()
    const id = await customer(core)
    const { token } = await send(core, id, 'confirm')
    await redeem(core, token, 'confirm')
    const data = await collectSubjectData(core.context(), id, NO_PROGRESS)
    expect(data.accountLinks).toEqual([
      expect.objectContaining({ purpose: 'confirm', createdAt: now.toISOString(), usedAt: now.toISOString(), revokedAt: null }),
    ])
    expect(data.sections).toContainEqual({ title: 'Online account links', count: 1 })
    const hash = createHash('sha256').update(token).digest('hex')
    expect(JSON.stringify(data.accountLinks)).not.toContain(hash)
    expect(JSON.stringify(data)).not.toContain(token)
  })

  it('shows the desk a waiting account email without its token', async () => {
    const core = await open()
    const id = await customer(core)
    const { token, messageId } = await send(core, id, 'reset')
    const shown = await core.invoke('messages:get', { id: messageId })
    expect(shown.text).toContain(`${SITE}/account/reset?token=removed-after-sending`)
    expect(JSON.stringify(shown)).not.toContain(token)
  })

  it('drops the token from a delivered email', () => {
    const token = 'x'.repeat(20) + '_-' + 'Y'.repeat(21)
    const body = `Reset: ${SITE}/account/reset?token=${token}\n<a href="${SITE}/account/confirm?token=${token}">`
    const cleaned = withoutAccountTokens(body)
    expect(cleaned).not.toContain(token)
    expect(cleaned).toContain(`${SITE}/account/reset?token=removed-after-sending`)
    expect(withoutAccountTokens('token=short')).toBe('token=short')
  })
})

describe('delivery', () => {
  it('arrives with its link; once delivered, the token is nowhere in the file', async () => {
    const smtp = await startSmtpServer()
    const secrets = new MemorySecretStore()
    const core = (app = await openTestCore({ mail: FAST_MAIL, secrets }))
    try {
      await useTestServer(core, secrets, smtp.port, { siteAddress: SITE })
      const id = await customer(core, 'hyacinth@example.org')
      const sent = await core.invoke('siteAccounts:sendEmail', { customerId: id, purpose: 'confirm' })
      const [mail] = await smtp.waitFor(1)
      expect(mail!.to).toEqual(['hyacinth@example.org'])
      const token = /\/account\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail!.parsed.text ?? '')?.[1]
      expect(token, mail!.parsed.text).toBeTruthy()
      expect(mail!.parsed.html || '').toContain(`href="${SITE}/account/confirm?token=${token}"`)

      const row = await eventually(async () => {
        const r = await messageRow(core.db, sent.messageId)
        return r.status === 'sent' ? r : null
      })
      expect(row.status).toBe('sent')
      const kept = (await core.db('messages').where({ id: sent.messageId }).first('body_text', 'body_html')) as { body_text: string; body_html: string }
      expect(kept.body_text).toContain(`${SITE}/account/confirm?token=removed-after-sending`)
      expect(kept.body_html).not.toContain(token)
      if (!onPostgres) {
        await core.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
        for (const file of [core.dataFile, `${core.dataFile}-wal`]) {
          if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(token!)), file).toBe(false)
        }
      }
      expect((await redeem(core, token!, 'confirm')).ok).toBe(true)
    } finally {
      await smtp.close()
    }
  })
})

describe('links stop working with the record', () => {
  it('when the customer is blocked, archived or moved to the recycle bin', async () => {
    const core = await open()
    const [a, b, c] = [await customer(core), await customer(core), await customer(core)]
    const tokens = [await send(core, a, 'reset'), await send(core, b, 'confirm'), await send(core, c, 'reset')]
    await core.invoke('customers:block', { id: a, reason: 'Unpaid' })
    await core.invoke('customers:archive', { id: b })
    await core.invoke('customers:delete', { id: c })
    refusedWith(await redeem(core, tokens[0]!.token, 'reset'), 'This link was cancelled (Customer blocked).')
    refusedWith(await redeem(core, tokens[1]!.token, 'confirm'), 'This link was cancelled (Customer archived).')
    refusedWith(await redeem(core, tokens[2]!.token, 'reset'), 'This link was cancelled (Customer deleted).')
    // Unblocking or restoring does not bring the old links back.
    await core.invoke('customers:unblock', { id: a })
    await core.invoke('recycleBin:restore', { id: c })
    refusedWith(await redeem(core, tokens[0]!.token, 'reset'), /was cancelled/)
    refusedWith(await redeem(core, tokens[2]!.token, 'reset'), /was cancelled/)
  })

  it('when customers are archived in bulk', async () => {
    const core = await open()
    const ids = [await customer(core), await customer(core), await customer(core)]
    const tokens = await Promise.all(ids.map((id) => send(core, id, 'confirm')))
    await core.runJob('customers:bulk', { selection: { kind: 'ids', ids: ids.slice(0, 2) }, action: { kind: 'archive' } })
    refusedWith(await redeem(core, tokens[0]!.token, 'confirm'), 'This link was cancelled (Customer archived).')
    refusedWith(await redeem(core, tokens[1]!.token, 'confirm'), 'This link was cancelled (Customer archived).')
    expect((await redeem(core, tokens[2]!.token, 'confirm')).ok).toBe(true)
  })

  it('when the customer is merged into another, also after the merge is undone', async () => {
    const core = await open()
    const survivor = await customer(core)
    const merged = await customer(core)
    const kept = await send(core, survivor, 'confirm')
    const gone = await send(core, merged, 'reset')
    const result = await core.runJob<{ mergeId: number }>('merges:merge', { customerIds: [survivor, merged], survivorId: survivor, choices: {} })
    refusedWith(await redeem(core, gone.token, 'reset'), /not valid|was cancelled/)
    await core.runJob('merges:undo', { mergeId: result.mergeId })
    refusedWith(await redeem(core, gone.token, 'reset'), /not valid|was cancelled/)
    expect((await redeem(core, kept.token, 'confirm')).ok).toBe(true)
  })

  it("of the survivor too, when it takes the merged record's email", async () => {
    const core = await open()
    const survivor = await customer(core)
    const merged = await customer(core)
    const { token } = await send(core, survivor, 'reset')
    await core.runJob('merges:merge', { customerIds: [survivor, merged], survivorId: survivor, choices: { email: merged } })
    refusedWith(await redeem(core, token, 'reset'), 'This link was cancelled (Email address changed).')
  })

  it("when the customer's personal data is erased", async () => {
    const core = await open()
    const id = await customer(core)
    const { token } = await send(core, id, 'reset')
    const preview = await core.invoke('privacy:erasePreview', { customerId: id })
    expect(preview.removed.map((r) => r.label)).toContain('Online booking site links (confirm account, reset password)')
    await core.runJob('privacy:erase', { customerId: id, confirm: preview.number })
    refusedWith(await redeem(core, token, 'reset'), 'This link is not valid.')
    expect(await core.db('site_account_tokens').where({ customer_id: id }).count({ n: '*' }).first()).toEqual({ n: 0 })
  })

  it('when a file imported over the records blocks, archives or gives them another email', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'frontdesk-links-')), 'status.csv')
    const none = async () => null
    app = await openTestCore({
      clock: () => now,
      dialogs: { chooseImportFile: async () => file, chooseExportFile: none, chooseRejectsFile: none, chooseReportFile: none, choosePrintoutFile: none },
    })
    await setSiteAddress(app, SITE)
    const core = app
    const [a, b, c] = [await customer(core), await customer(core), await customer(core)]
    const tokens = [await send(core, a, 'reset'), await send(core, b, 'confirm'), await send(core, c, 'confirm')]
    const number = (id: number) => `C-${String(id).padStart(6, '0')}`
    writeFileSync(file, `Customer number,Status,Email\n${number(a)},Blocked,\n${number(b)},Archived,\n${number(c)},Active,moved@example.org\n`)
    const preview = (await core.invoke('imports:choose', undefined)) as ImportPreview
    const done = await core.runJob<ImportSummary>('imports:run', { sourceId: preview.sourceId, sheet: preview.sheet, mapping: preview.mapping, match: 'overwrite' })
    expect(done).toMatchObject({ updated: 3 })
    refusedWith(await redeem(core, tokens[0]!.token, 'reset'), 'This link was cancelled (Customer blocked).')
    refusedWith(await redeem(core, tokens[1]!.token, 'confirm'), 'This link was cancelled (Customer archived).')
    refusedWith(await redeem(core, tokens[2]!.token, 'confirm'), 'This link was cancelled (Email address changed).')
  })

  it("when the customer's email address changes", async () => {
    const core = await open()
    const id = await customer(core, 'old.address@example.org')
    const { token } = await send(core, id, 'confirm')
    await core.invoke('customers:update', { id, customer: { firstName: 'Ottoline', lastName: 'Renamed', email: 'new.address@example.org' } })
    refusedWith(await redeem(core, token, 'confirm'), 'This link was cancelled (Email address changed).')
  })

  it('refuses a link of a customer who can no longer be written to, even if not cancelled', async () => {
    const core = await open()
    const id = await customer(core)
    const { token } = await send(core, id, 'confirm')
    await core.db('customers').where({ id }).update({ status: 'blocked' })
    refusedWith(await redeem(core, token, 'confirm'), 'This link can no longer be used: the customer is blocked.')
  })
})
