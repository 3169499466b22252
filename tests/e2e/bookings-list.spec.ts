import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { expect, test } from './fixtures'
import { seriousA11yProblems } from './a11y'
import { pickOption } from './choose'

/**
 * Bookings beyond one profile: the Bookings page (filters, pages, opening a
 * booking), finding a booking by its reference or a receipt number with
 * Ctrl+K, and a home service booked at one of the customer's addresses.
 */

test.describe.configure({ timeout: 180_000 })

test('the Bookings page lists every booking newest first, filters, pages, and opens a booking', async ({ page, app }) => {
  await app.seed(300)
  const first = await app.api.invoke('bookings:list', { limit: 50 })
  expect(first.rows).toHaveLength(50)
  await page.goto('/#/customers')
  await page.getByTestId('nav-bookings').click()
  await expect(page.getByRole('heading', { name: 'Bookings', level: 1 })).toBeVisible()
  const rows = page.getByTestId('bookings-page-row')
  await expect(rows).toHaveCount(50)
  await expect(page.getByTestId('bookings-page-reference')).toHaveText(first.rows.map((r) => r.reference))
  await expect(page.getByTestId('bookings-page-shown')).toHaveText('Bookings 1–50')
  await app.screenshot('bookings-page')
  expect(await seriousA11yProblems(page)).toEqual([])

  // The next page starts where the first ended, and Previous comes back.
  const second = await app.api.invoke('bookings:list', { limit: 50, after: first.next })
  await page.getByTestId('bookings-page-next').click()
  await expect(page.getByTestId('bookings-page-shown')).toHaveText('Bookings 51–100')
  await expect(page.getByTestId('bookings-page-reference').first()).toHaveText(second.rows[0]!.reference)
  await page.getByTestId('bookings-page-previous').click()
  await expect(page.getByTestId('bookings-page-shown')).toHaveText('Bookings 1–50')

  // Owing only, then pending: every row owes, and is pending.
  await page.getByTestId('bookings-filter-owing').getByRole('checkbox').check()
  const owing = await app.api.invoke('bookings:list', { owing: true, limit: 50 })
  await expect(page.getByTestId('bookings-page-reference')).toHaveText(owing.rows.map((r) => r.reference))
  await pickOption(page, page.getByTestId('bookings-filter-status'), 'Pending')
  const pending = await app.api.invoke('bookings:list', { owing: true, status: 'pending', limit: 50 })
  expect(pending.rows.length).toBeGreaterThan(0)
  await expect(page.getByTestId('bookings-page-reference')).toHaveText(pending.rows.map((r) => r.reference))
  await expect(rows.first()).toContainText('Pending')
  await app.screenshot('bookings-page-filtered')
  await page.getByTestId('bookings-clear-filters').click()
  await expect(rows).toHaveCount(50)

  // A row opens its booking; the filters and page are still there on the way back.
  await rows.nth(3).click()
  await expect(page).toHaveURL(new RegExp(`#/bookings/${first.rows[3]!.id}$`))
  await expect(page.getByTestId('booking-reference')).toHaveText(first.rows[3]!.reference)
  await expect(page.getByTestId('nav-bookings')).toHaveClass(/v-list-item--active/)
})

test('Ctrl+K then a booking reference (or a receipt number) and Enter opens the booking', async ({ page, app }) => {
  await app.seed(60)
  const list = await app.api.invoke('bookings:list', { limit: 20 })
  const booking = list.rows[7]!
  await page.goto('/#/reports')
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await page.keyboard.press('Control+K')
  const search = page.getByTestId('customer-search').getByRole('textbox')
  await expect(search).toBeFocused()
  // Typed short, as the desk says it: b and the number.
  await search.fill(`b${booking.id}`)
  await expect(page.getByTestId('booking-match-reference')).toHaveText(booking.reference)
  await expect(page.getByTestId('booking-match')).toContainText(booking.customer!.displayName)
  await app.screenshot('search-booking-reference')
  await search.press('Enter')
  await expect(page).toHaveURL(new RegExp(`#/bookings/${booking.id}$`))
  await expect(page.getByTestId('booking-reference')).toHaveText(booking.reference)

  // A receipt number names the booking its payment was taken on.
  const payment = (await app.core.db('payments').orderBy('id', 'desc').first('id', 'booking_id')) as { id: number; booking_id: number }
  const receipt = `R-${String(payment.id).padStart(6, '0')}`
  await page.keyboard.press('Control+K')
  await expect(search).toBeFocused()
  await search.fill(receipt)
  await expect(page.getByTestId('booking-match')).toContainText(`Receipt ${receipt} is a payment on booking`)
  await page.getByTestId('booking-match-open').click()
  await expect(page).toHaveURL(new RegExp(`#/bookings/${payment.booking_id}$`))
})

test('a home service is booked at the customer’s default service address, shown on the booking and the profile', async ({ page, app }) => {
  const cat: TestCatalogue = await createCatalogue(app.api as unknown as TestCore)
  await app.core.db('catalogue_items').where({ id: cat.massage.itemId }).update({ at_customer_address: true })
  const ada = await app.api.invoke('customers:create', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    addresses: [
      { label: 'work', line1: '1 Mill Lane', city: 'Leeds', postcode: 'LS1 1AA' },
      { label: 'home', line1: '9 Park Row', city: 'Leeds', postcode: 'LS2 2BB', isDefaultService: true },
    ],
  })
  const cy = await app.api.invoke('customers:create', { firstName: 'Cy', lastName: 'Young', email: 'cy@example.com' })

  await page.goto(`/#/bookings/new?customerId=${ada.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Ada Lovelace')
  await pickOption(page, page.getByTestId('line-item'), /Massage 60 min/)
  const where = page.getByTestId('service-address-step')
  await expect(where).toContainText('Massage 60 min is done at the customer’s address')
  const home = ada.addresses.find((a) => a.isDefaultService)!
  await expect(where.getByTestId(`service-address-${home.id}`).getByRole('radio')).toBeChecked()
  await app.screenshot('new-booking-home-service')
  expect(await seriousA11yProblems(page)).toEqual([])
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(page.getByTestId('booking-address')).toContainText('9 Park Row, Leeds LS2 2BB')
  await app.screenshot('booking-home-service')

  // The profile's Bookings tab shows where, and its Appointments filter keeps the massage.
  await page.goto(`/#/customers/${ada.id}`)
  await page.getByTestId('tab-bookings').click()
  await expect(page.getByTestId('booking-address')).toContainText('9 Park Row')
  await page.getByTestId('booking-filter-appointments').click()
  await expect(page.getByTestId('booking-row')).toHaveCount(1)
  await app.screenshot('profile-bookings-tab')

  // Someone with no address: asked for one right there, then booked.
  await page.goto(`/#/bookings/new?customerId=${cy.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Cy Young')
  await pickOption(page, page.getByTestId('line-item'), /Massage 60 min/)
  await expect(page.getByTestId('service-address-none')).toContainText('Cy Young has no address yet')
  await page.getByTestId('create-booking').click()
  await expect(page.getByTestId('booking-form-error').or(page.getByTestId('service-address-none'))).toContainText(/no address yet/)
  await page.getByTestId('service-address-line1').getByRole('textbox').fill('3 New Street')
  await page.getByTestId('service-address-postcode').getByRole('textbox').fill('LS3 3CC')
  await page.getByTestId('service-address-add').click()
  await expect(page.getByTestId('service-address-choice')).toContainText('3 New Street, LS3 3CC')
  await app.screenshot('new-booking-address-added')
})
