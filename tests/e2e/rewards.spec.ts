import { join } from 'node:path'
import type { Locator } from '@playwright/test'
import { createCatalogue, TEST_PRICES, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { expect, saveScreenshot, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { pickOption } from './choose'

/**
 * Referral rewards as the desk meets them: the Settings section turning them
 * on, a referrer spending what they earned on a booking's payment, and the
 * profile's referral section (balance, history, the people they referred,
 * an administrator's adjustment).
 */

test.describe.configure({ timeout: 180_000 })

const shots = join(__dirname, '../../test-results/screenshots')

/** A screenshot of one part of the screen, for looking at. */
async function shoot(part: Locator, name: string) {
  await saveScreenshot(part, join(shots, `${name}.png`))
}

function catalogueFor(app: FrontdeskApp): Promise<TestCatalogue> {
  return createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
}

/** Ann referred Ben and Cy; Ben's first booking, paid in full, earned Ann £5.00. */
async function referralStory(app: FrontdeskApp) {
  const catalogue = await catalogueFor(app)
  const make = (firstName: string, lastName: string) => app.api.invoke('customers:create', { firstName, lastName })
  const ann = await make('Ann', 'Smith')
  const ben = await make('Ben', 'Jones')
  const cy = await make('Cy', 'Young')
  await app.api.invoke('customers:setReferral', { id: ben.id, referredById: ann.id })
  await app.api.invoke('customers:setReferral', { id: cy.id, referredById: ann.id })
  await app.api.invoke('settings:update', { referralRewardsEnabled: true, referralRewardKind: 'amount', referralRewardAmountMinor: 500 })
  const benBooking = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ben.id },
    lines: [{ sessionId: catalogue.yoga.sessionId, priceOptionId: catalogue.yoga.adultOptionId, quantity: 1 }],
    payment: { amountMinor: TEST_PRICES.yogaAdult, method: 'card' },
  })
  return { catalogue, ann, ben, cy, benBooking: benBooking.booking }
}

test('Settings: referral rewards are turned on as a percentage of the first paid booking', async ({ page, app }) => {
  await page.goto('/#/settings?section=rewards')
  const form = page.getByTestId('rewards-settings')
  await expect(form.getByTestId('rewards-summary')).toContainText('Off: nobody earns a reward')
  await shoot(form, 'rewards-settings-off')

  await form.getByTestId('rewards-enabled').getByRole('checkbox').check()
  await form.getByTestId('rewards-kind-percent').getByRole('radio').check()
  await form.getByTestId('rewards-percent').getByRole('textbox').fill('12.5')
  await expect(form.getByTestId('rewards-summary')).toContainText('earns 12.5% of that booking’s total')
  await form.getByTestId('rewards-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Referral rewards saved')
  expect(await app.api.invoke('settings:get', undefined)).toMatchObject({
    referralRewardsEnabled: true,
    referralRewardKind: 'percent',
    referralRewardPercentBp: 1250,
  })
  await form.getByTestId('rewards-percent').getByRole('textbox').fill('101')
  await form.getByTestId('rewards-save').click()
  await expect(form.getByTestId('rewards-percent')).toContainText('Enter a percentage from 0 to 100')
  await form.getByRole('button', { name: 'Discard' }).click()
  await expect(form.getByTestId('rewards-percent').getByRole('textbox')).toHaveValue('12.5')
  await shoot(form, 'rewards-settings-on')
  await expectNoSeriousA11yViolations(page, 'Settings → Referral rewards')
})

