import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import type { BookingDetail } from '../../preload/contract'
import { expect, test, TEST_PASSWORD } from './fixtures'
import { seriousA11yProblems } from './a11y'
import { chooseOption } from './choose'

/**
 * Two desks on one booking: the other desk is played by the test's own calls,
 * and its notice by the event the main process sends ('desk:changed').
 */

test.describe.configure({ timeout: 150_000 })

async function aBooking(app: { api: unknown }): Promise<{ cat: TestCatalogue; booking: BookingDetail; customerId: number }> {
  const api = app.api as unknown as TestCore
  const cat = await createCatalogue(api)
  const ada = await api.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: '', phones: [], addresses: [] })
  const { booking } = await api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ada.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }],
  })
  return { cat, booking, customerId: ada.id }
}

test('cancelling a booking another desk took a payment on meanwhile: the reason typed is kept, what changed is shown, the person chooses', async ({ page, app }) => {
  const { booking } = await aBooking(app)
  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed')

  // This desk starts cancelling.
  await page.getByTestId('action-cancel').click()
  await page.getByTestId('cancel-reason').getByRole('textbox').fill('Called to say they are unwell')

  // Meanwhile the other desk takes the full payment.
  await app.api.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 1250, method: 'card' })
  await app.emitMenu('desk:changed')

  // The dialog keeps what was typed; the page says the booking changed and shows it as it is now.
  await expect(page.getByTestId('booking-changed-elsewhere')).toBeVisible({ timeout: 1_000 })
  await expect(page.getByTestId('cancel-reason').getByRole('textbox')).toHaveValue('Called to say they are unwell')
  await expect(page.getByTestId('money-paid')).toHaveText('£12.50')
  await app.screenshot('booking-changed-elsewhere')

  await page.getByTestId('cancel-confirm').click()
  const dialog = page.getByTestId('booking-conflict-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(`${booking.reference} was changed on another desk since you opened it`)
  await expect(dialog.getByTestId('booking-conflict-changes')).toContainText('Payment of £12.50 by card')
  await expect(dialog.getByTestId('booking-conflict-status')).toContainText('Confirmed')
  await expect(dialog.getByTestId('booking-conflict-status')).toContainText('Cancelled')
  // Nothing was cancelled yet.
  expect((await app.api.invoke('bookings:get', { id: booking.id })).status).toBe('confirmed')
  await app.screenshot('booking-conflict-dialog-light')
  expect(await seriousA11yProblems(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('booking-conflict-dialog-dark')
  expect(await seriousA11yProblems(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'light' })

  // The person cancels anyway, on the booking as it is now: the payment stays, as credit.
  await dialog.getByTestId('booking-conflict-apply').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('booking-status')).toHaveText('Cancelled')
  const now = await app.api.invoke('bookings:get', { id: booking.id })
  expect(now).toMatchObject({ status: 'cancelled', paidMinor: 1250, outstandingMinor: -1250 })
  expect(now.history[0]!.summary).toContain('Called to say they are unwell')
})

test('an action on a booking another desk changed without telling: keeping theirs leaves the booking as the other desk made it', async ({ page, app }) => {
  const { booking } = await aBooking(app)
  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed')
  // The other desk marks it no-show; no notice arrives (the line was down a moment).
  await app.api.invoke('bookings:setStatus', { id: booking.id, status: 'no_show', version: booking.version })

  await page.getByTestId('action-complete').click()
  const dialog = page.getByTestId('booking-conflict-dialog')
  await expect(dialog.getByTestId('booking-conflict-status')).toContainText('No-show')
  await expect(dialog.getByTestId('booking-conflict-status')).toContainText('Completed')
  await expect(dialog.getByTestId('booking-conflict-apply')).toHaveText('Mark completed anyway')
  await dialog.getByTestId('booking-conflict-keep').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('booking-status')).toHaveText('No-show')
  expect((await app.api.invoke('bookings:get', { id: booking.id })).status).toBe('no_show')
})

