import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import type { Channel, Input, Result } from '../../preload/contract'
import { openFrontdesk } from '../../main/app-core'
import { onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'
import { customerInputOf } from '../helpers/customerInput'

/**
 * Two desks on one customer: while this desk edits the details, another
 * saves them. The open form keeps what is typed and says the record changed;
 * the save shows what changed meanwhile and lets the person choose per field.
 * The other desk is played by the test's own calls and its notice by the
 * event the main process sends.
 */

test.describe.configure({ timeout: 150_000 })

const field = (page: Page, label: string) => page.getByTestId('details-form').getByRole('textbox', { name: label, exact: true })


test('a save after another desk saved the same customer shows what changed and keeps the choices — light and dark', async ({ page, app }) => {
  const loaded = await app.api.invoke('customers:create', {
    firstName: 'Amelia',
    lastName: 'Hart',
    company: 'Hart & Co',
    email: 'amelia@example.com',
    phones: [{ label: 'mobile', number: '+44 7700 900456', isPrimary: true }],
  })
  await page.goto(`/#/customers/${loaded.id}`)
  await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart')

  // This desk starts typing.
  await field(page, 'Company').fill('Hart Studio')
  await field(page, 'Last name').fill('Hart-Jones')

  // Meanwhile the other desk saves a new email and a company of its own.
  await app.api.invoke('customers:update', {
    id: loaded.id,
    customer: customerInputOf(loaded, { email: 'amelia.hart@example.org', company: 'Hart Limited' }),
    version: loaded.version,
  })
  await app.emitMenu('desk:changed')

  // The form keeps what was typed and says the record changed elsewhere.
  await expect(page.getByTestId('changed-elsewhere')).toBeVisible()
  await expect(field(page, 'Company')).toHaveValue('Hart Studio')
  await expect(field(page, 'Last name')).toHaveValue('Hart-Jones')
  await expect(field(page, 'Email')).toHaveValue('amelia@example.com')

  await page.getByTestId('save-details').click()
  const dialog = page.getByTestId('conflict-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('changed by Administrator on another desk')
  // Only the fields the other desk changed are asked about: the company (both changed) and the email (theirs only).
  await expect(dialog.getByTestId('conflict-company')).toContainText('Hart Limited')
  await expect(dialog.getByTestId('conflict-company')).toContainText('Hart Studio')
  await expect(dialog.getByTestId('conflict-email')).toContainText('amelia.hart@example.org')
  await expect(dialog.getByTestId('conflict-lastName')).toHaveCount(0)
  // First choices: this desk's company (it was typed here), their email (not touched here).
  await expect(dialog.getByTestId('conflict-company-mine')).toHaveAttribute('aria-pressed', 'true')
  await expect(dialog.getByTestId('conflict-email-theirs')).toHaveAttribute('aria-pressed', 'true')
  await app.screenshot('conflict-dialog-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('conflict-dialog-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // Back to the form: nothing typed is lost.
  await page.getByTestId('conflict-cancel').click()
  await expect(dialog).toBeHidden()
  await expect(field(page, 'Company')).toHaveValue('Hart Studio')

  // Save again, keep their company this time.
  await page.getByTestId('save-details').click()
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('conflict-company-theirs').click()
  await dialog.getByTestId('conflict-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('changed-elsewhere')).toBeHidden()
  const saved = await app.api.invoke('customers:get', { id: loaded.id })
  expect(saved).toMatchObject({ company: 'Hart Limited', lastName: 'Hart-Jones', email: 'amelia.hart@example.org', version: 3 })
  await expect(field(page, 'Email')).toHaveValue('amelia.hart@example.org')
  await expect(field(page, 'Company')).toHaveValue('Hart Limited')
})

test('another desk’s change refreshes the list and the open profile while nothing is being typed', async ({ page, app }) => {
  const loaded = await app.api.invoke('customers:create', { firstName: 'Amelia', lastName: 'Hart', email: 'amelia@example.com' })
  await page.goto(`/#/customers/${loaded.id}`)
  await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart')
  await app.api.invoke('customers:update', { id: loaded.id, customer: customerInputOf(loaded, { lastName: 'Hart-Jones' }), version: loaded.version })
  await app.api.invoke('notes:add', { customerId: loaded.id, body: 'Rang from the other desk' })
  await app.emitMenu('desk:changed')
  await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart-Jones', { timeout: 1_000 })
  await expect(field(page, 'Last name')).toHaveValue('Hart-Jones')
  await expect(page.getByTestId('tab-notes')).toContainText('1')
  await expect(page.getByTestId('changed-elsewhere')).toBeHidden()
})

test('a note edited on another desk meanwhile: both texts shown, the person’s choice saved', async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Amelia', lastName: 'Hart' })
  const [note] = await app.api.invoke('notes:add', { customerId: customer.id, body: 'Prefers mornings' })
  await page.goto(`/#/customers/${customer.id}?tab=notes`)
  await page.getByTestId('note').first().getByTestId('note-edit-button').click()
  await page.getByTestId('note-edit').getByRole('textbox', { name: 'Note' }).fill('Prefers mornings; pays cash')
  await app.api.invoke('notes:update', { id: note!.id, body: 'Prefers mornings, not Mondays', version: note!.version })
  await page.getByTestId('note-edit-save').click()
  const dialog = page.getByTestId('conflict-dialog')
  await expect(dialog.getByTestId('conflict-body')).toContainText('Prefers mornings, not Mondays')
  await expect(dialog.getByTestId('conflict-body-mine')).toHaveAttribute('aria-pressed', 'true')
  await app.screenshot('note-conflict-dialog')
  await dialog.getByTestId('conflict-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('note').first()).toContainText('Prefers mornings; pays cash')
  const [saved] = await app.api.invoke('notes:list', { customerId: customer.id })
  expect(saved).toMatchObject({ body: 'Prefers mornings; pays cash', version: 3 })
})

test('the banner says when the database server cannot be reached, and goes when it is back', async ({ page, app }) => {
  await page.goto('/#/customers')
  await expect(page.getByTestId('server-offline')).toBeHidden()
  await app.emitMenu('desk:offline')
  await expect(page.getByTestId('server-offline')).toContainText('The database server cannot be reached — retrying…')
  await app.screenshot('server-offline-banner')
  await app.emitMenu('desk:online')
  await expect(page.getByTestId('server-offline')).toBeHidden()
})

test('on a server, another desk’s new customer and change reach this desk’s list, counts and open profile within a second', async ({ page, app }) => {
  test.skip(!onPostgres, 'Other desks’ changes are told by the PostgreSQL server')
  const other = await openFrontdesk({
    dataFile: app.dataFile,
    isTrustedSender: () => true,
    worker: testWorker,
    backupBeforeMigrate: false,
    reminderSweepEveryMs: 0,
    staff: { id: 1, name: 'Front of house', role: 'admin' },
  })
  const call = async <C extends Channel>(channel: C, input: Input<C>) => {
    const result = (await other.dispatch(channel, input, { url: 'app://frontdesk/', isTopFrame: true })) as Result<unknown>
    if (!result.ok) throw new Error(result.error.message)
    return result.data
  }
  try {
    const first = await app.api.invoke('customers:create', { firstName: 'Amelia', lastName: 'Hart' })
    await page.goto('/#/customers')
    await expect(page.getByTestId('count-active')).toHaveText('1')
    let sent = Date.now()
    await call('customers:create', { firstName: 'Bertie', lastName: 'Elsewhere' })
    await expect(page.getByTestId('count-active')).toHaveText('2', { timeout: 1_500 })
    await expect(page.getByText('Bertie Elsewhere')).toBeVisible()
    const listMs = Date.now() - sent

    await page.goto(`/#/customers/${first.id}`)
    await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart')
    await field(page, 'Company').fill('Typed here')
    sent = Date.now()
    await call('customers:update', { id: first.id, customer: customerInputOf(first, { lastName: 'Hart-Jones' }), version: first.version })
    await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart-Jones', { timeout: 1_500 })
    const profileMs = Date.now() - sent
    // What is being typed stays; the form says the record changed.
    await expect(page.getByTestId('changed-elsewhere')).toBeVisible()
    await expect(field(page, 'Company')).toHaveValue('Typed here')
    await expect(field(page, 'Last name')).toHaveValue('Hart')
    console.log(`Another desk's change on screen: list and counts ${listMs} ms, open profile ${profileMs} ms`)
  } finally {
    await other.close()
  }
})
