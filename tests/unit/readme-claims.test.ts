import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COUNT_CAP, SORTABLE_MATCHES } from '../../db/queries/customerList'
import { DIGIT_PIECE } from '../../db/search/digits'
import { DATA_FILE_NAME, defaultDataFile } from '../../db/paths'
import { FRONTDESK_APPLICATION_ID } from '../../db/dataFile'
import {
  activityInput,
  bookingStatuses,
  customerSourceLabels,
  customFieldTypes,
  listCustomersInput,
  seedDemoInput,
  setPhotoInput,
  settingsShape,
} from '../../preload/contract'
import { containsCardNumber } from '../../preload/contract/text'

/*
 * README.md states numbers, names and paths that the code decides. Each check
 * here reads what the README says and compares it with the code, so changing
 * one without the other fails with a message naming both.
 */

const root = join(__dirname, '..', '..')
const source = (path: string) => readFileSync(join(root, path), 'utf8')
/** The README with every run of white space (line breaks included) as one space, so wrapping never matters. */
const readme = source('README.md').replace(/\s+/g, ' ')

const en = (n: number) => n.toLocaleString('en-GB')
const NUMBER = '(\\d[\\d,]*)'

/**
 * Every number the README gives where `pattern` has `N` (written like 2,000).
 * Fails when the README no longer has the sentence at all.
 */
function saidNumbers(pattern: string): number[] {
  const regex = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/N/g, NUMBER), 'g')
  const found = [...readme.matchAll(regex)].map((m) => m.slice(1).map((s) => Number(s!.replace(/,/g, ''))))
  if (found.length === 0) throw new Error(`README.md no longer says "${pattern.replace(/N/g, '…')}": update this test with the README's new wording`)
  return found.flat()
}

/** Checks that the README gives `value` wherever `pattern` has `N`, naming the constant when it does not. */
function expectSaid(pattern: string, value: number, where: string): void {
  for (const said of saidNumbers(pattern)) {
    expect(said, `README.md says "${pattern.replace(/N/g, en(said))}" but ${where} is ${en(value)}`).toBe(value)
  }
}

/** Checks that the README has this exact text (after joining its lines). */
function expectText(text: string, why: string): void {
  expect(readme.includes(text), `README.md should say "${text}" (${why})`).toBe(true)
}

/** A numeric constant from a source file, for those not exported: `const NAME = 60_000_000` or `= 5 * 1024 * 1024`. */
function constantIn(path: string, name: string): number {
  const match = new RegExp(`\\b${name}\\s*=\\s*([\\d_* .]+)`).exec(source(path))
  if (!match) throw new Error(`${name} is no longer a numeric constant in ${path}: update this test`)
  return match[1]!
    .split('*')
    .map((part) => Number(part.trim().replace(/_/g, '')))
    .reduce((a, b) => a * b, 1)
}

/** The first number `pattern` (a regex with one capture group) finds in a source file. */
function numberIn(path: string, pattern: RegExp): number {
  const match = pattern.exec(source(path))
  if (!match) throw new Error(`${pattern} no longer matches ${path}: update this test`)
  return Number(match[1]!.replace(/[_,]/g, ''))
}

const MB = 2 ** 20

describe('README.md: the customer list', () => {
  it('gives the cap of a broad search’s counts (SORTABLE_MATCHES)', () => {
    const where = 'SORTABLE_MATCHES in db/queries/customerList.ts'
    expectSaid('Counts of a broad search stop at N', SORTABLE_MATCHES, where)
    expectSaid('the list then says "more than N"', SORTABLE_MATCHES, where)
    expectSaid("a search's tab counts at N", SORTABLE_MATCHES, where)
  })

  it('gives the cap of filtered counts (COUNT_CAP)', () => {
    const where = 'COUNT_CAP in db/queries/customerList.ts'
    expectSaid('Counts of a filtered list stop at N', COUNT_CAP, where)
    expectSaid('filtered counts stop at N', COUNT_CAP, where)
  })

  it('gives the page size of the list on screen', () => {
    const onScreen = constantIn('renderer/src/stores/customerList.ts', 'PAGE_SIZE')
    expectSaid('N customers a page', onScreen, 'PAGE_SIZE in renderer/src/stores/customerList.ts')
    expect(listCustomersInput.parse({}).pageSize, 'the contract’s default page size differs from the list’s').toBe(onScreen)
  })

  it('names the sorts the list offers', () => {
    expect(listCustomersInput.safeParse({ sort: 'createdAt' }).success).toBe(true)
    expectText('Sort by number, name, email or date created', 'sortKeys in preload/contract/schemas/customers.ts')
  })
})