test('the Bookings page follows other desks: a booking made and one cancelled there show here within a second', async ({ page, app }) => {
  const { cat, booking, customerId } = await aBooking(app)
  await page.goto('/#/bookings')
  await expect(page.getByTestId('bookings-page-row')).toHaveCount(1)
  await expect(page.getByTestId('bookings-page-row').first()).toContainText('Confirmed')

  // The other desk books a massage for Ada and cancels her yoga.
  await app.api.invoke('bookings:create', { customer: { kind: 'existing', id: customerId }, lines: [{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId }] })
  await app.api.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled', version: booking.version })
  await app.emitMenu('desk:changed')

  await expect(page.getByTestId('bookings-page-row')).toHaveCount(2, { timeout: 1_000 })
  const yoga = page.getByTestId('bookings-page-row').filter({ hasText: booking.reference })
  await expect(yoga).toContainText('Cancelled', { timeout: 1_000 })
  await expect(page.getByTestId('bookings-page-shown')).toHaveText('Bookings 1–2 (the last)')
  await app.screenshot('bookings-page-refreshed')
})

test('an open booking follows another desk’s change while nothing is being done on it', async ({ page, app }) => {
  const { booking } = await aBooking(app)
  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('money-paid')).toHaveText('£0.00')
  await app.api.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 500, method: 'cash' })
  await app.emitMenu('desk:changed')
  await expect(page.getByTestId('money-paid')).toHaveText('£5.00', { timeout: 1_000 })
  await expect(page.getByTestId('history-card')).toContainText('Payment of £5.00 by cash')
  await expect(page.getByTestId('booking-changed-elsewhere')).toBeHidden()
  // What this desk does next is taken on the booking as it is now: no conflict.
  await page.getByTestId('action-complete').click()
  await expect(page.getByTestId('booking-status')).toHaveText('Completed')
  await expect(page.getByTestId('booking-conflict-dialog')).toBeHidden()
})

test('a transfer chosen while another desk moved the booking: the transfer dialog gives way to the choice', async ({ page, app }) => {
  const { cat, booking } = await aBooking(app)
  await page.goto(`/#/bookings/${booking.id}`)
  await page.getByTestId('line-transfer').click()
  const transfer = page.getByTestId('transfer-dialog')
  await expect(transfer).toContainText('Now: Yoga Flow')
  // The other desk moves the line to the small session meanwhile.
  await app.api.invoke('bookings:transfer', { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.yoga.smallSessionId, priceOptionId: cat.yoga.adultOptionId, version: booking.version })
  // This desk keeps the first session and takes the concession price.
  await transfer.getByTestId('transfer-session').click()
  await chooseOption(page.getByRole('option').first())
  await transfer.getByTestId('transfer-price').click()
  await chooseOption(page.getByRole('option', { name: /Concession/ }).first())
  await expect(transfer.getByTestId('quote-new')).toHaveText('£8.00')
  await transfer.getByTestId('transfer-confirm').click()
  const dialog = page.getByTestId('booking-conflict-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('transfer-dialog')).toBeHidden()
  await expect(dialog.getByTestId('booking-conflict-changes')).toContainText('Transferred')
  await expect(dialog.getByTestId('booking-conflict-priceOption')).toContainText('Concession')
  await app.screenshot('booking-transfer-conflict')
  await dialog.getByTestId('booking-conflict-keep').click()
  expect((await app.api.invoke('bookings:get', { id: booking.id })).lines[0]!.sessionId).toBe(cat.yoga.smallSessionId)
})

test('My bookings follows other desks: a booking given to this person there shows here within a second', async ({ page, app }) => {
  const { cat, booking, customerId } = await aBooking(app)
  const jamie = await app.api.invoke('staff:create', { name: 'Jamie Fox', email: '', role: 'team', password: TEST_PASSWORD })
  const { booking: massage } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId }],
    assignedStaffId: jamie.id,
  })
  await app.api.invoke('staff:signIn', { staffId: jamie.id, password: TEST_PASSWORD })
  await page.goto('/#/my-bookings')
  await expect(page.getByTestId('my-booking')).toHaveCount(1)
  await expect(page.getByTestId('my-booking')).toContainText('Massage 60 min')

  // Another desk gives Jamie the yoga booking too (written there, told here by the notice).
  await app.core.db('bookings').where({ id: booking.id }).update({ assigned_staff_id: jamie.id })
  await app.emitMenu('desk:changed')
  await expect(page.getByTestId('my-booking')).toHaveCount(2, { timeout: 1_000 })
  await expect(page.getByTestId('my-booking').first()).toContainText('Yoga Flow')
  expect(massage.assignedTo?.name).toBe('Jamie Fox')
})
