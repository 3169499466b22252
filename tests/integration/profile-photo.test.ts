import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { blackPng, hugeGif } from '../helpers/big-pictures'
import { openTestCore, type TestCore } from '../helpers/core'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith' })
})
afterEach(async () => {
  await app.cleanup()
})

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

const picture = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
const asBytes = (buffer: Buffer) => new Uint8Array(buffer)

describe('customer photos', () => {
  it('turns a PNG into a 256 px JPEG thumbnail returned as a plain Uint8Array', async () => {
    const extras = await app.invoke('customers:setPhoto', { id: 1, image: asBytes(await picture(400, 300).png().toBuffer()) })
    expect(extras.hasPhoto).toBe(true)
    const photo = await app.invoke('customers:photo', { id: 1 })
    expect(photo).toMatchObject({ mime: 'image/jpeg', width: 256, height: 256 })
    expect(photo!.bytes).toBeInstanceOf(Uint8Array)
    expect(Buffer.isBuffer(photo!.bytes)).toBe(false)
    expect(photo!.bytes.buffer.byteLength).toBe(photo!.bytes.byteLength)
    const metadata = await sharp(photo!.bytes).metadata()
    expect(metadata).toMatchObject({ format: 'jpeg', width: 256, height: 256 })
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ action: 'customer.photo', summary: 'Photo added' })
  })

  it('downsizes a large image, turns it upright and strips its metadata', async () => {
    // 2000×1000 stored sideways: EXIF orientation 6 means "rotate 90° clockwise to view".
    const jpeg = await picture(2000, 1000)
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Secret camera owner', Artist: 'GPS-ish' } } })
      .toBuffer()
    expect((await sharp(jpeg).metadata()).exif).toBeDefined()
    await app.invoke('customers:setPhoto', { id: 1, image: asBytes(jpeg) })
    const photo = await app.invoke('customers:photo', { id: 1 })
    const metadata = await sharp(photo!.bytes).metadata()
    expect(metadata).toMatchObject({ width: 256, height: 256 })
    expect(metadata.exif).toBeUndefined()
    expect(metadata.icc).toBeUndefined()
    expect(metadata.orientation).toBeUndefined()
    expect(Buffer.from(photo!.bytes).includes('Secret camera owner')).toBe(false)
    expect(photo!.bytes.byteLength).toBeLessThan(jpeg.byteLength)
  })

  it('auto-rotates by EXIF so a portrait photo is cropped from the upright picture', async () => {
    // Left half black, right half white; orientation 6 turns it so the top is black and the bottom white.
    const sideways = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: '#000000' } }, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    await app.invoke('customers:setPhoto', { id: 1, image: asBytes(sideways) })
    const photo = await app.invoke('customers:photo', { id: 1 })
    const { data, info } = await sharp(photo!.bytes).raw().toBuffer({ resolveWithObject: true })
    const pixel = (x: number, y: number) => data[(y * info.width + x) * info.channels]!
    // Upright the picture is 100×200 with black above white: a square crop shows both, black at the top.
    expect(pixel(128, 10)).toBeLessThan(60)
    expect(pixel(128, 245)).toBeGreaterThan(200)
  })

  it('replaces and removes the photo, logging each', async () => {
    await app.invoke('customers:setPhoto', { id: 1, image: asBytes(await picture(50, 50).webp().toBuffer()) })
    await app.invoke('customers:setPhoto', { id: 1, image: asBytes(await picture(60, 40).gif().toBuffer()) })
    expect(await countRows('customer_photos')).toBe(1)
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ summary: 'Photo replaced' })
    expect((await app.invoke('customers:removePhoto', { id: 1 })).hasPhoto).toBe(false)
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ summary: 'Photo removed' })
    expect(await app.invoke('customers:photo', { id: 1 })).toBeNull()
  })

  it('refuses a text file disguised as a JPEG, a truncated picture and other formats, storing nothing', async () => {
    const changesBefore = await countRows('change_log')
    const jpeg = await picture(300, 300).jpeg().toBuffer()
    const tiff = await picture(30, 30).tiff().toBuffer()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    for (const image of [Buffer.from('Hello, I am holiday.jpg but really text.\n'), jpeg.subarray(0, 200), tiff, svg]) {
      const result = await app.call('customers:setPhoto', { id: 1, image: asBytes(image) })
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'image', message: 'This file is not a picture we can use (JPEG, PNG, WebP or GIF).' },
      })
    }
    expect(await countRows('customer_photos')).toBe(0)
    expect(await countRows('change_log')).toBe(changesBefore)
  })

  it('refuses absurd dimensions and files over 10 MB', async () => {
    const huge = await sharp({ create: { width: 12_001, height: 10, channels: 3, background: '#000' } }).png().toBuffer()
    expect(await app.call('customers:setPhoto', { id: 1, image: asBytes(huge) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'image', message: expect.stringMatching(/too large/) },
    })
    expect(await app.call('customers:setPhoto', { id: 1, image: new Uint8Array(10 * 1024 * 1024 + 1) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'image' },
    })
    expect(await countRows('customer_photos')).toBe(0)
  })

  it('tells each refusal apart, with what to do: too many pixels, too wide, too heavy to decode, too many bytes, empty', async () => {
    const refusal = async (image: Uint8Array<ArrayBuffer>) => {
      const result = await app.call('customers:setPhoto', { id: 1, image })
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'image' } })
      return result.ok ? '' : result.error.message
    }
    const fine = '(a phone photo or a screenshot is fine).'
    // Over sharp's own default pixel limit too: read from the header, never decoded.
    expect(await refusal(asBytes(hugeGif({ width: 20_000, height: 20_000 })))).toBe(
      `This picture is 20,000 × 20,000 pixels, too large to use as a photo. Use a picture under 60 megapixels ${fine}`,
    )
    expect(await refusal(asBytes(await picture(12_001, 10).png().toBuffer()))).toBe(
      `This picture is 12,001 × 10 pixels, too large to use as a photo. Use a picture at most 12,000 pixels wide and high ${fine}`,
    )
    const interlaced = blackPng({ width: 6_000, height: 6_000, bitDepth: 8, colorType: 6, interlaced: true })
    expect(await refusal(asBytes(interlaced))).toBe(
      `This picture is 6,000 × 6,000 pixels, too large to use as a photo. Use a picture under 14 megapixels ${fine}`,
    )
    expect(await refusal(new Uint8Array(10 * 1024 * 1024 + 1))).toBe(
      `This file is 10.1 MB, too big for a photo. Choose a picture of at most 10 MB ${fine}`,
    )
    expect(await refusal(new Uint8Array(0))).toBe('This file is empty, so it is not a picture. Choose the picture again.')
    expect(await countRows('customer_photos')).toBe(0)
  })

  it('takes only the first frame of an animated GIF', async () => {
    const frames = [40, 200, 120].map((g) => Buffer.alloc(64 * 64 * 3, g))
    const gif = await sharp(Buffer.concat(frames), { raw: { width: 64, height: 192, channels: 3, pageHeight: 64 } })
      .gif({ loop: 0 })
      .toBuffer()
    expect((await sharp(gif).metadata()).pages).toBe(3)
    await app.invoke('customers:setPhoto', { id: 1, image: asBytes(gif) })
    const photo = await app.invoke('customers:photo', { id: 1 })
    const { data } = await sharp(photo!.bytes).raw().toBuffer({ resolveWithObject: true })
    expect(Math.abs(data[(128 * 256 + 128) * 3]! - 40)).toBeLessThan(12)
  })

  it('makes the thumbnails of uploads sent at once one after another, each one right', async () => {
    const colours = [10, 120, 240]
    const uploads = await Promise.all(
      colours.map(async (grey) => {
        await app.invoke('customers:create', { firstName: `Grey ${grey}`, lastName: 'Test' })
        return sharp({ create: { width: 900, height: 600, channels: 3, background: { r: grey, g: grey, b: grey } } }).png().toBuffer()
      }),
    )
    const results = await Promise.all(uploads.map((png, i) => app.call('customers:setPhoto', { id: i + 2, image: asBytes(png) })))
    expect(results.every((r) => r.ok)).toBe(true)
    for (const [i, grey] of colours.entries()) {
      const photo = await app.invoke('customers:photo', { id: i + 2 })
      const { data } = await sharp(photo!.bytes).raw().toBuffer({ resolveWithObject: true })
      expect(Math.abs(data[0]! - grey)).toBeLessThan(6)
    }
  })
})