test('a referrer spends their rewards on a booking’s payment; more than the balance is refused', async ({ page, app }) => {
  const { catalogue, ann } = await referralStory(app)
  const { booking } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ann.id },
    lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
  })

  await page.goto(`/#/bookings/${booking.id}`)
  await expect(page.getByTestId('booking-reference')).toHaveText(booking.reference)
  await page.getByTestId('action-pay').click()
  const dialog = page.getByTestId('payment-dialog')
  await expect(dialog.getByTestId('payment-rewards-balance')).toHaveText('Rewards balance: £5.00 available')
  await pickOption(page, dialog.getByTestId('payment-method'), 'Rewards')
  // What is owed, up to the balance.
  await expect(dialog.getByTestId('payment-amount').getByRole('textbox')).toHaveValue('5.00')
  await dialog.getByTestId('payment-amount').getByRole('textbox').fill('6')
  await dialog.getByTestId('payment-save').click()
  await expect(dialog.getByTestId('payment-amount')).toContainText('That is more than the £5.00 of rewards Ann Smith has.')
  await dialog.getByTestId('payment-amount').getByRole('textbox').fill('5')
  await shoot(dialog, 'rewards-payment-dialog')
  await expectNoSeriousA11yViolations(page, 'the payment dialog with rewards')
  await dialog.getByTestId('payment-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Payment of £5.00 recorded')
  await expect(page.getByTestId('money-paid')).toHaveText('£5.00')
  await expect(page.getByTestId('payment-row')).toHaveCount(1)
  await expect(page.getByTestId('payment-row')).toContainText('Rewards')
  expect((await app.api.invoke('rewards:balance', { customerId: ann.id })).balanceMinor).toBe(0)

  // Taking a payment while booking shows the balance too.
  await page.goto(`/#/bookings/new?customerId=${ann.id}`)
  await page.getByTestId('pay-now').getByRole('checkbox').check()
  await expect(page.getByTestId('pay-rewards-balance')).toHaveText('Rewards balance: £0.00 available')
  await pickOption(page, page.getByTestId('pay-method'), 'Rewards')
  await shoot(page.getByTestId('booking-options'), 'rewards-new-booking-payment')
})

test('the profile shows the rewards balance, its history and the customers this person referred', async ({ page, app }) => {
  const { ann, ben, benBooking } = await referralStory(app)
  // Enough referrals for a second page.
  for (let i = 1; i <= 9; i++) {
    const extra = await app.api.invoke('customers:create', { firstName: 'Zed', lastName: `Later ${String(i).padStart(2, '0')}` })
    await app.api.invoke('customers:setReferral', { id: extra.id, referredById: ann.id })
  }

  await page.goto(`/#/customers/${ann.id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  const section = page.getByTestId('section-referral')
  await expect(section.getByTestId('referral-balance')).toHaveText('£5.00')
  const earned = section.getByTestId('rewards-entry-earned')
  await expect(earned).toContainText(`Referral reward: Ben Jones paid ${benBooking.reference} in full`)
  await expect(earned).toContainText('+£5.00')
  const referred = section.getByTestId('referred-customers')
  await expect(section).toContainText('Customers they referred (11)')
  await expect(referred.getByRole('link')).toHaveCount(10)
  await expect(section.getByTestId(`referred-${ben.id}`)).toContainText('Earned £5.00')
  await section.getByTestId('referred-more').click()
  await expect(referred.getByRole('link')).toHaveCount(11)
  await expect(section.getByTestId('referred-more')).toHaveCount(0)

  // An administrator adds £2.50 with a reason.
  await section.getByTestId('rewards-adjust').click()
  const adjust = page.getByTestId('rewards-adjust-dialog')
  await adjust.getByTestId('rewards-adjust-amount').getByRole('textbox').fill('2.50')
  await adjust.getByTestId('rewards-adjust-reason').getByRole('textbox').fill('Goodwill after a cancelled class')
  await expectNoSeriousA11yViolations(page, 'the Adjust dialog')
  await adjust.getByTestId('rewards-adjust-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Rewards added: £2.50')
  await expect(section.getByTestId('referral-balance')).toHaveText('£7.50')
  await expect(section.getByTestId('rewards-entry-adjusted')).toContainText('Adjusted: Goodwill after a cancelled class')
  await expect(section.getByTestId('rewards-entry-adjusted')).toContainText('£7.50')
  await section.scrollIntoViewIfNeeded()
  await shoot(section, 'rewards-profile-referral')
  await expectNoSeriousA11yViolations(page, 'the profile’s referral section')

  // A referred customer's name opens their profile, which names who referred them.
  await section.getByTestId(`referred-${ben.id}`).getByRole('link', { name: 'Ben Jones' }).click()
  await expect(page).toHaveURL(new RegExp(`/customers/${ben.id}`))
  await expect(page.getByTestId('profile-name')).toHaveText('Ben Jones')
  await expect(page.getByTestId('section-referral').getByTestId('referred-none')).toBeVisible()
  await expect(page.getByTestId('section-referral')).toContainText('Open Ann Smith')
})
