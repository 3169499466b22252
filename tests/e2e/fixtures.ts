import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import type { FrontdeskCore } from '../../main/app-core'
import { openDataLayer } from '../../main/dataLayer'
import { useServerBackupsHome } from '../../main/services/backups'
import { MemorySecretStore } from '../../main/secrets'
import type { BackupDialogs } from '../../main/backupHooks'
import { BUILT_IN_ADMIN, type StaffMember } from '../../main/services/context'
import { trustedSenderCheck } from '../../main/security'
import type { FileDialogs } from '../../main/fileDialogs'
import { testWorker } from '../helpers/worker'
import { finishJob, jobResult } from '../helpers/core'
import { copyFreshDataFile } from '../helpers/freshFile'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { updateMailSettings } from '../../main/services/mail/update'
import type { MailSettingsPatch } from '../../preload/contract/schemas/mail'
import type { MailSettingsView } from '../../preload/contract/schemas/mail'
import { startSmtpServer, TEST_SMTP_CERT, TEST_SMTP_PASSWORD, TEST_SMTP_USER, type TestSmtpServer } from '../helpers/smtpServer'
import { connectPage, type SlowChannels } from './bridge'
import type { WriteGate } from '../../db/writeGate'

export type { SlowChannels }
import {
  type Channel,
  type Input,
  type MenuEvent,
  type Output,
  type Result,
  type SeedResult,
  type StaffAccount,
  type StaffRole,
} from '../../preload/contract'

/**
 * The Playwright stand-in for Electron: the built renderer runs in Chromium,
 * and `window.api` has the preload's shape but forwards each call through
 * `page.exposeBinding` to the real router on a fresh SQLite file. Sender
 * checks stay on: the binding reports the calling frame's real URL, as
 * Electron's `event.senderFrame` would.
 */

