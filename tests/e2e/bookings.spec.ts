import type { Page } from '@playwright/test'
import { createCatalogue, TEST_PRICES, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { sellTestPlan } from '../helpers/plans'
import { customerInputOf } from '../helpers/customerInput'
import { expect, test, type FrontdeskApp } from './fixtures'
import { seriousA11yProblems } from './a11y'
import { pickOption } from './choose'

/**
 * Bookings at the desk, through real clicks against the real backend: New
 * booking for a caller found (or made) by email or phone, capacity, blocked
 * and archived customers, then the booking page — payments, refunds, a
 * transfer to a dearer price, cancelling, and editing the customer's contact
 * details (which changes the customer record, so every booking shows it).
 */

test.describe.configure({ timeout: 180_000 })

/** The shared test catalogue, made through this app's API. */
function catalogueFor(app: FrontdeskApp): Promise<TestCatalogue> {
  // The helper only calls `invoke`, which the fixture's API has with the same signature.
  return createCatalogue(app.api as unknown as TestCore)
}

/** The little of the page's DOM that `settled` reads (the tests compile without the DOM library). */
interface AnimatedDocument {
  getAnimations(): Array<{ playState: string; effect: { getComputedTiming(): { iterations?: number } } | null }>
}

/** Waits until nothing is mid-transition (endless progress bars aside): the screen a person would look at. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: AnimatedDocument }).document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity),
  )
}

function snackbar(page: Page) {
  return page.getByTestId('snackbar')
}

async function createCustomer(app: FrontdeskApp, firstName: string, lastName: string, phone = '+44 7700 900456') {
  return app.api.invoke('customers:create', {
    firstName,
    lastName,
    email: `${firstName}.${lastName}@example.com`.toLowerCase(),
    phones: [{ label: 'mobile', number: phone, isPrimary: true }],
  })
}

/** New booking for a caller nobody has by this email: their first name and phone, a pottery taster, Book. */
async function bookNewCaller(page: Page, caller: { email: string; firstName: string; phone: string }) {
  await page.goto('/#/bookings/new')
  await page.getByTestId('caller-query').getByRole('textbox').fill(caller.email)
  await page.getByTestId('find-caller').click()
  const newCaller = page.getByTestId('new-caller')
  await newCaller.getByTestId('caller-first-name').getByRole('textbox').fill(caller.firstName)
  await newCaller.getByTestId('caller-phone').getByRole('textbox').fill(caller.phone)
  await pickOption(page, page.getByTestId('line-item'), /Pottery taster/)
  await page.getByTestId('create-booking').click()
}

test('a new caller by email becomes a customer; the same caller again is reused, never duplicated', { tag: '@smoke' }, async ({ page, app }) => {
  await catalogueFor(app)
  await page.goto('/#/customers')
  await page.getByTestId('nav-bookings-new').click()
  await expect(page.getByRole('heading', { name: 'New booking', level: 1 })).toBeVisible()
  await app.screenshot('new-booking-empty')

  // Who: nobody has this email, so a small new-customer form appears, prefilled.
  await page.getByTestId('caller-query').getByRole('textbox').fill('sam.lee@example.com')
  await page.getByTestId('find-caller').click()
  const newCaller = page.getByTestId('new-caller')
  await expect(newCaller).toContainText('Nobody has “sam.lee@example.com” yet')
  await expect(newCaller.getByTestId('caller-email').getByRole('textbox')).toHaveValue('sam.lee@example.com')
  await newCaller.getByTestId('caller-first-name').getByRole('textbox').fill('Sam')
  await newCaller.getByTestId('caller-last-name').getByRole('textbox').fill('Lee')
  await newCaller.getByTestId('caller-phone').getByRole('textbox').fill('07700 900123')

  // What: two lines; the first upcoming session with room and the first price are chosen for you.
  const lines = page.getByTestId('booking-line-editor')
  await pickOption(page, lines.first().getByTestId('line-item'), /Yoga Flow/)
  await expect(lines.first().getByTestId('line-price')).toContainText('Adult — £12.50')
  await expect(lines.first().getByTestId('line-session')).toContainText('10 places left')
  await lines.first().getByTestId('line-quantity').getByRole('spinbutton').fill('2')
  await expect(page.getByTestId('running-total')).toHaveText('£25.00')
  await page.getByTestId('add-line').click()
  await pickOption(page, lines.nth(1).getByTestId('line-item'), /Pottery taster/)
  await expect(lines.nth(1).getByTestId('line-total')).toHaveText('£30.00')
  await expect(page.getByTestId('running-total')).toHaveText('£55.00')
  await app.screenshot('new-booking-filled')

  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText(/Booked B-\d+ · New customer created/)
  await expect(page.getByTestId('booking-reference')).toHaveText(/^B-\d+$/)
  await expect(page.getByTestId('booking-line')).toHaveCount(2)
  await expect(page.getByTestId('money-total')).toHaveText('£55.00')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£55.00/)
  await expect(page.getByTestId('booking-customer').getByTestId('customer-name')).toHaveText('Sam Lee')
  await expect(page.getByTestId('booking-customer').getByTestId('customer-email')).toContainText('sam.lee@example.com')
  await app.screenshot('booking-page-new')

  // The same email again (typed differently) finds Sam: book for him from the match.
  await page.keyboard.press('Control+b')
  await expect(page).toHaveURL(/#\/bookings\/new$/)
  await page.getByTestId('caller-query').getByRole('textbox').fill('  Sam.Lee@Example.com ')
  await page.getByTestId('caller-query').getByRole('textbox').press('Enter')
  const match = page.getByTestId('caller-match')
  await expect(match).toHaveCount(1)
  await expect(match).toContainText('Sam Lee')
  await app.screenshot('new-booking-caller-found')
  await match.getByTestId('book-for-customer').click()
  await expect(page.getByTestId('who-step').getByTestId('customer-name')).toHaveText('Sam Lee')
  await pickOption(page, page.getByTestId('line-item'), /Massage 60 min/)
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText(/Booked B-\d+/)
  await expect(page.getByTestId('money-total')).toHaveText('£45.00')

  // A new email but Sam's phone: never booked onto Sam unseen — the desk is shown who has the number and picks him.
  await page.getByTestId('nav-bookings-new').click()
  await page.getByTestId('caller-query').getByRole('textbox').fill('sam@work.example.com')
  await page.getByTestId('find-caller').click()
  await page.getByTestId('caller-phone').getByRole('textbox').fill('+44 7700 900123')
  await pickOption(page, page.getByTestId('line-item'), /Pottery taster/)
  await page.getByTestId('create-booking').click()
  const owner = page.getByTestId('caller-matches')
  await expect(owner.getByTestId('caller-matches-notice')).toContainText('This phone number belongs to Sam Lee')
  await owner.getByTestId('caller-match').getByTestId('book-for-customer').click()
  await page.getByTestId('create-booking').click()
  // The booking's own page: the snackbar of the booking before may still be showing.
  await expect(page.getByTestId('money-total')).toHaveText('£30.00')
  await expect(snackbar(page)).toContainText(/Booked B-\d+/)

  const counts = await app.api.invoke('customers:counts', {})
  expect(counts.active).toBe(1)
  const [sam] = (await app.api.invoke('customers:list', {})).rows
  const bookings = await app.api.invoke('bookings:listForCustomer', { customerId: sam!.id }).then((page) => page.rows)
  expect(bookings.map((b) => b.totalMinor).sort((a, b) => a - b)).toEqual([TEST_PRICES.pottery, TEST_PRICES.massage, 2 * TEST_PRICES.yogaAdult + TEST_PRICES.pottery])
})

test('capacity: asking for more places than are left says how many are left; full sessions cannot be chosen', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const other = await createCustomer(app, 'Olga', 'Other', '+44 7700 900001')
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: other.id },
    lines: [{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId, quantity: 1 }],
  })
  const customer = await createCustomer(app, 'Priya', 'Shah')

  // Opened from a profile: the customer is already chosen.
  await page.goto(`/#/bookings/new?customerId=${customer.id}`)
  const who = page.getByTestId('who-step')
  await expect(who.getByTestId('customer-name')).toHaveText('Priya Shah')
  await expect(who.getByTestId('customer-number')).toHaveText(customer.number)
  await expect(who.getByTestId('customer-email')).toContainText('priya.shah@example.com')

  // The only massage session is taken: it shows Full and cannot be picked.
  const line = page.getByTestId('booking-line-editor')
  await pickOption(page, line.getByTestId('line-item'), /Massage 60 min/)
  await line.getByTestId('line-session').click()
  const fullOption = page.getByTestId('session-option').filter({ hasText: 'Full' })
  await expect(fullOption).toHaveCount(1)
  await expect(fullOption).toHaveClass(/v-list-item--disabled/)
  await page.keyboard.press('Escape')

  // Yoga's second session has 2 places: ask for 3.
  await pickOption(page, line.getByTestId('line-item'), /Yoga Flow/)
  await line.getByTestId('line-session').click()
  await page.getByTestId('session-option').nth(1).click()
  await expect(line.getByTestId('line-session')).toContainText('2 places left')
  await line.getByTestId('line-quantity').getByRole('spinbutton').fill('3')
  await page.getByTestId('create-booking').click()
  await expect(line.getByTestId('line-error')).toContainText('Only 2 places left')
  await expect(page).toHaveURL(/#\/bookings\/new/)
  await app.screenshot('new-booking-capacity')

  await line.getByTestId('line-quantity').getByRole('spinbutton').fill('2')
  await expect(page.getByTestId('line-error')).toHaveCount(0)
  // Take part of the money while booking.
  await page.getByTestId('pay-now').locator('input').check()
  await page.getByTestId('pay-amount').getByRole('textbox').fill('10')
  await pickOption(page, page.getByTestId('pay-method'), 'Cash')
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(page.getByTestId('money-total')).toHaveText('£25.00')
  await expect(page.getByTestId('money-paid')).toHaveText('£10.00')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£15.00/)
  await expect(page.getByTestId('payment-row')).toContainText('Cash')
})

