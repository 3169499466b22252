import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, finishJob, type TestCore } from '../helpers/core'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtpServer'
import { FAST_MAIL, useTestServer } from '../helpers/outbox'
import { MemorySecretStore } from '../../main/secrets'
import { queueMarketing } from '../../main/services/messages/marketing'
import { customerOfToken, unsubscribeKey, unsubscribeLinks, unsubscribeToken } from '../../main/services/messages/unsubscribe'
import { Cancelled, type Progress } from '../../main/services/progress'
import type { JobStatus, MarketingPreview, MarketingResult } from '../../preload/contract'

const SITE = 'https://book.studio.example'

/** Marketing to a selection over a real SMTP server: who receives it, who is left out and why, unsubscribing. */
describe('marketing emails', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined)
  })

  async function setUp(options: { site?: string; server?: boolean } = {}): Promise<{ app: TestCore; smtp: TestSmtpServer | null }> {
    const secrets = new MemorySecretStore()
    const app = await openTestCore({ mail: FAST_MAIL, secrets })
    open.push({ close: () => app.cleanup() })
    let smtp: TestSmtpServer | null = null
    if (options.server !== false) {
      smtp = await startSmtpServer()
      open.push(smtp)
    }
    // Without a server, email is not set up: what is queued stays in the outbox for the test to look at.
    await useTestServer(app, secrets, smtp?.port ?? 9, { siteAddress: options.site ?? SITE, ...(smtp ? {} : { host: '' }) })
    return { app, smtp }
  }

  async function customer(app: TestCore, first: string, last: string, options: { email?: string; consent?: boolean } = {}): Promise<number> {
    const made = await app.invoke('customers:create', { firstName: first, lastName: last, email: options.email ?? '' })
    if (options.consent) {
      await app.invoke('customers:setPreferences', {
        id: made.id,
        marketingConsent: true,
        unsubscribed: false,
        channel: 'desk',
        wording: 'Yes, send me the newsletter.',
      })
    }
    return made.id
  }

  async function marketingTemplateId(app: TestCore): Promise<number> {
    const row = (await app.db('email_templates').where({ purpose: 'marketing' }).first('id')) as { id: number }
    return row.id
  }

  /** Five customers, one of each kind the rule tells apart. */
  async function mixedList(app: TestCore) {
    const ann = await customer(app, 'Ann', 'Agreed', { email: 'ann@example.org', consent: true })
    const bob = await customer(app, 'Bob', 'Never', { email: 'bob@example.org' })
    const cat = await customer(app, 'Cat', 'Noemail', { consent: true })
    const dan = await customer(app, 'Dan', 'Blocked', { email: 'dan@example.org', consent: true })
    await app.invoke('customers:block', { id: dan, reason: 'Unpaid bills' })
    const eve = await customer(app, 'Eve', 'Quiet', { email: 'eve@example.org', consent: true })
    await app.invoke('customers:setPreferences', { id: eve, marketingConsent: false, unsubscribed: true, channel: 'phone', wording: '' })
    return { ann, bob, cat, dan, eve, ids: [ann, bob, cat, dan, eve] }
  }

  it('sends only to those who agreed, counts and names the rest, and carries the unsubscribe link and one-click headers', async () => {
    const { app, smtp } = await setUp()
    const people = await mixedList(app)
    const input = { selection: { kind: 'ids' as const, ids: people.ids }, templateId: await marketingTemplateId(app) }

    const preview: MarketingPreview = await app.invoke('messages:marketingPreview', input)
    expect(preview).toMatchObject({
      selected: 5,
      willSend: 1,
      leftOut: { total: 4, noConsent: 1, noEmail: 1, unsubscribed: 1, other: 1 },
      problem: null,
      setUp: true,
    })
    expect(preview.leftOutNames.map((c) => [c.name, c.reason])).toEqual([
      ['Bob Never', 'noConsent'],
      ['Cat Noemail', 'noEmail'],
      ['Dan Blocked', 'blocked'],
      ['Eve Quiet', 'unsubscribed'],
    ])
    expect(preview.leftOutNames[0]!.why).toBe('Bob Never has not agreed to marketing emails.')

    const started = (await app.invoke('messages:sendMarketing', input)) as JobStatus
    const status = await finishJob(app.call, started)
    expect(status.state).toBe('done')
    const result = status.result as MarketingResult
    expect(result).toMatchObject({ selected: 5, queued: 1, leftOut: preview.leftOut, leftOutNames: preview.leftOutNames })

    const batch = await app.db('message_batches').where({ id: result.batchId }).first()
    expect(batch).toMatchObject({ selected_count: 5, queued_count: 1, skipped_no_consent: 1, skipped_no_email: 1, skipped_other: 2, staff_name: 'Administrator' })
    const rows = (await app.db('messages').where({ batch_id: result.batchId }).select('customer_id', 'kind', 'headers')) as Array<{ customer_id: number; kind: string; headers: string }>
    expect(rows.map((r) => [r.customer_id, r.kind])).toEqual([[people.ann, 'marketing']])

    // Delivered by the outbox's sender, woken when the job finished.
    const [mail] = await smtp!.waitFor(1)
    expect(mail!.to).toEqual(['ann@example.org'])
    const token = unsubscribeToken(await unsubscribeKey(app.db), people.ann)
    const link = `${SITE}/unsubscribe?t=${token}`
    expect(mail!.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const unfolded = mail!.raw.replace(/\r\n[ \t]+/g, ' ')
    expect(unfolded).toContain(`List-Unsubscribe: <${link}>, <mailto:desk@studio.example?subject=unsubscribe>`)
    expect(mail!.parsed.text).toContain(link)
    expect(mail!.parsed.html || '').toContain(`href="${link}"`)
    expect(mail!.parsed.text).toContain('Ann')
  })

  it('records an unsubscribe through the link as consent evidence, and the next send leaves them out', async () => {
    const { app } = await setUp({ server: false })
    const ann = await customer(app, 'Ann', 'Agreed', { email: 'ann@example.org', consent: true })
    const token = unsubscribeToken(await unsubscribeKey(app.db), ann)
    const templateId = await marketingTemplateId(app)
    // A batch still waiting in the outbox is not sent once they leave.
    await app.runJob<MarketingResult>('messages:sendMarketing', { selection: { kind: 'ids', ids: [ann] }, templateId })

    const first = await app.invoke('messages:unsubscribe', { token })
    expect(first).toEqual({ customerId: ann, alreadyUnsubscribed: false, cancelledMessages: 1 })
    const history = await app.invoke('customers:consentHistory', { id: ann })
    expect(history[0]).toMatchObject({ kind: 'marketing', granted: false, channel: 'link', wording: 'Unsubscribed with the link in a marketing email.' })
    expect(((await app.db('customers').where({ id: ann }).first('marketing_consent')) as { marketing_consent: number }).marketing_consent).toBeFalsy()
    const log = (await app.db('change_log').where({ customer_id: ann, action: 'customer.preferences' }).orderBy('id', 'desc').first('summary')) as { summary: string }
    expect(log.summary).toBe('Newsletter/marketing: Yes → No (unsubscribe link)')

    // A second click changes nothing.
    expect(await app.invoke('messages:unsubscribe', { token })).toEqual({ customerId: ann, alreadyUnsubscribed: true, cancelledMessages: 0 })
    expect(await app.invoke('customers:consentHistory', { id: ann })).toHaveLength(history.length)

    const preview = await app.invoke('messages:marketingPreview', { selection: { kind: 'ids', ids: [ann] }, templateId })
    expect(preview).toMatchObject({ willSend: 0, leftOut: { noConsent: 1 } })
  })

  it('refuses a made-up or damaged token and changes nothing', async () => {
    const { app } = await setUp({ server: false })
    const ann = await customer(app, 'Ann', 'Agreed', { email: 'ann@example.org', consent: true })
    const bob = await customer(app, 'Bob', 'Agreed', { email: 'bob@example.org', consent: true })
    const key = await unsubscribeKey(app.db)
    const annToken = unsubscribeToken(key, ann)
    // Bob's id with Ann's signature; Ann's token cut short; signed with another key.
    const mac = Buffer.from(annToken, 'base64url').subarray(`${ann}.`.length)
    const forged = Buffer.concat([Buffer.from(`${bob}.`), mac]).toString('base64url')
    const otherKey = unsubscribeToken('ab'.repeat(32), ann)
    for (const token of [forged, annToken.slice(0, -3), otherKey, 'not-a-token-at-all']) {
      expect(await app.call('messages:unsubscribe', { token })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: 'This unsubscribe link is not valid: it may have been copied only in part. Nothing was changed.' },
      })
    }
    expect(customerOfToken(key, annToken)).toBe(ann)
    expect(await app.db('consent_events').where({ channel: 'link' }).count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('refuses marketing without the booking site address, and a template not meant for marketing', async () => {
    const { app } = await setUp({ site: '', server: false })
    const ann = await customer(app, 'Ann', 'Agreed', { email: 'ann@example.org', consent: true })
    const input = { selection: { kind: 'ids' as const, ids: [ann] }, templateId: await marketingTemplateId(app) }
    const preview = await app.invoke('messages:marketingPreview', input)
    expect(preview.problem).toBe("Set the online booking site's address in Settings → Email first: every marketing email needs an unsubscribe link.")
    const status = await finishJob(app.call, (await app.invoke('messages:sendMarketing', input)) as JobStatus)
    expect(status).toMatchObject({ state: 'failed', error: { code: 'VALIDATION', message: preview.problem } })

    const general = (await app.db('email_templates').where({ purpose: 'general' }).first('id', 'name')) as { id: number; name: string }
    expect(await app.call('messages:marketingPreview', { ...input, templateId: general.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'templateId' },
    })
    expect(await app.db('messages').count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('writes all or nothing: Cancel part-way leaves no message and no batch', async () => {
    const { app } = await setUp({ server: false })
    await app.runJob('demo:seed', { count: 1200, seed: 7 })
    // Everyone agreed and can be written to (unique addresses, none blocked or archived).
    await app.db('customers').update({ status: 'active', marketing_consent: true, unsubscribed: false, email: app.db.raw("'reader' || id || '@example.org'") })
    const ids = ((await app.db('customers').orderBy('id').select('id')) as Array<{ id: number }>).map((r) => r.id)
    let checks = 0
    const reports: Array<[number, number]> = []
    const cancelLater: Progress = {
      report: (done, total) => reports.push([done, total]),
      checkCancelled: () => {
        if (++checks === 3) throw new Cancelled()
      },
      waitForWriteTurn: () => Promise.resolve(),
    }
    const input = { selection: { kind: 'ids' as const, ids }, templateId: await marketingTemplateId(app) }
    await expect(queueMarketing(app.context(), input, cancelLater)).rejects.toThrow('Cancelled')
    expect(reports).toEqual([
      [0, 1200],
      [500, 1200],
      [1000, 1200],
    ])
    expect(await app.db('messages').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await app.db('message_batches').count({ n: '*' })).toEqual([{ n: 0 }])

    const done = await queueMarketing(app.context(), input)
    expect(done).toMatchObject({ selected: 1200, queued: 1200, leftOut: { total: 0 } })
  })

  it('takes every customer matching a filter, refusing when the list changed since it was counted', async () => {
    const { app } = await setUp({ server: false })
    await customer(app, 'Ann', 'Filtered', { email: 'ann@example.org', consent: true })
    await customer(app, 'Bob', 'Filtered', { email: 'bob@example.org' })
    const templateId = await marketingTemplateId(app)
    const selection = { kind: 'filter' as const, tab: 'active' as const, filter: { search: 'Filtered' }, expectedCount: 2 }
    expect(await app.invoke('messages:marketingPreview', { selection, templateId })).toMatchObject({ selected: 2, willSend: 1 })
    expect(await app.call('messages:marketingPreview', { selection: { ...selection, expectedCount: 3 }, templateId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
  })
})

describe('unsubscribe links', () => {
  const key = 'cd'.repeat(32)

  it('offer one-click only with a https booking site address, and the mailto form always', () => {
    const https = unsubscribeLinks(key, 'https://book.example.com/', 'desk@example.com', 42)
    expect(https.url).toBe(`https://book.example.com/unsubscribe?t=${unsubscribeToken(key, 42)}`)
    expect(https.headers).toEqual({
      'List-Unsubscribe': `<${https.url}>, <mailto:desk@example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    expect(unsubscribeLinks(key, '', 'desk@example.com', 42)).toEqual({
      url: '',
      headers: { 'List-Unsubscribe': '<mailto:desk@example.com?subject=unsubscribe>' },
    })
    expect(unsubscribeLinks(key, 'http://book.example.com', '', 42).headers).toEqual({ 'List-Unsubscribe': `<http://book.example.com/unsubscribe?t=${unsubscribeToken(key, 42)}>` })
    // Each customer's token is their own.
    expect(unsubscribeToken(key, 42)).not.toBe(unsubscribeToken(key, 43))
    expect(customerOfToken(key, unsubscribeToken(key, 43))).toBe(43)
  })
})
