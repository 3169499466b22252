import sharp from 'sharp'

/*
 * What decoding a picture someone uploads (a customer's photo, the business's
 * logo) may cost the main process, and the one-at-a-time queue every such
 * decode goes through.
 */

/**
 * What one decode may hold at once. Baseline JPEG and WebP shrink while loading:
 * 60 MP costs them tens of MB at most. A GIF frame, a progressive JPEG's
 * coefficients and a PNG (interlaced: whole; otherwise about a thousand
 * full-width lines, as much as the whole for a wide one) are held in full, so
 * they are priced at width × height × bytes per pixel. Decoding holds about
 * twice that at its peak (the allocator keeps freed pages between decodes, a
 * pool per thread) and the main process starts near 135 MB: 56 MiB, one decode
 * at a time, keeps any upload under 300 MB (about 255 MB at worst, measured;
 * 80 MiB reached 304 MB on a slower machine).
 */
export const DECODE_BUDGET = 56 * 1024 * 1024
const BYTES_PER_SAMPLE: Partial<Record<string, number>> = { uchar: 1, char: 1, ushort: 2, short: 2 }

// One picture per upload: nothing worth caching, and one libvips thread per
// decode keeps its memory the same on every machine.
sharp.cache(false)
sharp.concurrency(1)

/** A WebP's lossless image (RIFF chunk "VP8L"), and the alpha plane beside a lossy one ("ALPH"). */
const LOSSLESS_WEBP = Buffer.from('VP8L', 'latin1')
const WEBP_ALPHA = Buffer.from('ALPH', 'latin1')

/**
 * Bytes per pixel a decoder holds in full for this picture; 0 when it streams or shrinks while loading. A lossless
 * WebP is decoded whole into RGBA (a 44 KB one of 59 MP took the process to 363 MB); a lossy one shrinks while
 * loading, its alpha plane excepted.
 */
export function heldBytesPerPixel(image: Uint8Array, metadata: sharp.Metadata): number {
  const channels = metadata.channels ?? 4
  switch (metadata.format) {
    case 'png':
      return channels * (BYTES_PER_SAMPLE[metadata.depth ?? ''] ?? 4)
    case 'gif':
      return 4 // the frame is decoded into RGBA
    case 'webp': {
      const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength)
      if (bytes.indexOf(LOSSLESS_WEBP) >= 0) return 4
      return bytes.indexOf(WEBP_ALPHA) >= 0 ? 1 : 0
    }
    case 'jpeg': {
      if (!metadata.isProgressive) return 0
      // 2 bytes per DCT coefficient; the colour planes are a quarter (4:2:0) or half (4:2:2) size.
      const sub = metadata.chromaSubsampling ?? ''
      const chroma = sub.startsWith('4:2:0') ? 0.25 : sub.startsWith('4:2:2') ? 0.5 : 1
      return 2 * (channels < 3 ? channels : 1 + 2 * chroma + (channels - 3))
    }
    default:
      return 0
  }
}

let decoding: Promise<unknown> = Promise.resolve()

/** Runs decodes one after another, so uploads at once never hold more than one budget. */
export function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = decoding.then(task)
  decoding = run.catch(() => undefined)
  return run
}