test('blocked customers cannot be booked; archived ones are unarchived after a confirmation', async ({ page, app }) => {
  await catalogueFor(app)
  const blocked = await createCustomer(app, 'Bob', 'Blocked', '+44 7700 900002')
  await app.api.invoke('customers:block', { id: blocked.id, reason: 'Abusive on the phone' })
  const archived = await createCustomer(app, 'Ann', 'Archer', '+44 7700 900003')
  await app.api.invoke('customers:archive', { id: archived.id })

  await page.goto(`/#/bookings/new?customerId=${blocked.id}`)
  await expect(page.getByTestId('blocked-alert')).toContainText('Bob Blocked is blocked and cannot be booked.')
  await expect(page.getByTestId('create-booking')).toBeDisabled()
  await app.screenshot('new-booking-blocked')

  await page.goto(`/#/bookings/new?customerId=${archived.id}`)
  await expect(page.getByTestId('archived-alert')).toBeVisible()
  await pickOption(page, page.getByTestId('line-item'), /Pottery taster/)
  await page.getByTestId('create-booking').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Booking will unarchive Ann Archer. Continue?')
  await page.getByTestId('confirm-ok').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText('Ann Archer is active again')
  expect((await app.api.invoke('customers:get', { id: archived.id })).status).toBe('active')

  // The application menu's New booking starts afresh.
  await app.emitMenu('menu:new-booking')
  await expect(page.getByRole('heading', { name: 'New booking', level: 1 })).toBeVisible()
  await expect(page.getByTestId('caller-query')).toBeVisible()
})

