import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

const fixtures = join(__dirname, '..', 'fixtures', 'smtp')
/** The test server's self-signed certificate (CN localhost, 127.0.0.1): give it to the desk as the CA to trust. */
export const TEST_SMTP_CERT = readFileSync(join(fixtures, 'cert.pem'), 'utf8')
const TEST_SMTP_KEY = readFileSync(join(fixtures, 'key.pem'), 'utf8')

export const TEST_SMTP_USER = 'desk'
export const TEST_SMTP_PASSWORD = 'secret'

export interface TestSmtpOptions {
  /** Implicit TLS from the first byte (port-465 style); otherwise STARTTLS is offered and required before AUTH. */
  secure?: boolean
  /** Require AUTH with TEST_SMTP_USER / TEST_SMTP_PASSWORD (default true). */
  auth?: boolean
  /** Listen on this port (default: any free one). A restarted server can take its old port back. */
  port?: number
  /** Hold each message's DATA this long before answering (to catch the desk mid-send). */
  delayDataMs?: number
}

export interface ReceivedMessage {
  /** The envelope: MAIL FROM and RCPT TO. */
  from: string
  to: string[]
  /** The raw message as it arrived. */
  raw: string
  parsed: ParsedMail
}

export interface TestSmtpServer {
  port: number
  received: ReceivedMessage[]
  /** Messages whose DATA has started arriving (counted before the delay). */
  dataStarted: number
  /** Answer the next `count` messages with this SMTP reply, e.g. (450, 'Mailbox busy') or (550, 'No such user'). */
  rejectNext(code: number, text: string, count?: number): void
  /** Resolves once `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>
  /** Stops listening and drops open connections (the server "goes down"). */
  close(): Promise<void>
}

/** A real SMTP server on 127.0.0.1 for tests: STARTTLS or TLS with a self-signed certificate, AUTH, every message parsed back. */
export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = []
  const rejections: Array<{ code: number; text: string }> = []
  const waiters: Array<() => void> = []
  let dataStarted = 0
  const requireAuth = options.auth ?? true
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: TEST_SMTP_KEY,
    cert: TEST_SMTP_CERT,
    authOptional: !requireAuth,
    allowInsecureAuth: false,
    disabledCommands: requireAuth ? [] : ['AUTH'],
    logger: false,
    hideSTARTTLS: options.secure ?? false,
    onAuth(auth, _session, callback) {
      if (auth.username === TEST_SMTP_USER && auth.password === TEST_SMTP_PASSWORD) callback(null, { user: auth.username })
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onData(stream, session, callback) {
      dataStarted++
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const finish = async () => {
          if (options.delayDataMs) await new Promise((resolve) => setTimeout(resolve, options.delayDataMs))
          const rejection = rejections.shift()
          if (rejection) {
            callback(Object.assign(new Error(rejection.text), { responseCode: rejection.code }))
            return
          }
          const raw = Buffer.concat(chunks).toString('utf8')
          const parsed = await simpleParser(raw)
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            parsed,
          })
          callback()
          for (const wake of waiters.splice(0)) wake()
        }
        finish().catch((error: unknown) => callback(error as Error))
      })
    },
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    received,
    get dataStarted() {
      return dataStarted
    },
    rejectNext(code, text, count = 1) {
      for (let i = 0; i < count; i++) rejections.push({ code, text })
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} messages, ${received.length} arrived`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return received
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of server.connections) connection.close()
        server.close(() => resolve())
      }),
  }
}
