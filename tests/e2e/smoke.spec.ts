import { contentSecurityPolicy } from '../../main/security'
import { test, expect } from './fixtures'

test('the app shell renders with the customer list', { tag: '@smoke' }, async ({ page, app }) => {
  await app.seed(25)
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible()
  await app.screenshot('smoke-app-shell')
})

test('the renderer runs under the packaged app’s Content-Security-Policy', { tag: '@smoke' }, async ({ page, app }) => {
  // vite preview sends no CSP; add the one main sets, so a renderer change that needs eval or inline scripts fails here.
  const policy = contentSecurityPolicy()
  await page.route('**/*', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } })
  })
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text())
  })
  page.on('pageerror', (error) => violations.push(error.message))
  await app.seed(5)
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible()
  await expect(page.getByRole('row')).not.toHaveCount(0)
  expect(violations).toEqual([])
})
