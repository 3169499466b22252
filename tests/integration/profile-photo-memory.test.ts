import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildSync } from 'esbuild'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blackPng, hugeGif } from '../helpers/big-pictures'
import type { UploadReport, UploadRound } from '../helpers/photo-upload-child'

const root = join(__dirname, '..', '..')
const PEAK_LIMIT_MB = 300
const tooLarge = (size: string, megapixels: number) =>
  `This picture is ${size} pixels, too large to use as a photo. Use a picture under ${megapixels} megapixels (a phone photo or a screenshot is fine).`

let dir: string
let report: UploadReport

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-photo-memory-'))
  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }
  // A few hundred KB to a few MB each, claiming what a decoder would need hundreds of MB to hold.
  const png12k = file('12k-16bit-interlaced.png', blackPng({ width: 12_000, height: 12_000, bitDepth: 16, colorType: 6, interlaced: true }))
  const png7k = file('7k-16bit-interlaced.png', blackPng({ width: 7_000, height: 7_000, bitDepth: 16, colorType: 6, interlaced: true }))
  const gif20k = file('20k.gif', hugeGif({ width: 20_000, height: 20_000 }))
  const gif7k = file('7k-30-frames.gif', hugeGif({ width: 7_000, height: 7_000, frames: 30 }))
  const solid = sharp({ create: { width: 8_000, height: 6_000, channels: 3, background: { r: 90, g: 140, b: 200 } } })
  const jpeg = file('8000x6000.jpg', await solid.jpeg({ mozjpeg: false, optimiseCoding: false }).toBuffer())
  // A lossless WebP is decoded whole into RGBA: tens of KB on disk, 237 MB to decode.
  const webp = file('7700-lossless.webp', await sharp({ create: { width: 7_700, height: 7_700, channels: 3, background: { r: 90, g: 140, b: 200 } } }).webp({ lossless: true }).toBuffer())
  const webpAllowed = file('3800-lossless.webp', await sharp({ create: { width: 3_800, height: 3_800, channels: 3, background: { r: 90, g: 140, b: 200 } } }).webp({ lossless: true }).toBuffer())
  // Allowed, yet each holds about 56 MiB while decoding (just under the budget): four at once must take turns.
  const pngNearBudget = file('5280-interlaced.png', blackPng({ width: 4_420, height: 4_420, bitDepth: 8, colorType: 2, interlaced: true }))
  const gifNearBudget = file('4570.gif', hugeGif({ width: 3_830, height: 3_830 }))
  const rounds: UploadRound[] = [
    { label: 'interlaced 16-bit PNG, 12,000 × 12,000', files: [png12k] },
    { label: 'interlaced 16-bit PNG, 7,000 × 7,000', files: [png7k] },
    { label: 'GIF, 20,000 × 20,000', files: [gif20k] },
    { label: 'GIF, 7,000 × 7,000, 30 frames', files: [gif7k] },
    { label: 'JPEG, 8,000 × 6,000', files: [jpeg] },
    { label: 'lossless WebP, 7,700 × 7,700', files: [webp] },
    { label: 'lossless WebP, 3,800 × 3,800', files: [webpAllowed] },
    { label: 'four at once: PNG, GIF and two JPEGs', files: [png12k, gif7k, jpeg, jpeg] },
    { label: 'four at once: allowed PNGs and GIFs near the budget', files: [pngNearBudget, gifNearBudget, pngNearBudget, gifNearBudget] },
  ]
  const roundsFile = file('rounds.json', Buffer.from(JSON.stringify(rounds)))
  // Bundled as the app's main process is: compiling TypeScript on the fly (tsx) would add ~85 MB of its own.
  const child = join(dir, 'upload-child.js')
  buildSync({
    entryPoints: [join(root, 'tests', 'helpers', 'photo-upload-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'knex', 'sharp', 'esbuild'],
    logLevel: 'error',
  })
  const { stdout } = await promisify(execFile)(process.execPath, [child, roundsFile], {
    cwd: root,
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    timeout: 120_000,
    maxBuffer: 1 << 20,
  })
  report = JSON.parse(stdout.trim().split('\n').at(-1)!) as UploadReport
}, 150_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const outcomes = (label: string) => report.rounds.find((round) => round.label === label)!.outcomes
const refused = (message: string) => ({ ok: false, field: 'image', message })

describe('photo uploads in a process of their own', () => {
  it('refuses a picture over 60 megapixels from its header, saying so with its size', () => {
    expect(outcomes('interlaced 16-bit PNG, 12,000 × 12,000')).toEqual([refused(tooLarge('12,000 × 12,000', 60))])
    expect(outcomes('GIF, 20,000 × 20,000')).toEqual([refused(tooLarge('20,000 × 20,000', 60))])
  })

  it('refuses a PNG or GIF whose whole decode would not fit the memory budget', () => {
    // 16 bits × RGBA = 8 bytes a pixel; a GIF frame is decoded as 4.
    expect(outcomes('interlaced 16-bit PNG, 7,000 × 7,000')).toEqual([refused(tooLarge('7,000 × 7,000', 7))])
    expect(outcomes('GIF, 7,000 × 7,000, 30 frames')).toEqual([refused(tooLarge('7,000 × 7,000', 14))])
    // A lossless WebP is held whole as RGBA, 4 bytes a pixel; a smaller one is taken.
    expect(outcomes('lossless WebP, 7,700 × 7,700')).toEqual([refused(tooLarge('7,700 × 7,700', 14))])
    expect(outcomes('lossless WebP, 3,800 × 3,800')).toEqual([{ ok: true }])
  })

  it('accepts a 48-megapixel phone-sized JPEG, alone and with others at once', () => {
    expect(outcomes('JPEG, 8,000 × 6,000')).toEqual([{ ok: true }])
    expect(outcomes('four at once: PNG, GIF and two JPEGs')).toEqual([
      refused(tooLarge('12,000 × 12,000', 60)),
      refused(tooLarge('7,000 × 7,000', 14)),
      { ok: true },
      { ok: true },
    ])
    expect(outcomes('four at once: allowed PNGs and GIFs near the budget')).toEqual(Array(4).fill({ ok: true }))
  })

  it(`keeps the process under ${PEAK_LIMIT_MB} MB at its peak, whatever is uploaded`, () => {
    const peaks = Object.fromEntries(report.rounds.map((round) => [round.label, round.peakMB]))
    for (const round of report.rounds) expect(round.peakMB, JSON.stringify({ baselineMB: report.baselineMB, peaks })).toBeLessThan(PEAK_LIMIT_MB)
  })
})
