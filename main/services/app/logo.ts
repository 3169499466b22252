import type { Knex } from 'knex'
import sharp from 'sharp'
import type { BusinessLogo } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { DECODE_BUDGET, heldBytesPerPixel, oneAtATime } from '../pictureDecoding'

/** The settings row holding the logo, apart from the settings read on every screen. */
const LOGO_KEY = 'businessLogo'
/** Wide enough for a crisp 50 mm logo at 300 dpi; a letterhead never shows it larger. */
const MAX_WIDTH = 600
const MAX_HEIGHT = 600
const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'webp'])
const MAX_PIXELS = 40_000_000
const NOT_A_LOGO = 'This file is not a picture we can use as a logo (PNG, JPEG or WebP).'

interface StoredLogo {
  mime: BusinessLogo['mime']
  width: number
  height: number
  /** base64 of the image bytes. */
  data: string
  /**
   * The same picture on white as JPEG, for printouts: paper is white, and a
   * PDF takes a JPEG as it is, where a PNG with transparency is decoded and
   * packed again in every document (hundreds of milliseconds a statement).
   */
  print?: string
}

/**
 * Makes the stored logo from a picked file: upright, at most 600 × 600 pixels,
 * without its metadata. Pictures with transparency (and PNGs, usually drawn
 * logos) stay PNG; photographs become JPEG.
 */
export async function makeLogo(image: Uint8Array): Promise<BusinessLogo & { print: Uint8Array }> {
  let metadata: sharp.Metadata
  try {
    metadata = await sharp(image, { limitInputPixels: false }).metadata()
  } catch {
    throw ValidationFailed.field('image', NOT_A_LOGO)
  }
  const { format, width, height } = metadata
  if (!format || !ACCEPTED_FORMATS.has(format) || !width || !height) throw ValidationFailed.field('image', NOT_A_LOGO)
  // What a decoder holds in full (a PNG, a progressive JPEG, a lossless WebP) stays within the budget photos keep to.
  if (width * height > MAX_PIXELS || width * height * heldBytesPerPixel(image, metadata) > DECODE_BUDGET) {
    throw ValidationFailed.field(
      'image',
      `This picture is ${width.toLocaleString('en-GB')} × ${height.toLocaleString('en-GB')} pixels, too large for a logo. Use a picture of at most a few thousand pixels wide.`,
    )
  }
  const keepsPng = format === 'png' || metadata.hasAlpha === true
  return oneAtATime(() => logoFrom(image, keepsPng))
}

async function logoFrom(image: Uint8Array, keepsPng: boolean): Promise<BusinessLogo & { print: Uint8Array }> {
  try {
    const pipeline = sharp(image, { limitInputPixels: MAX_PIXELS, pages: 1 })
      .rotate()
      .resize(MAX_WIDTH, MAX_HEIGHT, { fit: 'inside', withoutEnlargement: true })
    const { data, info } = await (keepsPng ? pipeline.png({ compressionLevel: 9 }) : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 90 })).toBuffer({
      resolveWithObject: true,
    })
    const print = keepsPng
      ? await sharp(data).flatten({ background: '#ffffff' }).jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer()
      : data
    return { bytes: new Uint8Array(data), mime: keepsPng ? 'image/png' : 'image/jpeg', width: info.width, height: info.height, print: new Uint8Array(print) }
  } catch {
    throw ValidationFailed.field('image', NOT_A_LOGO)
  }
}

/**
 * The letterhead's logo, or null when none was chosen (or what is stored
 * cannot be read); `forPrint` gives the JPEG on white made for printouts.
 */
export async function readLogo(db: Knex, options: { forPrint?: boolean } = {}): Promise<BusinessLogo | null> {
  const row = (await db('settings').where({ key: LOGO_KEY }).first('value')) as { value: string } | undefined
  if (!row) return null
  try {
    const stored = JSON.parse(row.value) as StoredLogo
    if ((stored.mime !== 'image/png' && stored.mime !== 'image/jpeg') || !stored.width || !stored.height) return null
    const size = { width: stored.width, height: stored.height }
    if (options.forPrint && stored.print) return { bytes: new Uint8Array(Buffer.from(stored.print, 'base64')), mime: 'image/jpeg', ...size }
    return { bytes: new Uint8Array(Buffer.from(stored.data, 'base64')), mime: stored.mime, ...size }
  } catch {
    return null
  }
}

export async function getLogo(ctx: Pick<ServiceContext, 'db'>): Promise<BusinessLogo | null> {
  return readLogo(ctx.db)
}

export async function setLogo(ctx: ServiceContext, image: Uint8Array): Promise<BusinessLogo> {
  const logo = await makeLogo(image)
  const stored: StoredLogo = {
    mime: logo.mime,
    width: logo.width,
    height: logo.height,
    data: Buffer.from(logo.bytes).toString('base64'),
    print: Buffer.from(logo.print).toString('base64'),
  }
  await ctx.db.transaction(async (trx) => {
    const existing = await trx('settings').where({ key: LOGO_KEY }).first('key')
    await trx('settings')
      .insert({ key: LOGO_KEY, value: JSON.stringify(stored) })
      .onConflict('key')
      .merge()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'settings',
      entityId: 0,
      action: 'settings.updated',
      summary: existing ? 'Letterhead logo replaced' : 'Letterhead logo added',
      changes: [{ field: 'Logo', before: existing ? 'Logo' : null, after: `${existing ? 'New logo' : 'Logo'} (${logo.width} × ${logo.height})` }],
    })
  })
  return { bytes: logo.bytes, mime: logo.mime, width: logo.width, height: logo.height }
}

export async function removeLogo(ctx: ServiceContext): Promise<null> {
  await ctx.db.transaction(async (trx) => {
    const removed = await trx('settings').where({ key: LOGO_KEY }).delete()
    if (!removed) return
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'settings',
      entityId: 0,
      action: 'settings.updated',
      summary: 'Letterhead logo removed',
      changes: [{ field: 'Logo', before: 'Logo', after: null }],
    })
  })
  return null
}
