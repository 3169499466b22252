import { addTestPlanProduct, sellTestPlan } from '../helpers/plans'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { pickOption } from './choose'

/**
 * Plans that take money, through real clicks: plans added to the catalogue,
 * one sold from a profile with a payment, its invoice and balance; then the
 * Collections due page recording one collection paid and one failed, the
 * failed one owed on the profile and paid from there, and its order's page.
 */

test.describe.configure({ timeout: 180_000 })

/** en-GB money, as the app shows it in tests: 1234 → "£12.34". */
function gbp(minor: number): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(minor / 100)
}

/** A day `days` from today on this machine's calendar (the test process and the app share it). */
function dayFromToday(days: number): string {
  const d = new Date()
  d.setDate(d.getDate() + days)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

test('plans are added to the catalogue and sold from a profile with a payment; the sale is an invoice', async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Gwen', lastName: 'Gold', email: 'gwen@example.com' })

  await page.goto('/#/catalogue')
  await expect(page.getByTestId('plan-products-empty')).toBeVisible()
  const dialog = page.getByTestId('plan-product-dialog')
  await page.getByTestId('new-plan-product').click()
  await dialog.getByTestId('plan-product-name').locator('input').fill('Gold membership')
  await dialog.getByTestId('plan-product-price').locator('input').fill('120')
  await dialog.getByTestId('plan-product-length').locator('input').fill('12')
  await dialog.getByTestId('plan-product-save').click()
  await expect(page.getByTestId('plan-product-row')).toHaveCount(1)

  await page.getByTestId('new-plan-product').click()
  await dialog.getByTestId('plan-kind-pass').click()
  await dialog.getByTestId('plan-product-name').locator('input').fill('10-class pass')
  await dialog.getByTestId('plan-product-price').locator('input').fill('90')
  await dialog.getByTestId('plan-product-credits').locator('input').fill('10')
  await dialog.getByTestId('plan-product-expires').locator('input').check()
  await dialog.getByTestId('plan-product-length').locator('input').fill('6')
  await dialog.getByTestId('plan-product-save').click()

  await page.getByTestId('new-plan-product').click()
  await dialog.getByTestId('plan-kind-subscription').click()
  await dialog.getByTestId('plan-product-name').locator('input').fill('Swim club')
  await dialog.getByTestId('plan-product-price').locator('input').fill('30')
  await expect(dialog.getByTestId('plan-product-interval')).toContainText('Every month')
  await app.screenshot('plans-product-dialog')
  await dialog.getByTestId('plan-product-save').click()
  await expect(page.getByTestId('plan-product-row')).toHaveCount(3)
  const rows = page.getByTestId('plan-product-row')
  await expect(rows.nth(0)).toContainText('Lasts 12 months')
  await expect(rows.nth(1)).toContainText('10 credits · valid 6 months')
  await expect(rows.nth(2)).toContainText(`${gbp(3000)} / month`)
  await page.getByTestId('plan-products-card').scrollIntoViewIfNeeded()
  await app.screenshot('plans-catalogue')
  await expectNoSeriousA11yViolations(page, 'the Catalogue page with plans')

  // Sold from the profile, part paid by card.
  await page.goto(`/#/customers/${customer.id}?tab=memberships`)
  await expect(page.getByTestId('plans-empty')).toBeVisible()
  await page.getByTestId('sell-plan').click()
  const sell = page.getByTestId('sell-plan-dialog')
  await pickOption(page, page.getByTestId('sell-plan-product'), /Gold membership/)
  await sell.getByTestId('sell-plan-pay-part').click()
  await sell.getByTestId('sell-plan-amount').locator('input').fill('50')
  await pickOption(page, sell.getByTestId('sell-plan-method'), 'Cash')
  await expect(sell.getByTestId('sell-plan-summary')).toContainText('Valid from')
  await app.screenshot('plans-sell-dialog')
  await sell.getByTestId('sell-plan-submit').click()
  await expect(page.getByTestId('snackbar')).toContainText(`Gold membership sold on B-`)
  await expect(page.getByTestId('membership-row')).toContainText('Gold membership')
  await expect(page.getByTestId('plan-owed-row')).toContainText(`${gbp(7000)} owed`)

  const { invoices, totals } = await app.api.invoke('customers:invoices', { customerId: customer.id })
  expect(invoices).toHaveLength(1)
  expect(invoices[0]!.lines.map((l) => [l.description, l.totalMinor])).toEqual([['Gold membership — 12 months', 12000]])
  expect(totals[0]).toMatchObject({ invoicedMinor: 12000, incomeReceivedMinor: 5000, outstandingMinor: 7000 })
  const payments = invoices[0]!.payments.map((p) => [p.amountMinor, p.method])
  expect(payments).toEqual([[5000, 'cash']])

  // The Invoices tab lists the sale like a booking.
  await page.getByTestId('tab-invoices').click()
  await page.getByText('INV-000001').click()
  await expect(page.getByText('Gold membership — 12 months').first()).toBeVisible()
  // The sidebar counts bookings; a plan sold is money, not a booking.
  expect((await app.api.invoke('customers:summary', { id: customer.id })).bookings).toBe(0)
})

