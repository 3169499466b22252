import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FuseV1Options, FuseVersion } from '@electron/fuses'
import { Arch } from 'builder-util'

const root = join(__dirname, '../..')
const require = createRequire(__filename)
const hookPath = join(root, 'build/after-pack.cjs')

interface Hook {
  (context: unknown): Promise<void>
  default: (context: unknown) => Promise<void>
  applyFuses: (context: unknown, fuses?: unknown) => Promise<string>
}

/** The hook as electron-builder loads it, with @electron/fuses replaced by a fake whose flipFuses records its calls. */
function loadHookWithFakeFuses() {
  const fusesPath = require.resolve('@electron/fuses', { paths: [join(root, 'build')] })
  const flipFuses = vi.fn(async (_file: string, _config: Record<string, unknown>) => 0)
  require.cache[fusesPath] = { id: fusesPath, filename: fusesPath, loaded: true, exports: { flipFuses, FuseV1Options, FuseVersion } } as unknown as NodeJS.Module
  delete require.cache[hookPath]
  const hook = require(hookPath) as Hook
  return { hook, flipFuses, restore: () => (delete require.cache[fusesPath], delete require.cache[hookPath]) }
}

let restore = () => {}
afterEach(() => restore())

function context(electronPlatformName: string, arch: Arch = Arch.x64) {
  return {
    electronPlatformName,
    arch,
    appOutDir: `/build/dist/${electronPlatformName}-unpacked`,
    outDir: '/build/dist',
    targets: [],
    packager: { appInfo: { productFilename: 'Frontdesk' }, executableName: 'frontdesk' },
  }
}

/** Exactly these fuses, by wire position, and nothing else. */
const EXPECTED_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

describe('the afterPack fuses hook', () => {
  it.each([
    ['linux', Arch.x64, '/build/dist/linux-unpacked/frontdesk', false],
    ['win32', Arch.x64, '/build/dist/win32-unpacked/Frontdesk.exe', false],
    ['darwin', Arch.x64, '/build/dist/darwin-unpacked/Frontdesk.app', false],
    ['darwin', Arch.arm64, '/build/dist/darwin-unpacked/Frontdesk.app', true],
    ['darwin', Arch.universal, '/build/dist/darwin-unpacked/Frontdesk.app', true],
    ['mas', Arch.arm64, '/build/dist/mas-unpacked/Frontdesk.app', true],
  ] as const)('flips exactly the hardening fuses in the %s (%s) executable', async (platform, arch, executable, resetSignature) => {
    const fake = loadHookWithFakeFuses()
    restore = fake.restore
    await fake.hook.default(context(platform, arch))
    expect(fake.flipFuses).toHaveBeenCalledOnce()
    const [file, config] = fake.flipFuses.mock.calls[0] ?? []
    expect(file).toBe(executable)
    expect(config).toEqual({ version: FuseVersion.V1, resetAdHocDarwinSignature: resetSignature, ...EXPECTED_FUSES })
    // The fuses left alone keep Electron's defaults.
    expect(config).not.toHaveProperty(String(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot))
  })

  it('is the same function whether electron-builder takes module.exports or its default', () => {
    const fake = loadHookWithFakeFuses()
    restore = fake.restore
    expect(fake.hook.default).toBe(fake.hook)
  })

  it('stops the build for a platform it does not know, rather than shipping unfused', async () => {
    const fake = loadHookWithFakeFuses()
    restore = fake.restore
    await expect(fake.hook(context('freebsd'))).rejects.toThrow(/freebsd/)
    expect(fake.flipFuses).not.toHaveBeenCalled()
  })

  it('fails when a fuse it needs is unknown to @electron/fuses', async () => {
    const hook = require(hookPath) as Hook
    const flipFuses = vi.fn()
    const missing = { ...FuseV1Options } as Record<string, unknown>
    delete missing['OnlyLoadAppFromAsar']
    await expect(hook.applyFuses(context('linux'), { flipFuses, FuseV1Options: missing, FuseVersion })).rejects.toThrow(/OnlyLoadAppFromAsar/)
    expect(flipFuses).not.toHaveBeenCalled()
  })

  it('is the afterPack hook electron-builder runs', () => {
    const config = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
    expect(config).toMatch(/^afterPack: build\/after-pack\.cjs$/m)
    // electron-builder's own fuse setting would run a second, different set.
    expect(config).not.toMatch(/^electronFuses:/m)
  })
})
