import nodemailer, { type Transporter } from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import type { MailSettings } from './settings'

/** How the desk's connections to the mail server are made beyond the settings (tests trust their own certificate). */
export interface TransportOptions {
  /** An extra certificate authority to trust (PEM), e.g. a test server's self-signed certificate. */
  tlsCa?: string
  /** One connection, closed after use (the test email), or a pool kept open while the outbox is sent. */
  pool?: boolean
}

export type MailTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>

/**
 * A nodemailer SMTP transport for these settings. STARTTLS is required when
 * chosen (never silently sent in the clear); "none" is for a server on the
 * local network that offers no protection at all.
 */
export function createMailTransport(settings: MailSettings, password: string | null, options: TransportOptions = {}): MailTransport {
  const config: SMTPPool.Options = {
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    // A pool of a few connections: enough for 100+ messages a second, few enough that no provider calls it abuse.
    maxConnections: options.pool === false ? 1 : 5,
    maxMessages: options.pool === false ? 1 : 100,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dnsTimeout: 15_000,
    tls: { minVersion: 'TLSv1.2', ...(options.tlsCa ? { ca: [options.tlsCa] } : {}) },
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
  }
  return nodemailer.createTransport(config)
}

/** Something nodemailer or the socket underneath it threw, as far as the desk reads it. */
interface MailError {
  code?: string
  responseCode?: number
  response?: string
  command?: string
  message?: string
  reason?: string
}

/** SMTP replies that say the server or the account cannot take mail now, whatever the message: try the whole outbox later. */
const SERVER_REPLIES = new Set([421, 454, 530, 534, 535, 538])

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EREQUIRETLS',
  'EPROTOCOL',
  'EAUTH',
  'ENOAUTH',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** How a failed delivery is taken: the server cannot be used now, this message may go later, or it never will. */
export type FailureKind = 'connection' | 'retry' | 'permanent'

export function failureKind(error: unknown): FailureKind {
  const e = (error ?? {}) as MailError
  if (e.responseCode && SERVER_REPLIES.has(e.responseCode)) return 'connection'
  if (e.responseCode && e.responseCode >= 500) return 'permanent'
  if (e.responseCode && e.responseCode >= 400) return 'retry'
  if (e.code && CONNECTION_CODES.has(e.code)) return 'connection'
  return 'retry'
}

/** The server's own reply, without the status digits nodemailer repeats. */
function serverWords(e: MailError): string {
  const words = (e.response ?? e.message ?? '').replace(/\s+/g, ' ').trim()
  return words.length > 300 ? `${words.slice(0, 299)}…` : words
}

const CERTIFICATE = /certificate|self[- ]signed|CERT_|altname|unable to verify|issuer/i

/** OpenSSL's reason without its codes and source paths ("…:SSL routines:…:wrong version number:../deps/…" → "wrong version number"). */
function plain(message = ''): string {
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(message)
  return (openssl ? openssl[1]! : message).replace(/\s+/g, ' ').trim()
}

/**
 * Why a message could not be handed to the mail server, in a sentence the
 * desk can act on, with the server's own words where it gave some.
 */
export function describeMailError(error: unknown, settings: Pick<MailSettings, 'host' | 'port' | 'security'>): string {
  const e = (error ?? {}) as MailError
  const where = `${settings.host}:${settings.port}`
  const text = `${e.message ?? ''} ${e.reason ?? ''}`
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534)
    return `The mail server refused the user name or password (“${serverWords(e)}”). Check the user and password in Settings → Email.`
  if (e.code === 'ENOAUTH' || e.responseCode === 530)
    return `The mail server wants a user name and password before it takes mail (“${serverWords(e)}”). Enter them in Settings → Email.`
  if (CERTIFICATE.test(text))
    return `The mail server’s certificate could not be trusted (${plain(e.message)}). Check the server name in Settings → Email, or ask your email provider.`
  if (/ECONNREFUSED/.test(text) || e.code === 'ECONNREFUSED')
    return `The mail server at ${where} refused the connection. Check the server name and port in Settings → Email, or whether the server is running.`
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text))
    return `The mail server “${settings.host}” could not be found. Check the server name in Settings → Email and the internet connection.`
  if (e.code === 'ETIMEDOUT' || /timed? ?out/i.test(text))
    return `The mail server at ${where} did not answer in time. Check the internet connection, and the server name, port and security in Settings → Email (port 465 usually uses TLS, port 587 STARTTLS).`
  if (/wrong version number/i.test(text))
    return `A protected connection to ${where} could not be made: the server does not start with TLS on this port. Check the security setting in Settings → Email: port 465 usually uses TLS, port 587 STARTTLS.`
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS' || /ssl|tls/i.test(text))
    return `A protected connection to ${where} could not be made (${plain(e.message)}). Check the security setting in Settings → Email: port 465 usually uses TLS, port 587 STARTTLS.`
  if (/EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE|closed/i.test(text) || e.code === 'ECONNECTION' || e.code === 'ESOCKET')
    return `The connection to the mail server at ${where} was lost (${plain(e.message)}). Check the internet connection; messages wait in the outbox meanwhile.`
  if (e.responseCode) return `The mail server answered: “${serverWords(e)}”.`
  return `The message could not be sent: ${serverWords(e) || 'the mail server gave no reason'}.`
}
