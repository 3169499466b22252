import sharp from 'sharp'
import type { CustomerExtras, CustomerPhoto } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { loadExtras, requireCustomer, touchCustomer } from './extras'
import { DECODE_BUDGET, heldBytesPerPixel, oneAtATime } from '../pictureDecoding'

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif'])
/**
 * Phone cameras take 12–50 MP JPEGs (a 50 MP sensor gives 8,192 × 6,144 = 50.3 MP),
 * so 60 MP lets every phone photo and screenshot through and bounds the work of one upload.
 */
const MAX_PIXELS = 60_000_000
/** Resizing holds about a thousand full-width lines whatever the format (a 60,000 × 1,000 JPEG took 90 MB). */
const MAX_SIDE = 12_000
const THUMBNAIL_SIDE = 256
const NOT_A_PICTURE = 'This file is not a picture we can use (JPEG, PNG, WebP or GIF).'

/** First page or frame only; sharp's own pixel limit as a second guard. */
const DECODE_OPTIONS: sharp.SharpOptions = { limitInputPixels: MAX_PIXELS, sequentialRead: true, pages: 1, page: 0 }

/** "Too large", with the picture's size and what would fit. */
function tooLarge(width: number, height: number, whatFits: string): ValidationFailed {
  const size = `${width.toLocaleString('en-GB')} × ${height.toLocaleString('en-GB')}`
  return ValidationFailed.field(
    'image',
    `This picture is ${size} pixels, too large to use as a photo. Use a picture ${whatFits} (a phone photo or a screenshot is fine).`,
  )
}

const underMegapixels = (pixels: number) => `under ${Math.floor(pixels / 1_000_000)} megapixels`

interface Thumbnail {
  bytes: Buffer
  width: number
  height: number
}

/**
 * Turns a picked file into the stored thumbnail: checks it is really a picture
 * of sane size, turns it upright (EXIF), crops it square to 256 px and
 * re-encodes it as JPEG, which leaves every bit of metadata (GPS, camera) behind.
 */
export async function makeThumbnail(image: Uint8Array): Promise<Thumbnail> {
  let metadata: sharp.Metadata
  try {
    // Header only; no pixel limit here, so a huge picture is told it is too large.
    metadata = await sharp(image, { limitInputPixels: false }).metadata()
  } catch {
    throw ValidationFailed.field('image', NOT_A_PICTURE)
  }
  const { format, width, height } = metadata
  if (!format || !ACCEPTED_FORMATS.has(format) || !width || !height) throw ValidationFailed.field('image', NOT_A_PICTURE)
  if (width * height > MAX_PIXELS) throw tooLarge(width, height, underMegapixels(MAX_PIXELS))
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw tooLarge(width, height, `at most ${MAX_SIDE.toLocaleString('en-GB')} pixels wide and high`)
  }
  const held = heldBytesPerPixel(image, metadata)
  if (held && width * height * held > DECODE_BUDGET) throw tooLarge(width, height, underMegapixels(DECODE_BUDGET / held))
  return oneAtATime(async () => {
    try {
      const { data, info } = await sharp(image, DECODE_OPTIONS)
        .rotate()
        .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'cover', position: 'centre' })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82 })
        .toBuffer({ resolveWithObject: true })
      return { bytes: data, width: info.width, height: info.height }
    } catch {
      // A header that parses over a body that does not (truncated or corrupt file).
      throw ValidationFailed.field('image', NOT_A_PICTURE)
    }
  })
}

export async function setPhoto(ctx: ServiceContext, id: number, image: Uint8Array): Promise<CustomerExtras> {
  await requireCustomer(ctx.db, id)
  const thumbnail = await makeThumbnail(image)
  return ctx.db.transaction(async (trx) => {
    await requireCustomer(trx, id)
    const existing = await trx('customer_photos').where({ customer_id: id }).first('customer_id')
    const now = ctx.clock().toISOString()
    await trx('customer_photos')
      .insert({ customer_id: id, mime: 'image/jpeg', width: thumbnail.width, height: thumbnail.height, bytes: thumbnail.bytes, updated_at: now })
      .onConflict('customer_id')
      .merge()
    await touchCustomer(trx, ctx, id)
    await recordChange(trx, ctx, {
      customerId: id,
      entityType: 'customer',
      entityId: id,
      action: 'customer.photo',
      summary: existing ? 'Photo replaced' : 'Photo added',
      changes: [{ field: 'Photo', before: existing ? 'Photo' : null, after: existing ? 'New photo' : 'Photo' }],
    })
    return loadExtras(trx, ctx, id)
  })
}

export async function removePhoto(ctx: ServiceContext, id: number): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    await requireCustomer(trx, id)
    const removed = await trx('customer_photos').where({ customer_id: id }).delete()
    if (removed) {
      await touchCustomer(trx, ctx, id)
      await recordChange(trx, ctx, {
        customerId: id,
        entityType: 'customer',
        entityId: id,
        action: 'customer.photo',
        summary: 'Photo removed',
        changes: [{ field: 'Photo', before: 'Photo', after: null }],
      })
    }
    return loadExtras(trx, ctx, id)
  })
}

/** The stored thumbnail as a plain Uint8Array (a Buffer does not survive every IPC bridge). */
export async function getPhoto(ctx: ServiceContext, id: number): Promise<CustomerPhoto | null> {
  await requireCustomer(ctx.db, id)
  const row = (await ctx.db('customer_photos').where({ customer_id: id }).first('bytes', 'width', 'height')) as
    | { bytes: Buffer; width: number; height: number }
    | undefined
  if (!row) return null
  // Copies into a fresh ArrayBuffer of its own, so nothing of a pooled Buffer travels along.
  return { bytes: new Uint8Array(row.bytes), mime: 'image/jpeg', width: row.width, height: row.height }
}
