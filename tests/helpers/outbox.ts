import type { Knex } from 'knex'
import { queueMessage, type MessageDraft } from '../../main/services/messages/queue'
import { updateMailSettings } from '../../main/services/mail/update'
import type { MailSettingsPatch } from '../../preload/contract/schemas/mail'
import type { OutboxOptions } from '../../main/services/messages/sender'
import type { SecretStore } from '../../main/secrets'
import type { TestCore } from './core'
import { TEST_SMTP_CERT, TEST_SMTP_PASSWORD, TEST_SMTP_USER } from './smtpServer'

/** Outbox waits for tests: a turned-away message is tried again within a fraction of a second, an unreachable server within 300 ms. */
export const FAST_MAIL: OutboxOptions = { tlsCa: TEST_SMTP_CERT, retry: { firstMs: 100, maxMs: 400, attempts: 3 }, offlineMaxMs: 300 }

/** Points the core's mail settings at a test SMTP server (STARTTLS, its user and password) and wakes the sender. */
export async function useTestServer(core: TestCore, secrets: SecretStore, port: number, patch: MailSettingsPatch = {}): Promise<void> {
  await updateMailSettings(core.context(), secrets, {
    host: '127.0.0.1',
    port,
    security: 'starttls',
    user: TEST_SMTP_USER,
    password: TEST_SMTP_PASSWORD,
    fromName: 'Studio Desk',
    fromAddress: 'desk@studio.example',
    replyTo: 'hello@studio.example',
    ...patch,
  })
  core.outbox.settingsChanged()
}

/** A message written to the outbox as the app writes them, for a made-up recipient. */
export async function queueTestMessages(core: TestCore, count: number, draft: Partial<MessageDraft> = {}): Promise<number[]> {
  const ctx = core.context()
  const ids: number[] = []
  await core.db.transaction(async (trx: Knex.Transaction) => {
    for (let i = 0; i < count; i++) {
      ids.push(
        await queueMessage(trx, ctx, {
          kind: 'general',
          customerId: null,
          toAddress: `customer${i}@example.com`,
          toName: `Customer ${i}`,
          subject: `Hello ${i}`,
          text: `Plain text ${i}`,
          html: `<p>HTML ${i}</p>`,
          ...draft,
        }),
      )
    }
  })
  core.outbox.wake()
  return ids
}

/** Waits until `check` holds, looking every 20 ms. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export interface OutboxRowState {
  id: number
  status: string
  attempts: number
  last_error: string
  message_id: string
  next_attempt_at: string
}

export async function messageRow(db: Knex, id: number): Promise<OutboxRowState> {
  return (await db('messages').where({ id }).first('id', 'status', 'attempts', 'last_error', 'message_id', 'next_attempt_at')) as OutboxRowState
}