test('a pass covers the booking: the total shows the credits, and no payment is taken', async ({ page, app }) => {
  await catalogueFor(app)
  const customer = await createCustomer(app, 'Pat', 'Passholder', '+44 7700 900010')
  await sellTestPlan(app.api, customer.id, { kind: 'pass', name: '10-class pass', credits: 10, priceMinor: 9000 }, { startsOn: new Date().toISOString().slice(0, 10) })

  await page.goto(`/#/bookings/new?customerId=${customer.id}`)
  await expect(page.getByTestId('who-step').getByTestId('customer-name')).toHaveText('Pat Passholder')
  const line = page.getByTestId('booking-line-editor')
  await pickOption(page, line.getByTestId('line-item'), /Yoga Flow/)
  await line.getByTestId('line-quantity').getByRole('spinbutton').fill('2')
  await expect(page.getByTestId('running-total')).toHaveText('£25.00')

  // A payment started before the pass is chosen is dropped when the pass is chosen.
  await page.getByTestId('pay-now').locator('input').check()
  await page.getByTestId('pay-in-full').click()
  await expect(page.getByTestId('pay-amount').getByRole('textbox')).toHaveValue('25.00')
  await pickOption(page, page.getByTestId('booking-pass'), /10-class pass — 10 credits left/)
  await expect(page.getByTestId('running-total')).toHaveText('Covered by pass: 2 credits')
  await expect(page.getByTestId('booking-submit-bar')).toContainText('Nothing to pay (instead of £25.00)')
  await expect(page.getByTestId('pay-now')).toHaveCount(0)
  await expect(page.getByTestId('pay-amount')).toHaveCount(0)
  await expect(page.getByTestId('pass-covers')).toBeVisible()
  await app.screenshot('new-booking-pass')

  // Back to money: the payment box is there again, empty.
  await pickOption(page, page.getByTestId('booking-pass'), /No — pay with money/)
  await expect(page.getByTestId('running-total')).toHaveText('£25.00')
  await expect(page.getByTestId('pay-now').locator('input')).not.toBeChecked()
  await pickOption(page, page.getByTestId('booking-pass'), /10-class pass/)

  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText(/Booked B-\d+/)
  await expect(page.getByTestId('money-total')).toHaveText('£0.00')
  await expect(page.getByTestId('payment-row')).toHaveCount(0)
  const plans = await app.api.invoke('plans:list', { customerId: customer.id })
  expect(plans.passes[0]!.creditsLeft).toBe(8)
})

