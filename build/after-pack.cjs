// electron-builder's afterPack hook (electron-builder.yml): flips Electron's
// fuses in the packaged executable before it is signed, so a copy of Frontdesk
// cannot be turned into a general-purpose Node runtime or made to run code
// that is not the app's own.
const path = require('node:path')

/** electron-builder's Arch enum values (builder-util): the ones a Mac build signs ad hoc. */
const ARCH_ARM64 = 3
const ARCH_UNIVERSAL = 4

/** Fuse settings by name; the enum from @electron/fuses turns them into wire positions. */
const FUSES = {
  // ELECTRON_RUN_AS_NODE would make the signed app a plain Node that runs any script.
  RunAsNode: false,
  // Cookies and other session data encrypted at rest with the system's key.
  EnableCookieEncryption: true,
  // NODE_OPTIONS and --inspect would let anyone inject code or attach a debugger.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash embedded at packaging, and nothing outside it loads.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // The page comes from app://, so file:// needs none of its old extra powers.
  GrantFileProtocolExtraPrivileges: false,
}

/** The executable electron-builder wrote (the .app bundle on macOS), as its own fuses support finds it. */
function executablePath(context) {
  const platform = context.electronPlatformName
  const packager = context.packager
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, `${packager.appInfo.productFilename}.app`)
  if (platform === 'win32') return path.join(context.appOutDir, `${packager.appInfo.productFilename}.exe`)
  if (platform === 'linux') return path.join(context.appOutDir, packager.executableName)
  throw new Error(`Frontdesk does not know where the executable is for platform ${platform}.`)
}

function fuseConfig(context, fuses) {
  const config = {
    version: fuses.FuseVersion.V1,
    // Flipping fuses breaks the ad-hoc signature an Apple-silicon build already carries.
    resetAdHocDarwinSignature:
      (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') &&
      (context.arch === ARCH_ARM64 || context.arch === ARCH_UNIVERSAL),
  }
  for (const [name, value] of Object.entries(FUSES)) {
    const position = fuses.FuseV1Options[name]
    if (position === undefined) throw new Error(`@electron/fuses does not know the fuse ${name}.`)
    config[position] = value
  }
  return config
}

/** Applies the fuses with the given @electron/fuses module (tests pass a fake one). */
async function applyFuses(context, fuses = require('@electron/fuses')) {
  const file = executablePath(context)
  await fuses.flipFuses(file, fuseConfig(context, fuses))
  return file
}

async function afterPack(context) {
  await applyFuses(context)
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.applyFuses = applyFuses
module.exports.executablePath = executablePath
module.exports.fuseConfig = fuseConfig
module.exports.FUSES = FUSES