export interface FrontdeskTestApi {
  /** Calls a channel as the app would; throws `CODE: message` when the result is not ok. */
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
  /** Calls a channel and returns the raw `{ ok, data | error }` result. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>
}

/**
 * The open and save dialogs, answered by the test: set the file the next one
 * returns (each answer is used once); unset, a dialog is cancelled. The names
 * main suggested are kept for assertions.
 */
export interface FakeFileDialogs extends FileDialogs {
  nextImportFile: string | null
  nextExportFile: string | null
  nextRejectsFile: string | null
  nextReportFile: string | null
  nextPrintoutFile: string | null
  suggestedNames: string[]
}

function fakeFileDialogs(): FakeFileDialogs {
  const dialogs: FakeFileDialogs = {
    nextImportFile: null,
    nextExportFile: null,
    nextRejectsFile: null,
    nextReportFile: null,
    nextPrintoutFile: null,
    suggestedNames: [],
    chooseImportFile: async () => {
      const file = dialogs.nextImportFile
      dialogs.nextImportFile = null
      return file
    },
    chooseExportFile: async (suggestedName) => {
      dialogs.suggestedNames.push(suggestedName)
      const file = dialogs.nextExportFile
      dialogs.nextExportFile = null
      return file
    },
    chooseRejectsFile: async (suggestedName) => {
      dialogs.suggestedNames.push(suggestedName)
      const file = dialogs.nextRejectsFile
      dialogs.nextRejectsFile = null
      return file
    },
    chooseReportFile: async (suggestedName) => {
      dialogs.suggestedNames.push(suggestedName)
      const file = dialogs.nextReportFile
      dialogs.nextReportFile = null
      return file
    },
    choosePrintoutFile: async (suggestedName) => {
      dialogs.suggestedNames.push(suggestedName)
      const file = dialogs.nextPrintoutFile
      dialogs.nextPrintoutFile = null
      return file
    },
  }
  return dialogs
}

/** The backup folder and file dialogs, answered by the test like the others (each answer used once). */
export interface FakeBackupDialogs extends BackupDialogs {
  nextBackupFolder: string | null
  nextBackupFile: string | null
}

function fakeBackupDialogs(): FakeBackupDialogs {
  const dialogs: FakeBackupDialogs = {
    nextBackupFolder: null,
    nextBackupFile: null,
    chooseBackupFolder: async () => {
      const folder = dialogs.nextBackupFolder
      dialogs.nextBackupFolder = null
      return folder
    },
    chooseBackupFile: async () => {
      const file = dialogs.nextBackupFile
      dialogs.nextBackupFile = null
      return file
    },
  }
  return dialogs
}

export interface FrontdeskApp {
  /** The core open now: a restore replaces it (the page's and the test's calls follow). */
  readonly core: FrontdeskCore
  backupDialogs: FakeBackupDialogs
  /** The file dialogs import and export open; cancelled unless the test names a file. */
  dialogs: FakeFileDialogs
  /** Files the desk asked the system to open (a printout in the PDF viewer), in order. */
  opened: string[]
  dataFile: string
  api: FrontdeskTestApi
  /** Adds `count` synthetic customers through the `demo:seed` channel. */
  seed: (count: number, seed?: number) => Promise<SeedResult>
  /** Fires a menu command as the application menu would. */
  emitMenu: (event: MenuEvent) => Promise<void>
  /** Saves a PNG of the page as test-results/screenshots/<name>.png and attaches it to the report; not in CI (see TAKE_SCREENSHOTS). */
  screenshot: (name: string) => Promise<void>
  /**
   * Adds a person with this role (as the administrator signed in now) and
   * signs the desk in as them; open or reload the page afterwards.
   */
  signInAs: (role: StaffRole, name?: string) => Promise<StaffAccount & { password: string }>
  /**
   * Points Settings → Email at a test SMTP server (the `smtp` fixture):
   * 127.0.0.1, STARTTLS, user and password of the test server, sender
   * "Frontdesk Test <desk@example.com>"; `settings` overrides any of it.
   * The core already trusts the test server's certificate.
   */
  setUpMail: (server: TestSmtpServer, settings?: MailSettingsPatch) => Promise<MailSettingsView>
  /**
   * Waits for the long job writing now (an import) to end a turn, then keeps it from writing again
   * until the returned release is called; the desk's saves go through meanwhile, as between turns.
   */
  holdJobWrites: () => Promise<() => void>
}

/** The password `signInAs` gives the people it adds. */
export const TEST_PASSWORD = 'correct horse battery'

const screenshotDir = join(__dirname, '../../test-results/screenshots')

/*
 * Screenshots are for people to look at, the whole page as far as it scrolls. CI keeps nothing but its
 * log, so none are taken there (Playwright still saves one of a test that fails): the suite asks for
 * nearly 300, and each took a quarter of a second of a busy machine.
 */
const TAKE_SCREENSHOTS = !process.env['CI']

/** Saves a PNG of a page (or one part of it) at `path`, for people to look at; not in CI (see TAKE_SCREENSHOTS). */
export async function saveScreenshot(target: Page | Locator, path: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!TAKE_SCREENSHOTS) return
  mkdirSync(dirname(path), { recursive: true })
  await ('goto' in target ? target.screenshot({ path, fullPage: options.fullPage ?? false }) : target.screenshot({ path }))
}

/**
 * Outbox waits in E2E: a message the server turned away is tried again within a second or two,
 * an unreachable server within two seconds.
 */
const E2E_MAIL = { tlsCa: TEST_SMTP_CERT, retry: { firstMs: 500, maxMs: 2_000, attempts: 3 }, offlineMaxMs: 2_000 }

/*
 * Transitions and animations take no time in the tests. Playwright waits for an element to stand still
 * before it clicks it, and Vuetify's dialogs, menus, tabs and snackbars move for a quarter of a second
 * or so each; a spinner keeps Chromium's compositor drawing frames. Every screen at rest is the same.
 */
const NO_MOTION = `*, *::before, *::after {
  transition-duration: 0s !important; transition-delay: 0s !important;
  animation-duration: 0s !important; animation-delay: 0s !important; animation-iteration-count: 1 !important;
}`

/** Runs in the page before its scripts: the rule goes in as soon as there is a head to hold it. */
const STILL_PAGE = `(() => {
  const add = () => document.head.appendChild(Object.assign(document.createElement('style'), { textContent: ${JSON.stringify(NO_MOTION)} }))
  if (document.head) add()
  else document.addEventListener('DOMContentLoaded', add, { once: true })
})()`