test('a new caller whose email is an archived customer’s is booked for them after a confirmation', async ({ page, app }) => {
  await catalogueFor(app)
  const archived = await createCustomer(app, 'Ann', 'Archer', '+44 7700 900003')
  await app.api.invoke('customers:archive', { id: archived.id })

  await page.goto('/#/bookings/new')
  // Nobody has this phone, so the caller form appears; the email they then give is Ann's.
  await page.getByTestId('caller-query').getByRole('textbox').fill('07700 900777')
  await page.getByTestId('find-caller').click()
  const newCaller = page.getByTestId('new-caller')
  await expect(newCaller).toBeVisible()
  await newCaller.getByTestId('caller-first-name').getByRole('textbox').fill('Ann')
  await newCaller.getByTestId('caller-last-name').getByRole('textbox').fill('Archer')
  await newCaller.getByTestId('caller-email').getByRole('textbox').fill('ann.archer@example.com')
  await pickOption(page, page.getByTestId('line-item'), /Pottery taster/)

  await page.getByTestId('create-booking').click()
  const dialog = page.getByTestId('confirm-dialog')
  await expect(dialog).toContainText(`Ann Archer (${archived.number}) is archived. Booking them will unarchive them`)
  // Saying no leaves the form as it was, nothing booked.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('confirm-ok')).toBeHidden()
  await expect(page).toHaveURL(/#\/bookings\/new/)
  await expect(page.getByTestId('booking-form-error')).toHaveCount(0)
  expect(await app.api.invoke('bookings:listForCustomer', { customerId: archived.id }).then((page) => page.rows)).toHaveLength(0)

  await page.getByTestId('create-booking').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText(/Booked B-\d+ · Booked for existing customer · Ann Archer is active again/)
  expect((await app.api.invoke('customers:get', { id: archived.id })).status).toBe('active')
  expect((await app.api.invoke('customers:counts', {})).active).toBe(1)
})

test('a new caller’s phone shared by several customers lists them to pick from', async ({ page, app }) => {
  await catalogueFor(app)
  await createCustomer(app, 'Kim', 'First', '+44 7700 900050')
  const second = await createCustomer(app, 'Lou', 'Second', '+44 7700 900050')

  await bookNewCaller(page, { email: 'someone@new.example.com', firstName: 'Lou', phone: '07700 900050' })

  const matches = page.getByTestId('caller-matches')
  await expect(matches.getByTestId('caller-matches-notice')).toContainText('Several customers have this number')
  await expect(matches.getByTestId('caller-matches-notice')).toContainText('Pick one on the list')
  await expect(matches.getByTestId('caller-match')).toHaveCount(2)
  await expect(page.getByTestId('new-caller')).toHaveCount(0)
  await expect(page.getByTestId('caller-query').getByRole('textbox')).toHaveValue('07700 900050')
  await app.screenshot('new-booking-shared-phone')

  await matches.getByTestId('caller-match').filter({ hasText: 'Lou Second' }).getByTestId('book-for-customer').click()
  await expect(page.getByTestId('who-step').getByTestId('customer-name')).toHaveText('Lou Second')
  await expect(page.getByTestId('line-item')).toContainText('Pottery taster')
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(page.getByTestId('booking-customer').getByTestId('customer-name')).toHaveText('Lou Second')
  expect(await app.api.invoke('bookings:listForCustomer', { customerId: second.id }).then((page) => page.rows)).toHaveLength(1)
  expect((await app.api.invoke('customers:counts', {})).active).toBe(2)
})

test('a new email with someone else’s phone is never booked onto them: the desk sees who has it and chooses someone new', async ({ page, app }) => {
  await catalogueFor(app)
  const owner = await createCustomer(app, 'Nina', 'Owner', '+44 7700 900060')

  await bookNewCaller(page, { email: 'ola@new.example.com', firstName: 'Ola', phone: '07700 900060' })

  const matches = page.getByTestId('caller-matches')
  await expect(matches.getByTestId('caller-matches-notice')).toContainText('This phone number belongs to Nina Owner')
  await expect(matches.getByTestId('caller-match')).toHaveCount(1)
  await expect(matches.getByTestId('someone-new')).toBeVisible()
  await app.screenshot('new-booking-phone-belongs-to-someone')
  expect(await app.api.invoke('bookings:listForCustomer', { customerId: owner.id }).then((page) => page.rows)).toHaveLength(0)

  await matches.getByTestId('new-customer-instead').click()
  await expect(page.getByTestId('new-caller-shared-phone')).toContainText('sharing the phone number with Nina Owner')
  await expect(page.getByTestId('caller-email').getByRole('textbox')).toHaveValue('ola@new.example.com')
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(snackbar(page)).toContainText('New customer created')
  await expect(page.getByTestId('booking-customer').getByTestId('customer-name')).toHaveText('Ola')
  expect(await app.api.invoke('bookings:listForCustomer', { customerId: owner.id }).then((page) => page.rows)).toHaveLength(0)
  expect((await app.api.invoke('customers:counts', {})).active).toBe(2)
})

test('a household’s shared email lists the payer and each member to choose from', async ({ page, app }) => {
  await catalogueFor(app)
  const payer = await app.api.invoke('customers:create', { firstName: 'Pat', lastName: 'Parent', email: 'family@example.com' })
  const kid = await app.api.invoke('customers:create', { firstName: 'Kit', lastName: 'Parent' })
  await app.api.invoke('customers:setHousehold', { id: kid.id, payerId: payer.id })

  await page.goto('/#/bookings/new')
  await page.getByTestId('caller-query').getByRole('textbox').fill('family@example.com')
  await page.getByTestId('find-caller').click()
  const matches = page.getByTestId('caller-matches')
  await expect(matches).toContainText('A household shares the email address')
  await expect(matches.getByTestId('caller-match')).toHaveCount(2)
  await app.screenshot('new-booking-household-email')
  await matches.getByTestId('caller-match').filter({ hasText: 'Kit Parent' }).getByTestId('book-for-customer').click()
  await expect(page.getByTestId('who-step').getByTestId('customer-name')).toHaveText('Kit Parent')
  await pickOption(page, page.getByTestId('line-item'), /Pottery taster/)
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  expect(await app.api.invoke('bookings:listForCustomer', { customerId: kid.id }).then((page) => page.rows)).toHaveLength(1)
})

test('take a payment, refund, transfer to a dearer price, then cancel — in light and dark', { tag: '@smoke' }, async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Maya', 'Lopez')
  const { booking } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: customer.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
    source: 'walk_in',
  })

  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('booking-reference')).toHaveText(booking.reference)
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed')
  await expect(page.getByTestId('booking-meta')).toContainText('Walk-in')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£12.50/)
  await expect(page.getByTestId('payments-empty')).toBeVisible()

  // Take £5 in cash.
  await page.getByTestId('action-pay').click()
  const payment = page.getByTestId('payment-dialog')
  await expect(payment.getByTestId('payment-amount').getByRole('textbox')).toHaveValue('12.50')
  await payment.getByTestId('payment-amount').getByRole('textbox').fill('5')
  await pickOption(page, payment.getByTestId('payment-method'), 'Cash')
  await app.screenshot('booking-payment-dialog')
  await payment.getByTestId('payment-save').click()
  await expect(snackbar(page)).toContainText('Payment of £5.00 recorded')
  await expect(page.getByTestId('money-paid')).toHaveText('£5.00')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£7.50/)
  await expect(page.getByTestId('payment-row')).toHaveCount(1)
  await expect(page.getByTestId('payment-row')).toContainText('Cash')

  // Refund £2.
  await page.getByTestId('action-refund').click()
  await payment.getByTestId('payment-amount').getByRole('textbox').fill('2')
  await payment.getByTestId('payment-reference').getByRole('textbox').fill('Goodwill')
  await payment.getByTestId('payment-save').click()
  await expect(snackbar(page)).toContainText('Refund of £2.00 recorded')
  await expect(page.getByTestId('money-paid')).toHaveText('£3.00')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£9.50/)
  await expect(page.getByTestId('payment-row')).toHaveCount(2)

  // Transfer to the pottery taster (£30): the preview shows the difference first.
  await page.getByTestId('line-transfer').click()
  const transfer = page.getByTestId('transfer-dialog')
  await expect(transfer).toContainText('Now: Yoga Flow')
  await pickOption(page, transfer.getByTestId('transfer-item'), /Pottery taster/)
  await expect(transfer.getByTestId('transfer-price')).toContainText('Standard — £30.00')
  await expect(transfer.getByTestId('quote-old')).toHaveText('£12.50')
  await expect(transfer.getByTestId('quote-new')).toHaveText('£30.00')
  await expect(transfer.getByTestId('quote-outcome')).toHaveText('Balance due £17.50')
  await app.screenshot('booking-transfer-dialog')
  await transfer.getByTestId('transfer-confirm').click()
  await expect(snackbar(page)).toContainText('Transferred · balance due £17.50')
  await expect(page.getByTestId('line-item-name')).toHaveText('Pottery taster')
  await expect(page.getByTestId('money-total')).toHaveText('£30.00')
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£27.00/)
  await expect(page.getByTestId('history-entry').first()).toContainText(/transfer/i)
  await app.screenshot('booking-page')

  const afterTransfer = await app.api.invoke('bookings:get', { id: booking.id })
  expect([afterTransfer.totalMinor, afterTransfer.paidMinor, afterTransfer.outstandingMinor]).toEqual([3000, 300, 2700])

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£27.00/)
  await app.screenshot('booking-page-dark')

  // Cancel with a reason: nothing is owed any more, and the £3 paid is credit.
  await page.getByTestId('action-cancel').click()
  await page.getByTestId('cancel-reason').getByRole('textbox').fill('Called to say she is unwell')
  await app.screenshot('booking-cancel-dialog-dark')
  await page.getByTestId('cancel-confirm').click()
  await expect(snackbar(page)).toContainText(`Booking ${booking.reference} cancelled`)
  await expect(page.getByTestId('booking-status')).toHaveText('Cancelled')
  await expect(page.getByTestId('money-balance')).toHaveText(/Credit\s*£3.00/)
  await expect(page.getByTestId('action-cancel')).toHaveCount(0)
  await expect(page.getByTestId('line-transfer')).toHaveCount(0)
  await expect(page.getByTestId('action-refund')).toBeVisible()
  await app.screenshot('booking-cancelled-dark')
})

