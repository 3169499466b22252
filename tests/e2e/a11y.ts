import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/**
 * Serious or critical accessibility problems on the screen (or inside the element `within` names), each
 * described with the rule and where it fails. axe runs inside the page itself (legacy mode): its default
 * opens a second, blank page to gather the results, which took two thirds of a check's 8–15 s here. The
 * app has no frames from other origins, the one thing only the default mode reaches. Every rule still
 * checks every element; only violations are written up in full (axe builds a selector for each node it
 * reports, and the passing ones made up half of a check's time).
 */
export async function seriousA11yProblems(page: Page, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] })
  if (within) builder.include(within)
  const results = await builder.analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** Fails the test with every serious or critical accessibility problem on the screen, named after `what`. */
export async function expectNoSeriousA11yViolations(page: Page, what: string, within?: string): Promise<void> {
  expect(await seriousA11yProblems(page, within), `accessibility problems on ${what}`).toEqual([])
}
