import { expect, test } from './fixtures'
import { seriousA11yProblems } from './a11y'

/** The accessibility check the other screens rely on finds what it is there to find. */
test('the accessibility check names faint text and a button without a name', async ({ page, app }) => {
  void app
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  expect(await seriousA11yProblems(page)).toEqual([])
  await page.locator('main').evaluate((main) => {
    main.insertAdjacentHTML('beforeend', '<p style="color: #eee; background: #fff">Faint text</p><button></button>')
  })
  const problems = await seriousA11yProblems(page)
  expect(problems).toEqual([expect.stringMatching(/^button-name \(critical\).*main > button$/), expect.stringMatching(/^color-contrast \(serious\).*main > p$/)])
})