describe('README.md: records and profile', () => {
  it('gives the recycle bin’s default and its range in Settings', () => {
    const days = numberIn('main/services/app/settings.ts', /recycleBinDays:\s*(\d+)/)
    const [kept, min, max] = saidNumbers('restored for N days (changeable in Settings, N to N)')
    expect(kept, `README.md says the recycle bin keeps customers ${kept} days; the default in main/services/app/settings.ts is ${days}`).toBe(days)
    const field = settingsShape.shape.recycleBinDays
    expect(field.safeParse(min).success && !field.safeParse(min! - 1).success, `README.md says at least ${min} days; settingsShape in preload/contract/schemas/app.ts disagrees`).toBe(true)
    expect(field.safeParse(max).success && !field.safeParse(max! + 1).success, `README.md says at most ${max} days; settingsShape in preload/contract/schemas/app.ts disagrees`).toBe(true)
  })

  it('gives how many notes the sidebar shows', () => {
    expectSaid('the first N notes', numberIn('main/services/organise/summary.ts', /notesOf\(ctx\.db, id, (\d+)\)/), 'the notes customerSummary reads (main/services/organise/summary.ts)')
  })

  it('gives the photo limits', () => {
    const photo = 'main/services/profile/photo.ts'
    expectSaid('stored inside the customer file as a N-pixel JPEG', constantIn(photo, 'THUMBNAIL_SIDE'), `THUMBNAIL_SIDE in ${photo}`)
    expectSaid('over N megapixels', constantIn(photo, 'MAX_PIXELS') / 1_000_000, `MAX_PIXELS in ${photo} (in megapixels)`)
    expectSaid('over N pixels a side', constantIn(photo, 'MAX_SIDE'), `MAX_SIDE in ${photo}`)
    const [mb] = saidNumbers('A photo file over N MB is refused')
    const image = setPhotoInput.shape.image
    expect(image.safeParse(new Uint8Array(mb! * MB)).success, `README.md says a ${mb} MB photo file is accepted; setPhotoInput refuses it`).toBe(true)
    expect(image.safeParse(new Uint8Array(mb! * MB + 1)).success, `README.md says a photo file over ${mb} MB is refused; setPhotoInput accepts it`).toBe(false)
    const peak = constantIn('tests/integration/profile-photo-memory.test.ts', 'PEAK_LIMIT_MB')
    expectSaid('uploads keep the app under N MB', peak, 'PEAK_LIMIT_MB in tests/integration/profile-photo-memory.test.ts')
  })

  it('names the sources the New customer form offers', () => {
    const chosen = Object.entries(customerSourceLabels)
      .filter(([key]) => key !== 'import' && key !== 'migration')
      .map(([, label]) => label)
    expectText(`${chosen.slice(0, -1).join(', ')} or ${chosen.at(-1)}`, 'customerSourceLabels in preload/contract/sources.ts')
  })

  it('names the custom field types and the booking statuses', () => {
    const types = customFieldTypes.map((t) => (t === 'boolean' ? 'yes/no' : t))
    expectText(types.join(', '), 'customFieldTypes in preload/contract/schemas/profile.ts')
    const statuses = bookingStatuses.map((s) => s.replace('_', '-'))
    expectText(`${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`, 'bookingStatuses in preload/contract/schemas/bookings.ts')
  })

  it('gives the months of the Activity chart', () => {
    expectSaid('a N-month chart', activityInput.parse({ customerId: 1 }).months, 'activityInput’s default months')
  })

  it('gives the card-number lengths refused in free text', () => {
    const [shortest, longest] = saidNumbers('A full card number (N to N digits passing the Luhn check)')
    /** A Luhn-valid number of this many digits starting with 4. */
    const luhn = (length: number) => {
      const body = '4' + '1'.repeat(length - 2)
      for (let check = 0; check <= 9; check++) {
        const digits = body + check
        let sum = 0
        for (let i = 0; i < digits.length; i++) {
          let d = Number(digits[digits.length - 1 - i])
          if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
          sum += d
        }
        if (sum % 10 === 0) return digits
      }
      throw new Error('unreachable')
    }
    const why = 'containsCardNumber in preload/contract/text.ts'
    expect(containsCardNumber(luhn(shortest!)), `${why} lets a ${shortest}-digit card number through`).toBe(true)
    expect(containsCardNumber(luhn(longest!)), `${why} lets a ${longest}-digit card number through`).toBe(true)
    expect(containsCardNumber(luhn(shortest! - 1)), `${why} refuses ${shortest! - 1} digits`).toBe(false)
    expect(containsCardNumber(luhn(longest! + 1)), `${why} refuses ${longest! + 1} digits`).toBe(false)
  })
})