test('on a busy machine the payment dialog has the cursor in Amount as it opens, and a reference typed straight away stays in Reference', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Maya', 'Lopez')
  const { booking } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: customer.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
  })
  await page.clock.install()
  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('money-balance')).toHaveText(/Balance due\s*£12.50/)
  // Dialogs take their time to open: the method can be chosen only once the dialog takes clicks.
  await page.addStyleTag({ content: '.dialog-transition-enter-active { transition-duration: 3s !important; }' })

  // The page's timers stand still, as when the machine is too busy to run them.
  await page.clock.pauseAt(Date.now() + 60_000)
  await page.getByTestId('action-pay').click()
  const payment = page.getByTestId('payment-dialog')
  const amount = payment.getByTestId('payment-amount').getByRole('textbox')
  const reference = payment.getByTestId('payment-reference').getByRole('textbox')
  await expect(amount).toBeFocused()
  // The receptionist goes straight to Reference; then the machine catches up before they type.
  await reference.focus()
  await page.clock.runFor(500)
  await page.clock.resume()
  await page.keyboard.type('Slip 42')
  await expect(reference).toHaveValue('Slip 42')
  await expect(amount).toHaveValue('12.50')

  await pickOption(page, payment.getByTestId('payment-method'), 'Cash')
  await payment.getByTestId('payment-save').click()
  await expect(payment).toBeHidden()
  await expect(page.getByTestId('payment-row')).toContainText('Slip 42')
  const [paid] = (await app.api.invoke('bookings:get', { id: booking.id })).payments
  expect([paid!.amountMinor, paid!.method, paid!.reference]).toEqual([1250, 'cash', 'Slip 42'])
})