test('collections due are recorded as paid or failed; a failed one is owed on the profile and paid there', async ({ page, app }) => {
  const paying = await app.api.invoke('customers:create', { firstName: 'Paula', lastName: 'Payer' })
  const failing = await app.api.invoke('customers:create', { firstName: 'Fred', lastName: 'Failed' })
  const swim = await addTestPlanProduct(app.api, { kind: 'subscription', name: 'Swim club', priceMinor: 3000, interval: 'month' })
  const yoga = await addTestPlanProduct(app.api, { kind: 'subscription', name: 'Weekly yoga', priceMinor: 800, interval: 'week' })
  // Started five weeks ago, the first collection paid at the sale: the next ones are overdue.
  const startsOn = dayFromToday(-35)
  const card = { amountMinor: null, method: 'card' as const, reference: '' }
  await app.api.invoke('plans:sell', { customerId: paying.id, productId: swim, startsOn, payment: card })
  await app.api.invoke('plans:sell', { customerId: failing.id, productId: yoga, startsOn, payment: card })
  // A subscription starting next week is not due yet.
  await sellTestPlan(app.api, paying.id, { kind: 'subscription', name: 'Later club', priceMinor: 500, interval: 'week' }, { startsOn: dayFromToday(7) })

  await page.goto('/#/collections')
  const rows = page.getByTestId('collection-row')
  await expect(rows).toHaveCount(2)
  // Oldest first: the weekly one fell due four weeks ago, the monthly one about a week ago.
  await expect(rows.nth(0)).toContainText('Fred Failed')
  await expect(rows.nth(0).getByTestId('collection-overdue')).toContainText('28 days overdue')
  await expect(rows.nth(1)).toContainText('Paula Payer')
  await expect(rows.nth(1).getByTestId('collection-amount')).toHaveText(gbp(3000))
  await expect(page.getByTestId('collections-count')).toHaveText('2')
  await expect(page.getByTestId('collections-badge')).toHaveText('2 due')
  await expect(page.getByTestId('collections-amount')).toHaveText(gbp(3800))
  await app.screenshot('plans-collections-due')
  await expectNoSeriousA11yViolations(page, 'the Collections due page')

  await pickOption(page, rows.nth(1).getByTestId('collection-method'), 'Cash')
  await rows.nth(1).getByTestId('collection-paid').click()
  await expect(page.getByTestId('snackbar')).toContainText(`${gbp(3000)} collected from Paula Payer`)
  // The weekly one is still overdue a week at a time: failed once, it moves on to the next week due.
  await expect(rows).toHaveCount(1)
  await expect(page.getByTestId('collections-badge')).toHaveText('1 due')
  await rows.nth(0).getByTestId('collection-failed').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText(`Failed collection recorded: ${gbp(800)} owed by Fred Failed`)
  await expect(rows.nth(0).getByTestId('collection-overdue')).toContainText('21 days overdue')

  const paid = await app.api.invoke('customers:invoices', { customerId: paying.id })
  // The sale and one collection of the swim club paid; the later club's sale (its first collection) left owing.
  expect(paid.totals[0]).toMatchObject({ invoicedMinor: 3000 + 3000 + 500, incomeReceivedMinor: 6000, outstandingMinor: 500 })
  const failed = await app.api.invoke('plans:list', { customerId: failing.id })
  expect(failed.owed).toHaveLength(1)
  expect(failed.owed[0]).toMatchObject({ planName: 'Weekly yoga', outstandingMinor: 800 })
  expect(failed.owed[0]!.failedAt).not.toBeNull()

  // The profile shows the failed collection as owed, with a way to take the payment.
  await page.goto(`/#/customers/${failing.id}?tab=memberships`)
  const owed = page.getByTestId('plan-owed-row')
  await expect(owed).toContainText('Weekly yoga')
  await expect(owed).toContainText('failed')
  await expect(owed.getByTestId('plan-owed-amount')).toHaveText(`${gbp(800)} owed`)
  await app.screenshot('plans-profile-failed-collection')
  await expectNoSeriousA11yViolations(page, 'the Memberships tab with a failed collection')

  // Its order's page: a plan line without a session, no attendance actions.
  await owed.getByTestId('plan-owed-reference').click()
  await expect(page.getByTestId('plan-order-failed')).toBeVisible()
  await expect(page.getByTestId('plan-order-description')).toContainText('Weekly yoga — collection due')
  await expect(page.getByTestId('booking-kind')).toHaveText('Subscription collection')
  await expect(page.getByTestId('action-complete')).toHaveCount(0)
  await expect(page.getByTestId('action-pay')).toBeVisible()
  await app.screenshot('plans-order-page')
  // Cancelling it would void the charge and leave the plan alone; the desk keeps it here.
  await page.getByTestId('action-cancel').click()
  await expect(page.getByTestId('cancel-dialog')).toContainText('Cancel order B-')
  await expect(page.getByTestId('cancel-dialog')).toContainText('The plan itself stays as it is')
  await page.getByRole('button', { name: 'Keep order' }).click()
  await expect(page.getByTestId('cancel-dialog')).toBeHidden()
  await page.goBack()

  await owed.getByTestId('plan-owed-pay').click()
  const pay = page.getByTestId('plan-payment-dialog')
  await expect(pay.getByTestId('plan-payment-amount').locator('input')).toHaveValue('8.00')
  await pay.getByTestId('plan-payment-save').click()
  await expect(page.getByTestId('plan-owed-row')).toHaveCount(0)
  const after = await app.api.invoke('customers:invoices', { customerId: failing.id })
  expect(after.totals[0]).toMatchObject({ invoicedMinor: 1600, incomeReceivedMinor: 1600, outstandingMinor: 0 })
})

test('sample data fills the plans catalogue and the Collections due page', async ({ page, app }) => {
  await app.seed(2000)
  const due = await app.api.invoke('plans:collectionsDue', {})
  expect(due.total).toBeGreaterThan(0)
  await page.goto('/#/collections')
  await expect(page.getByTestId('collection-row')).toHaveCount(Math.min(due.total, 100))
  await expect(page.getByTestId('collections-count')).toHaveText(due.total.toLocaleString('en-GB'))
  await app.screenshot('plans-collections-due-sample')
  await page.goto('/#/catalogue')
  await expect(page.getByTestId('plan-product-row')).toHaveCount(3)
})
