import type { Page } from '@playwright/test'
import { contentSecurityPolicy } from '../../main/security'
import { expect, test, type FrontdeskApp } from './fixtures'

/**
 * A printout's dialog, whatever made it: its pages drawn, Open hands the
 * PDF to the system's viewer, Print sends exactly its pages to the print
 * dialog (and the app comes back afterwards), and characters the font has no
 * shape for are named, not lost.
 */

test.describe.configure({ timeout: 120_000 })

async function statementFor(page: Page, app: FrontdeskApp, firstName: string, lastName: string) {
  const { id } = await app.api.invoke('customers:create', {
    firstName,
    lastName,
    addresses: [{ line1: '1 Harbour Road', city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB', isDefaultLetters: true }],
  })
  await page.goto(`/#/customers/${id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await page.getByTestId('sidebar-money').getByTestId('statement-button').click()
  const dialog = page.getByTestId('statement-dialog')
  await dialog.getByTestId('statement-period-this-month').click()
  await dialog.getByTestId('statement-make').click()
  const shown = page.getByTestId('printout-dialog')
  await expect(shown.getByTestId('pdf-page').first()).toBeVisible()
  // The canvases appear as soon as the page count is known; pdf.js draws them after.
  await expect(shown.getByTestId('pdf-preview')).toHaveAttribute('aria-busy', 'false')
  return shown
}

test('Open gives the PDF to the system viewer; Print sends its pages to the print dialog and the app comes back', async ({ page, app }) => {
  // The print dialog is the system's: the test notes what it would have printed.
  await page.addInitScript(() => {
    type Node = { querySelectorAll(selector: string): { length: number } }
    const page = globalThis as unknown as {
      __printed: Array<{ pages: number; appHidden: boolean }>
      print: () => void
      document: { querySelector(selector: string): Node | null; body: { classList: { contains(name: string): boolean } } }
    }
    page.__printed = []
    page.print = () => {
      const sheet = page.document.querySelector('.printout-sheet')
      page.__printed.push({ pages: sheet?.querySelectorAll('img').length ?? 0, appHidden: page.document.body.classList.contains('printing-printout') })
    }
  })
  const shown = await statementFor(page, app, 'Ana', 'Lima')

  await shown.getByTestId('printout-open').click()
  await expect.poll(() => app.opened.length).toBe(1)
  expect(app.opened[0]).toMatch(/\.pdf$/)

  await shown.getByTestId('printout-print').click()
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __printed: unknown[] }).__printed)).toEqual([{ pages: 1, appHidden: true }])
  // After printing the sheet is gone and the app is shown again.
  await expect(page.locator('.printout-sheet')).toHaveCount(0)
  await expect(page.locator('body')).not.toHaveClass(/printing-printout/)
  await expect(shown).toBeVisible()
})

test('characters the letter font has no shape for are named above the pages', async ({ page, app }) => {
  const shown = await statementFor(page, app, '李', 'Wei')
  const warning = shown.getByTestId('printout-unprintable')
  await expect(warning).toBeVisible()
  await expect(warning).toContainText('□')
  await expect(warning).toContainText('李')
  await app.screenshot('printout-unprintable-light')
})

test('the pages are drawn under the packaged app’s Content-Security-Policy (pdf.js and its worker, no eval)', async ({ page, app }) => {
  const policy = contentSecurityPolicy()
  await page.route('**/*', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } })
  })
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text())
  })
  page.on('pageerror', (error) => violations.push(error.message))
  const shown = await statementFor(page, app, 'Αλέξανδρος', 'Παπαδόπουλος')
  await expect(shown.getByText('The preview could not be drawn')).toHaveCount(0)
  // Something was drawn: the page is not blank white.
  const inked = await shown.getByTestId('pdf-page').first().evaluate((canvas) => {
    const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    let dark = 0
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++
    return dark
  })
  expect(inked).toBeGreaterThan(500)
  expect(violations).toEqual([])
})