test('pending bookings confirm; confirmed ones complete or no-show', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Leo', 'Grant')
  const make = async (status: 'pending' | 'confirmed') =>
    (
      await app.api.invoke('bookings:create', {
        customer: { kind: 'existing', id: customer.id },
        lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
        status,
      })
    ).booking

  const pending = await make('pending')
  await page.goto(`/#/bookings/${pending.id}`)
  await expect(page.getByTestId('booking-status')).toHaveText('Pending')
  await expect(page.getByTestId('action-complete')).toHaveCount(0)
  await page.getByTestId('action-confirm').click()
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed')
  await expect(snackbar(page)).toContainText('Booking confirmed')
  await page.getByTestId('action-complete').click()
  await expect(page.getByTestId('booking-status')).toHaveText('Completed')
  await expect(page.getByTestId('action-no-show')).toHaveCount(0)

  const second = await make('confirmed')
  await page.goto(`/#/bookings/${second.id}`)
  await page.getByTestId('action-no-show').click()
  await expect(page.getByTestId('booking-status')).toHaveText('No-show')
  await expect(snackbar(page)).toContainText('Marked as no-show')
})

test('editing the phone from a booking changes the customer: the profile and their other bookings show it', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Nina', 'Okafor', '+44 7700 900456')
  const book = async (sessionId: number, priceOptionId: number) =>
    (await app.api.invoke('bookings:create', { customer: { kind: 'existing', id: customer.id }, lines: [{ sessionId, priceOptionId, quantity: 1 }] })).booking
  const first = await book(cat.yoga.sessionId, cat.yoga.concessionOptionId)
  const second = await book(cat.pottery.sessionId, cat.pottery.optionId)

  await page.goto(`/#/bookings/${first.id}`)
  const card = page.getByTestId('booking-customer')
  await expect(card.getByTestId('customer-name')).toHaveText('Nina Okafor')
  await card.getByTestId('edit-contact').click()
  const dialog = page.getByTestId('edit-contact-dialog')
  await expect(dialog.getByTestId('edit-contact-note')).toContainText('Changes the customer record')
  await expect(dialog.getByTestId('contact-phone').getByRole('textbox')).not.toHaveValue('')
  await dialog.getByTestId('contact-phone').getByRole('textbox').fill('07700 900999')
  await app.screenshot('booking-edit-contact')
  await dialog.getByTestId('contact-save').click()
  await expect(dialog).toBeHidden()
  await expect(snackbar(page)).toContainText('Customer record updated')

  const updated = await app.api.invoke('customers:get', { id: customer.id })
  expect(updated.phones).toHaveLength(1)
  const newPhone = updated.phones[0]!.number
  expect(newPhone.replace(/\D/g, '')).toContain('7700900999')
  await expect(card.getByTestId('customer-phone')).toContainText(newPhone)

  await page.goto(`/#/bookings/${second.id}`)
  await expect(page.getByTestId('booking-customer').getByTestId('customer-phone')).toContainText(newPhone)
  await page.getByTestId('booking-customer').getByTestId('customer-name').click()
  await expect(page).toHaveURL(new RegExp(`#/customers/${customer.id}`))
  await expect(page.getByTestId('phone-number-0').getByRole('textbox')).toHaveValue(newPhone)
})