export const test = base.extend<{ app: FrontdeskApp; slowChannels: SlowChannels; startAs: StaffMember | null; smtp: TestSmtpServer }>({
  /**
   * A real SMTP server on 127.0.0.1 (STARTTLS, AUTH), started for the tests that ask for it and closed after;
   * `smtp.received` holds what arrived, parsed. `app.setUpMail(smtp)` points the desk at it.
   */
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  smtp: async ({}, use) => {
    const server = await startSmtpServer()
    try {
      await use(server)
    } finally {
      await server.close()
    }
  },
  /** Per test (`test.use({ slowChannels: { 'catalogue:list': 800 } })`): the page's calls answered late; the test's own calls are not. */
  slowChannels: [{}, { option: true }],
  /** Who the desk starts signed in as (the built-in administrator); null: signed out, or first-run set-up on a new file. */
  startAs: [BUILT_IN_ADMIN, { option: true }],
  app: async ({ page, baseURL, slowChannels, startAs }, use, testInfo) => {
    const origin = baseURL ?? 'http://127.0.0.1:4417'
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-e2e-'))
    // The smoke tests run on PostgreSQL too: the same screens on a fresh server database.
    const server = onPostgres ? await freshServerDatabase() : null
    const dataFile = server?.url ?? join(dir, 'frontdesk.sqlite3')
    const dialogs = fakeFileDialogs()
    const opened: string[] = []
    const viewer = { openFile: async (file: string) => void opened.push(file) }
    const backupDialogs = fakeBackupDialogs()
    const secrets = new MemorySecretStore()
    if (!server) await copyFreshDataFile(dataFile)
    // A server desk's backups go to this test's own folder.
    else useServerBackupsHome(dir)
    const layer = await openDataLayer({
      dataFile,
      isTrustedSender: trustedSenderCheck(`${origin}/`),
      worker: testWorker,
      dialogs,
      viewer,
      secrets,
      backupDialogs,
      mail: E2E_MAIL,
      // Reminders only when a test sweeps (core.reminders.sweepNow()): none appear on their own mid-test.
      reminderSweepEveryMs: 0,
      ...(startAs ? { staff: startAs } : {}),
      // On a server, other desks' changes and the server's state reach the page as the preload's events do.
      onDeskEvent: (event) =>
        void page
          .evaluate((name) => (globalThis as unknown as { __frontdeskEmitMenu?: (event: string) => void }).__frontdeskEmitMenu?.(name), event)
          .catch(() => undefined),
    })
    try {
      await connectPage(page, layer, slowChannels)
      await page.addInitScript(STILL_PAGE)
      // Calls from the test itself come "from" the app's top-level page.
      const call = <C extends Channel>(channel: C, input: Input<C>) =>
        layer.dispatch(channel, input, { url: `${origin}/`, isTopFrame: true }) as Promise<Result<Output<C>>>
      const invoke = async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
        const result = await call(channel, input)
        if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
        return result.data
      }
      await use({
        get core() {
          return layer.core
        },
        backupDialogs,
        dialogs,
        opened,
        dataFile,
        api: { call, invoke },
        seed: async (count, seed) =>
          jobResult<SeedResult>(await finishJob(call, await invoke('demo:seed', { count, ...(seed === undefined ? {} : { seed }) }), 120_000)),
        emitMenu: async (event) => {
          await page.evaluate((name) => {
            const emit = (globalThis as unknown as { __frontdeskEmitMenu?: (event: string) => void }).__frontdeskEmitMenu
            if (!emit) throw new Error('window.api is not installed on this page')
            emit(name)
          }, event)
        },
        screenshot: async (name) => {
          if (!TAKE_SCREENSHOTS) return
          const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`)
          await saveScreenshot(page, path, { fullPage: true })
          await testInfo.attach(name, { path, contentType: 'image/png' })
        },
        signInAs: async (role, name) => {
          const account = await invoke('staff:create', { name: name ?? `Test ${role}`, email: '', role, password: TEST_PASSWORD })
          await invoke('staff:signIn', { staffId: account.id, password: TEST_PASSWORD })
          return { ...account, password: TEST_PASSWORD }
        },
        holdJobWrites: async () => {
          const gate = (layer.core.db.client as { writeGate?: WriteGate }).writeGate
          if (!gate?.busy) throw new Error('No job is writing: there is no turn to hold.')
          return gate.enterTransaction()
        },
        setUpMail: async (server, settings = {}) => {
          const view = await updateMailSettings(layer.core.context(), secrets, {
            host: '127.0.0.1',
            port: server.port,
            security: 'starttls',
            user: TEST_SMTP_USER,
            password: TEST_SMTP_PASSWORD,
            fromName: 'Frontdesk Test',
            fromAddress: 'desk@example.com',
            ...settings,
          })
          layer.core.outbox.settingsChanged()
          return view
        },
      })
    } finally {
      await layer.close()
      await server?.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  },
})

export { expect }
