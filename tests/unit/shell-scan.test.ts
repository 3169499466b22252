import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs build script, without types
import { failingFindings, REVIEW_ONLY, SCANNED } from '../../build/electronegativity.mjs'

const finding = (id: string, severity: string, file: string) => ({ id, severity: { name: severity }, file, location: { line: 1 } })

describe('the Electronegativity gate (build/electronegativity.mjs)', () => {
  it('fails on HIGH and MEDIUM findings, not on LOW or informational ones', () => {
    const issues = [
      finding('NODE_INTEGRATION_JS_CHECK', 'HIGH', 'main/window.ts'),
      finding('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'MEDIUM', 'main/security.ts'),
      finding('CSP_GLOBAL_CHECK', 'LOW', 'renderer/index.html'),
      finding('AUXCLICK_JS_CHECK', 'INFORMATIONAL', 'main/window.ts'),
    ]
    expect(failingFindings(issues).map((issue: { id: string }) => issue.id)).toEqual(['NODE_INTEGRATION_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK'])
  })

  it('lets the review-only preload and openExternal checks through only in their one file', () => {
    expect(REVIEW_ONLY).toEqual({ PRELOAD_JS_CHECK: 'main/window.ts', OPEN_EXTERNAL_JS_CHECK: 'main/externalLinks.ts' })
    expect(failingFindings([finding('PRELOAD_JS_CHECK', 'MEDIUM', 'main/window.ts'), finding('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main/externalLinks.ts')])).toEqual([])
    expect(failingFindings([finding('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main/index.ts')])).toHaveLength(1)
    expect(failingFindings([finding('PRELOAD_JS_CHECK', 'HIGH', 'main/other.ts')])).toHaveLength(1)
  })

  it('scans main, preload and renderer together, as part of npm test', () => {
    expect(SCANNED).toEqual(['main', 'preload', 'renderer'])
    const scripts = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts['security']).toBe('node build/electronegativity.mjs')
    expect(scripts['test']).toContain('npm run security')
  })
})