describe('README.md: sample data', () => {
  it('gives the sizes offered and the command line’s limit', () => {
    const offered = [...source('renderer/src/components/SampleDataCard.vue').matchAll(/\{ value: (\d+),/g)].map((m) => Number(m[1]))
    expectText(`adds ${offered.slice(0, -1).map(en).join(', ')} or ${en(offered.at(-1)!)} more`, 'the sizes in renderer/src/components/SampleDataCard.vue')
    const emptyBook = numberIn('renderer/src/components/EmptyAddressBook.vue', /addSampleCustomers\((\d+)\)/)
    expectSaid('offers "Add N sample customers"', emptyBook, 'what renderer/src/components/EmptyAddressBook.vue adds')
    expectText(`Add ${en(emptyBook)} sample customers`, 'the button in EmptyAddressBook.vue')
    expect(source('renderer/src/components/EmptyAddressBook.vue')).toContain(`Add ${en(emptyBook)} sample customers`)
    const count = seedDemoInput.shape.count
    const [max] = saidNumbers('any count up to N')
    expect(count.safeParse(max).success && !count.safeParse(max! + 1).success, `README.md says up to ${en(max!)}; seedDemoInput in preload/contract/schemas/app.ts disagrees`).toBe(true)
    expect(numberIn('main/cli/index.ts', /count > ([\d_]+)\)/), 'main/cli/index.ts refuses a different count').toBe(max)
  })
})