test('Edit contact on a booking keeps another desk’s change: elsewhere on the record it stays, to the same details it is shown before anything is written over', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Omar', 'Haddad')
  const { booking } = await app.api.invoke('bookings:create', { customer: { kind: 'existing', id: customer.id }, lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }] })
  const otherDesk = async (changes: Parameters<typeof customerInputOf>[1]) => {
    const now = await app.api.invoke('customers:get', { id: customer.id })
    await app.api.invoke('customers:update', { id: customer.id, customer: customerInputOf(now, changes), version: now.version })
  }
  await page.goto(`/#/bookings/${booking.id}`)
  const card = page.getByTestId('booking-customer')
  const dialog = page.getByTestId('edit-contact-dialog')
  const email = dialog.getByTestId('contact-email').getByRole('textbox')

  // Another desk adds a company while the dialog is open: the save goes through and the company stays.
  await card.getByTestId('edit-contact').click()
  await expect(dialog.getByTestId('contact-first-name').getByRole('textbox')).toHaveValue('Omar')
  await otherDesk({ company: 'Haddad Joinery' })
  await email.fill('omar@haddad.example')
  await dialog.getByTestId('contact-save').click()
  await expect(dialog).toBeHidden()
  let saved = await app.api.invoke('customers:get', { id: customer.id })
  expect([saved.email, saved.company]).toEqual(['omar@haddad.example', 'Haddad Joinery'])

  // Another desk changes the email while the dialog is open: the save is refused and says what it is now; saving again uses what was typed.
  await card.getByTestId('edit-contact').click()
  await expect(email).toHaveValue('omar@haddad.example')
  await otherDesk({ email: 'o.haddad@joinery.example' })
  await email.fill('omar.h@haddad.example')
  await dialog.getByTestId('contact-save').click()
  await expect(dialog.getByTestId('contact-form-error')).toContainText('Changed on another desk since you opened this')
  await expect(dialog.getByTestId('contact-form-error')).toContainText('o.haddad@joinery.example')
  await expect(email).toHaveValue('omar.h@haddad.example')
  saved = await app.api.invoke('customers:get', { id: customer.id })
  expect(saved.email).toBe('o.haddad@joinery.example')
  await app.screenshot('booking-edit-contact-changed-meanwhile')
  await dialog.getByTestId('contact-save').click()
  await expect(dialog).toBeHidden()
  saved = await app.api.invoke('customers:get', { id: customer.id })
  expect([saved.email, saved.company]).toEqual(['omar.h@haddad.example', 'Haddad Joinery'])
})

