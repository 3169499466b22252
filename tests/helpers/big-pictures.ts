import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * Pictures that claim a huge size in a few bytes, built without ever holding
 * their pixels: what a decoder would need is what the upload tests measure.
 */

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0)
  return Buffer.concat([head, data, crc])
}

/** A zlib stream that inflates to `size` zero bytes, made from one compressed block repeated. */
function zlibOfZeros(size: number): Buffer {
  const block = 1 << 20
  const full = deflateRawSync(Buffer.alloc(block), { level: 9, finishFlush: constants.Z_FULL_FLUSH })
  const parts: Buffer[] = [Buffer.from([0x78, 0x9c])]
  for (let i = 0; i < Math.floor(size / block); i++) parts.push(full)
  if (size % block) parts.push(deflateRawSync(Buffer.alloc(size % block), { level: 9, finishFlush: constants.Z_FULL_FLUSH }))
  parts.push(deflateRawSync(Buffer.alloc(0)))
  // Adler-32 of n zero bytes: a stays 1, b adds 1 per byte.
  const adler = Buffer.alloc(4)
  adler.writeUInt32BE(((size % 65521) * 65536 + 1) >>> 0, 0)
  parts.push(adler)
  return Buffer.concat(parts)
}

export interface PngSpec {
  width: number
  height: number
  /** 8 or 16. */
  bitDepth: 8 | 16
  /** 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA. */
  colorType: 0 | 2 | 4 | 6
  interlaced: boolean
  /** An EXIF orientation (eXIf chunk), e.g. 6 for "turn 90° clockwise". */
  orientation?: number
}

/** A big-endian TIFF header with one IFD entry: Orientation (0x0112, SHORT, 1). */
function exifOrientation(value: number): Buffer {
  return Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0])
}

/** A black PNG of any size (all-zero scanlines, filter "none"). */
export function blackPng({ width, height, bitDepth, colorType, interlaced, orientation }: PngSpec): Buffer {
  const bitsPerPixel = PNG_CHANNELS[colorType]! * bitDepth
  const rowBytes = (w: number) => Math.ceil((w * bitsPerPixel) / 8)
  const passes: Array<readonly [number, number, number, number]> = interlaced ? [...ADAM7] : [[0, 0, 1, 1]]
  let size = 0
  for (const [x0, y0, dx, dy] of passes) {
    const w = width > x0 ? Math.ceil((width - x0) / dx) : 0
    const h = height > y0 ? Math.ceil((height - y0) / dy) : 0
    if (w && h) size += h * (1 + rowBytes(w))
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([bitDepth, colorType, 0, 0, interlaced ? 1 : 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(orientation ? [pngChunk('eXIf', exifOrientation(orientation))] : []),
    pngChunk('IDAT', zlibOfZeros(size)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * A GIF of `width` × `height` whose frames each cover the whole screen but hold
 * the LZW codes of a single pixel: a decoder still needs the full frame buffer.
 */
export function hugeGif({ width, height, frames = 1 }: { width: number; height: number; frames?: number }): Buffer {
  const screen = Buffer.alloc(13)
  screen.write('GIF89a', 0, 'latin1')
  screen.writeUInt16LE(width, 6)
  screen.writeUInt16LE(height, 8)
  screen.set([0x80, 0, 0], 10) // a two-colour global table follows
  const palette = Buffer.from([0, 0, 0, 255, 255, 255])
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00])
  const frame = Buffer.from([
    // Graphic control: 10 ms, no disposal.
    0x21, 0xf9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00,
    // Image descriptor: the whole screen, then LZW data (clear, colour 0, end).
    0x2c, 0, 0, 0, 0, width & 0xff, width >> 8, height & 0xff, height >> 8, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00,
  ])
  return Buffer.concat([screen, palette, ...(frames > 1 ? [loop] : []), ...Array<Buffer>(frames).fill(frame), Buffer.from([0x3b])])
}