describe('README.md: the file, the log and the machinery', () => {
  it('names the data file and its folders', () => {
    expectText(`\`${DATA_FILE_NAME}\``, 'DATA_FILE_NAME in db/paths.ts')
    expect(defaultDataFile('linux', {})).toBe(join(homedir(), '.config', 'Frontdesk', DATA_FILE_NAME))
    expectText('`~/.config/Frontdesk/`', 'defaultDataFile on Linux')
    expect(defaultDataFile('darwin', {})).toBe(join(homedir(), 'Library', 'Application Support', 'Frontdesk', DATA_FILE_NAME))
    expectText('`~/Library/Application Support/Frontdesk/`', 'defaultDataFile on macOS')
    expectText('`%APPDATA%\\Frontdesk\\`', 'defaultDataFile on Windows')
    const id = Buffer.alloc(4)
    id.writeUInt32BE(FRONTDESK_APPLICATION_ID)
    expectText(`application id \`${id.toString('latin1')}\``, 'FRONTDESK_APPLICATION_ID in db/dataFile.ts')
    const startup = source('main/startup.ts')
    expect(startup).toContain("'--data-file='")
    expect(startup).toContain("'data-file.json'")
    expect(startup).toContain("'FRONTDESK_DATA_FILE'")
    expectText('`--data-file=/path/to/file.sqlite3`', 'the flag main/startup.ts reads')
    expectText('`data-file.json`', 'where main/startup.ts remembers the file chosen')
    expect(source('db/dataFile.ts')).toContain('`${real}.lock`')
    expectText('`frontdesk.sqlite3.lock`', 'the lock file db/dataFile.ts takes')
  })

  it('gives the size at which a file is checked in the background', () => {
    const bytes = numberIn('main/app-core.ts', /checkInBackgroundAbove \?\? (\d+) \* 2 \*\* 20/) * MB
    expectSaid('a file over N MB opens at once', bytes / MB, 'checkInBackgroundAbove’s default in main/app-core.ts (in MB)')
  })

  it('gives the log’s name and size limit', () => {
    const bytes = constantIn('main/log.ts', 'LOG_MAX_BYTES')
    expectSaid('Past N MB the file is kept as `frontdesk.old.log`', bytes / MB, 'LOG_MAX_BYTES in main/log.ts (in MB)')
    expect(source('main/index.ts')).toContain("'frontdesk.log'")
    expectText('The app\'s log is `frontdesk.log`', 'the file main/index.ts logs to')
  })

  it('gives the digit pieces, the busy wait and the upkeep interval', () => {
    expectSaid('every run of N+ digits', DIGIT_PIECE, 'DIGIT_PIECE in db/search/digits.ts')
    expectSaid('capped at N ms', constantIn('db/connection.ts', 'MAIN_BUSY_MS'), 'MAIN_BUSY_MS in db/connection.ts')
    expect(numberIn('main/index.ts', /tidyEveryMs: ([\d_]+)/), 'README.md says the idle upkeep runs once a minute; tidyEveryMs in main/index.ts differs').toBe(60_000)
    expectText('run once a minute', 'tidyEveryMs in main/index.ts')
  })

  it('gives the Node.js versions package.json allows', () => {
    const engines = (JSON.parse(source('package.json')) as { engines: { node: string } }).engines.node
    const [line20, line22] = [...engines.matchAll(/>=(\d+\.\d+)/g)].map((m) => m[1])
    expectText(`Node.js ${line20}+ (20.x LTS line) or ${line22}+`, `engines.node in package.json is "${engines}"`)
  })

  it('names the keyboard shortcuts the menu has', () => {
    const menu = source('main/menu.ts')
    for (const [label, key, said] of [
      ['Find customer', 'K', 'search'],
      ['New customer', 'N', 'new customer'],
      ['New booking', 'B', 'new booking'],
    ] as const) {
      expect(menu, `main/menu.ts has no ${label} on CmdOrCtrl+${key}`).toMatch(new RegExp(`label: '${label}', accelerator: 'CmdOrCtrl\\+${key}'`))
      expectText(`Ctrl/Cmd+${key} ${said}`, `the ${label} item in main/menu.ts`)
    }
  })

  it('names only npm scripts and benchmark options that exist', () => {
    const scripts = (JSON.parse(source('package.json')) as { scripts: Record<string, string> }).scripts
    for (const [, name] of readme.matchAll(/`npm run (\w+)/g)) expect(scripts, `README.md names \`npm run ${name}\``).toHaveProperty(name!)
    for (const name of ['start', 'test']) expect(scripts).toHaveProperty(name)
    const bench = source('tests/bench/run.ts')
    const options = /`--count N`,\s+([^)]*?); the\s+caches/.exec(readme)
    expect(options, 'README.md no longer lists the benchmark’s options').not.toBeNull()
    for (const [, flag] of options![1]!.matchAll(/`(--[\w-]+)`/g)) expect(bench, `README.md names the benchmark option ${flag}`).toContain(`'${flag}'`)
    expectSaid('bulk changes of N customers', numberIn('tests/bench/stalls.ts', /LIMIT (\d+)/), 'the bulk size in tests/bench/stalls.ts')
    expectSaid('a customer with N bookings', constantIn('tests/bench/bookings.ts', 'BUSY_BOOKINGS'), 'BUSY_BOOKINGS in tests/bench/bookings.ts')
  })
})

describe('README.md: the files it names', () => {
  it('names only test files that exist', () => {
    const named = new Set([...readme.matchAll(/tests\/(?:unit|integration|e2e)\/[\w.-]+\.(?:test|spec)\.ts/g)].map((m) => m[0]))
    expect(named.size).toBeGreaterThan(20)
    const missing = [...named].filter((path) => !existsSync(join(root, path)))
    expect(missing, 'README.md names test files that do not exist').toEqual([])
  })

  it('names only source files that exist', () => {
    const named = new Set(
      [...readme.matchAll(/`((?:main|db|preload|renderer|tests|build)\/[\w./-]+\.(?:ts|mjs|vue|txt))`/g)].map((m) => m[1]!),
    )
    expect(named.size).toBeGreaterThan(10)
    const missing = [...named].filter((path) => !existsSync(join(root, path)))
    expect(missing, 'README.md names files that do not exist').toEqual([])
  })
})