/** Checked once the screen has settled: a message still fading in has not reached its colour yet. */
async function seriousA11yViolations(page: Page): Promise<string[]> {
  await settled(page)
  return seriousA11yProblems(page)
}

test('the catalogue, new booking and booking screens have no serious accessibility problems, light or dark', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const customer = await createCustomer(app, 'Iris', 'Bell')
  const { booking } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: customer.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
    payment: { amountMinor: 500, method: 'card' },
  })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto('/#/catalogue')
    await expect(page.getByTestId('session-row').first()).toBeVisible()
    expect(await seriousA11yViolations(page), `catalogue (${scheme})`).toEqual([])
    await page.goto(`/#/bookings/new?customerId=${customer.id}`)
    await expect(page.getByTestId('who-step').getByTestId('customer-name')).toBeVisible()
    await pickOption(page, page.getByTestId('line-item'), /Yoga Flow/)
    await expect(page.getByTestId('running-total')).toHaveText('£12.50')
    // The session is chosen once its places have loaded; its hint (Iris has 2 of the 10) appears then.
    await expect(page.getByTestId('line-session')).toContainText('8 places left')
    expect(await seriousA11yViolations(page), `new booking (${scheme})`).toEqual([])
    await page.goto(`/#/bookings/${booking.id}`)
    await expect(page.getByTestId('payment-row')).toHaveCount(1)
    expect(await seriousA11yViolations(page), `booking (${scheme})`).toEqual([])
  }
})
