import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { TEST_SMTP_CERT, TEST_SMTP_PASSWORD, TEST_SMTP_USER } from '../helpers/smtpServer'

/*
 * A mail server for the delivery benchmark, in a process of its own so the
 * desk's figures (messages a second, memory, main-thread delays) are the
 * desk's alone: STARTTLS with the test certificate, AUTH, every message
 * read and thrown away. Prints `port N` once listening.
 */
const key = readFileSync(join(__dirname, '..', 'fixtures', 'smtp', 'key.pem'), 'utf8')
const server = new SMTPServer({
  key,
  cert: TEST_SMTP_CERT,
  logger: false,
  allowInsecureAuth: false,
  onAuth(auth, _session, callback) {
    if (auth.username === TEST_SMTP_USER && auth.password === TEST_SMTP_PASSWORD) callback(null, { user: auth.username })
    else callback(new Error('Invalid username or password'))
  },
  onData(stream, _session, callback) {
    stream.on('data', () => undefined)
    stream.on('end', () => callback())
  },
})
server.on('error', () => undefined)
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.server.address() as AddressInfo).port}\n`))
