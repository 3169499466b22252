import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { pickOption } from './choose'

/**
 * Tax and members' prices at the desk: the Tax settings, an item at the
 * reduced rate, a booking whose invoice shows net, tax per rate and gross,
 * and a members-only price that New booking offers only to members.
 */

test.describe.configure({ timeout: 180_000 })

function catalogueFor(app: FrontdeskApp): Promise<TestCatalogue> {
  return createCatalogue(app.api as unknown as TestCore)
}

const gbp = (minor: number) => `£${(minor / 100).toFixed(2)}`

test('tax settings, an item at the reduced rate, and a booking invoiced with net, tax per rate and gross', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const ann = await app.api.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith', email: 'ann@example.com' })

  // Settings → Tax: no rates yet means no tax.
  await page.goto('/#/settings?section=tax')
  const form = page.getByTestId('tax-settings')
  await expect(form.getByTestId('tax-no-rates')).toBeVisible()
  await form.getByTestId('tax-add-rate').click()
  const rows = form.getByTestId('tax-rate-row')
  await expect(rows.first().getByTestId('tax-rate-name').getByRole('textbox')).toHaveValue('Standard')
  await rows.first().getByTestId('tax-rate-percent').getByRole('textbox').fill('20')
  await form.getByTestId('tax-add-rate').click()
  await rows.nth(1).getByTestId('tax-rate-percent').getByRole('textbox').fill('12.345')
  await form.getByTestId('tax-save').click()
  // Both mistakes are said next to their fields; nothing is saved.
  await expect(rows.nth(1).getByTestId('tax-rate-name')).toContainText('Name the rate')
  await expect(rows.nth(1).getByTestId('tax-rate-percent')).toContainText('at most two decimals')
  expect((await app.api.invoke('settings:get', undefined)).taxRates).toEqual([])
  await rows.nth(1).getByTestId('tax-rate-name').getByRole('textbox').fill('Reduced')
  await rows.nth(1).getByTestId('tax-rate-percent').getByRole('textbox').fill('5')
  await expect(form.getByTestId('tax-example')).toContainText('£10.00 is what a standard customer pays, £1.67 of it tax at 20%')
  await app.screenshot('tax-settings')
  await form.getByTestId('tax-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tax settings saved')
  await expectNoSeriousA11yViolations(page, 'Settings → Tax')
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('tax-settings-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  const settings = await app.api.invoke('settings:get', undefined)
  expect(settings.pricesIncludeTax).toBe(true)
  expect(settings.taxRates).toEqual([
    { name: 'Standard', rateBp: 2000 },
    { name: 'Reduced', rateBp: 500 },
  ])

  // The massage is charged at the reduced rate.
  await page.goto('/#/catalogue')
  const massageRow = page.getByTestId('item-row').filter({ hasText: 'Massage 60 min' })
  await massageRow.getByTestId('edit-item').click()
  const dialog = page.getByTestId('item-dialog')
  await expect(dialog).toBeVisible()
  await pickOption(page, dialog.getByTestId('item-tax-rate'), /Reduced 5%/)
  await dialog.getByTestId('item-at-customer-address').getByRole('checkbox').check()
  await app.screenshot('catalogue-item-dialog-tax')
  await dialog.getByTestId('item-save').click()
  await expect(dialog).toBeHidden()
  await expect(massageRow.getByTestId('item-tax')).toHaveText('Reduced 5%')
  await expect(massageRow.getByTestId('item-home-service')).toBeVisible()
  await expect(page.getByTestId('item-row').filter({ hasText: 'Yoga Flow' }).getByTestId('item-tax')).toHaveText('Standard 20%')
  await expect(page.getByTestId('prices-heading')).toHaveText('Prices (incl. tax)')
  await app.screenshot('catalogue-list-tax')
  const massage = (await app.api.invoke('catalogue:list', undefined)).find((i) => i.id === cat.massage.itemId)!
  expect(massage).toMatchObject({ taxRateBp: 500, atCustomerAddress: true })

  // Removing the reduced rate says which items still use it; cancelling keeps it.
  await page.goto('/#/settings?section=tax')
  await page.getByTestId('tax-rate-row').nth(1).getByTestId('tax-rate-remove').click()
  await page.getByTestId('tax-save').click()
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('Massage 60 min (5%) will keep being charged at that rate')
  await app.screenshot('tax-settings-remove-used-rate')
  await confirm.getByTestId('confirm-cancel').click()
  await expect(confirm).toBeHidden()
  expect((await app.api.invoke('settings:get', undefined)).taxRates).toHaveLength(2)

  // Book two Adult yoga places as Ann: the total says how much of it is tax.
  await page.goto(`/#/bookings/new?customerId=${ann.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Ann Smith')
  await pickOption(page, page.getByTestId('line-item'), /Yoga Flow/)
  await page.getByTestId('line-quantity').getByRole('spinbutton').fill('2')
  // 2 × £12.50 = £25.00 including 20%: £25.00 × 20/120 = £4.1666… → £4.17.
  await expect(page.getByTestId('running-total')).toHaveText('£25.00')
  await expect(page.getByTestId('running-tax')).toHaveText('incl. £4.17 tax at 20%')
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  const line = page.getByTestId('booking-line').first()
  await expect(line.getByTestId('line-net-cell')).toHaveText(gbp(2083))
  await expect(line.getByTestId('line-tax-cell')).toContainText('£4.17')
  await expect(line.getByTestId('line-tax-cell')).toContainText('at 20%')
  await expect(line.getByTestId('line-total-cell')).toHaveText(gbp(2500))
  await expect(page.getByTestId('money-net')).toHaveText(gbp(2083))
  await app.screenshot('booking-page-tax')

  // A second booking for Ann through the API: a concession place and a pottery taster.
  const bookingId = Number(/bookings\/(\d+)/.exec(page.url())![1])
  const detail = await app.api.invoke('bookings:get', { id: bookingId })
  expect(detail.lines[0]).toMatchObject({ totalMinor: 2500, taxMinor: 417, taxRateBp: 2000 })
  const second = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ann.id },
    lines: [
      { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId, quantity: 1 },
      { sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 },
    ],
  })

  // The profile's Invoices tab: each line's net, rate, tax and gross; the invoice's net, tax per rate and gross.
  await page.goto(`/#/customers/${ann.id}?tab=invoices`)
  const invoice = page.getByTestId('invoice').filter({ hasText: second.booking.reference })
  await invoice.click()
  const details = invoice.getByTestId('invoice-details')
  await expect(details).toBeVisible()
  // Concession £8.00 at 20%: 800/6 = 133.33 → £1.33, net £6.67. Pottery £30.00 at 20%: £5.00, net £25.00.
  await expect(details.getByTestId('invoice-line-net')).toHaveText([gbp(667), gbp(2500)])
  await expect(details.getByTestId('invoice-line-rate')).toHaveText(['20%', '20%'])
  await expect(details.getByTestId('invoice-line-tax')).toHaveText([gbp(133), gbp(500)])
  await expect(details.getByTestId('invoice-line-gross')).toHaveText([gbp(800), gbp(3000)])
  await expect(details.getByTestId('invoice-net')).toHaveText(gbp(3167))
  await expect(details.getByTestId('invoice-tax')).toHaveText([/Tax at 20% on £31\.67\s*£6\.33/])
  await expect(details.getByTestId('invoice-gross')).toHaveText(gbp(3800))
  await app.screenshot('invoices-tab-tax')

  // With prices before tax, New booking says so and its total adds the tax: £12.50 + 20% = £15.00.
  await page.goto('/#/settings?section=tax')
  await page.getByTestId('tax-include-no').getByRole('radio').check()
  await expect(page.getByTestId('tax-example')).toContainText('£10.00 is before tax; a standard customer pays £12.00')
  await page.getByTestId('tax-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tax settings saved')
  expect((await app.api.invoke('settings:get', undefined)).pricesIncludeTax).toBe(false)
  await page.goto(`/#/bookings/new?customerId=${ann.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Ann Smith')
  await pickOption(page, page.getByTestId('line-item'), /Yoga Flow/)
  await expect(page.getByTestId('line-price')).toContainText('Adult — £12.50 + tax')
  await expect(page.getByTestId('line-total')).toHaveText('£15.00')
  await expect(page.getByTestId('running-total')).toHaveText('£15.00')
  await expect(page.getByTestId('running-tax')).toHaveText('incl. £2.50 tax at 20%')
  await app.screenshot('new-booking-prices-before-tax')
})

test('a members’ price is offered only to members in New booking, with the reason for others', async ({ page, app }) => {
  const cat = await catalogueFor(app)
  const members = await app.api.invoke('groups:create', { name: 'Members' })
  const yoga = (await app.api.invoke('catalogue:list', undefined)).find((i) => i.id === cat.yoga.itemId)!
  const saved = await app.api.invoke('catalogue:saveItem', {
    id: yoga.id,
    kind: yoga.kind,
    name: yoga.name,
    priceOptions: [
      ...yoga.priceOptions.map((o) => ({ id: o.id, name: o.name, amountMinor: o.amountMinor, currency: o.currency })),
      { name: 'Members', amountMinor: 800, currency: 'GBP', groupIds: [members.id] },
    ],
  })
  const ann = await app.api.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith', email: 'ann@example.com' })
  const bob = await app.api.invoke('customers:create', { firstName: 'Bob', lastName: 'Jones', email: 'bob@example.com' })
  await app.api.invoke('customers:addToGroup', { customerId: bob.id, groupId: members.id })

  // The catalogue says who the price is for.
  await page.goto('/#/catalogue')
  await expect(page.getByTestId('item-row').filter({ hasText: 'Yoga Flow' }).getByTestId('item-price-groups')).toHaveText('Members only')
  await app.screenshot('catalogue-list-members-price')
  await page.getByTestId('item-row').filter({ hasText: 'Yoga Flow' }).getByTestId('edit-item').click()
  const dialog = page.getByTestId('item-dialog')
  await expect(dialog.getByTestId('price-row').nth(2).getByTestId('price-groups')).toContainText('Members')
  await dialog.getByTestId('price-row').nth(2).scrollIntoViewIfNeeded()
  await app.screenshot('catalogue-item-dialog-members-price')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // Ann is not a member: the price is listed but cannot be chosen, and says why.
  await page.goto(`/#/bookings/new?customerId=${ann.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Ann Smith')
  await pickOption(page, page.getByTestId('line-item'), /Yoga Flow/)
  await page.getByTestId('line-price').click()
  const membersPrice = page.getByTestId('price-option').filter({ hasText: 'Members — £8.00' })
  await expect(membersPrice).toContainText('Members only — Ann Smith is not in Members')
  await expect(membersPrice).toHaveClass(/v-list-item--disabled/)
  await app.screenshot('new-booking-members-price-not-offered')
  await page.keyboard.press('Escape')
  // Whatever the screen offers, the desk's service refuses it too.
  const refused = await app.api.call('bookings:create', {
    customer: { kind: 'existing', id: ann.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: saved.priceOptions.find((o) => o.name === 'Members')!.id, quantity: 1 }],
  })
  expect(refused.ok).toBe(false)
  if (!refused.ok) expect(refused.error.message).toContain('only for customers in Members; Ann Smith is not in Members.')

  // Bob is: he books at the members' price.
  await page.goto(`/#/bookings/new?customerId=${bob.id}`)
  await expect(page.getByTestId('who-step')).toContainText('Bob Jones')
  await pickOption(page, page.getByTestId('line-item'), /Yoga Flow/)
  await pickOption(page, page.getByTestId('line-price'), /Members — £8\.00/)
  await expect(page.getByTestId('running-total')).toHaveText('£8.00')
  await app.screenshot('new-booking-members-price')
  await page.getByTestId('create-booking').click()
  await expect(page).toHaveURL(/#\/bookings\/\d+$/)
  await expect(page.getByTestId('booking-line').first().getByTestId('line-price-name')).toHaveText('Members')
  await expect(page.getByTestId('money-total')).toHaveText('£8.00')
})
