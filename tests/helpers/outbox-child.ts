import { openFrontdesk } from '../../main/app-core'
import { MemorySecretStore } from '../../main/secrets'
import { TEST_SMTP_CERT, TEST_SMTP_PASSWORD } from './smtpServer'
import { testWorker } from './worker'

/*
 * The desk in a process of its own, so a test can kill it (SIGKILL) while a
 * message is on its way to the mail server:
 *
 *   outbox-child FILE
 *
 * Opens the customer file as the app does (its mail settings already point
 * at the test server), with the test server's password kept in memory, and
 * prints `ready`; the outbox's sender then delivers whatever is queued.
 */
async function main(): Promise<void> {
  const [file] = process.argv.slice(2)
  await openFrontdesk({
    dataFile: file!,
    isTrustedSender: () => true,
    worker: testWorker,
    secrets: new MemorySecretStore({ smtpPassword: TEST_SMTP_PASSWORD }),
    mail: { tlsCa: TEST_SMTP_CERT, retry: { firstMs: 100, maxMs: 400, attempts: 3 }, offlineMaxMs: 300 },
    backupBeforeMigrate: false,
  })
  process.stdout.write('ready\n')
  // Runs until killed.
  setInterval(() => undefined, 60_000)
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
