import { randomBytes } from 'node:crypto'
import { readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Printout } from '../../preload/contract'

/** Where a printout's PDF and its description are kept in the session's printouts folder. */
export function printoutPaths(dir: string, id: string): { pdf: string; meta: string } {
  return { pdf: join(dir, `${id}.pdf`), meta: join(dir, `${id}.json`) }
}

/**
 * Keeps a finished PDF for the desk to show, save, open or print. Written
 * only by its maker (mode 600, never over an existing file); the
 * description last, so a printout is known only once its PDF is whole.
 */
export async function keepPrintout(
  dir: string,
  bytes: Uint8Array,
  meta: { fileName: string; pages: number; unprintable: string[] },
): Promise<Printout> {
  const id = randomBytes(12).toString('hex')
  const paths = printoutPaths(dir, id)
  const printout: Printout = { id, fileName: safeFileName(meta.fileName), pages: meta.pages, bytes: bytes.byteLength, unprintable: meta.unprintable }
  await writeFile(paths.pdf, bytes, { flag: 'wx', mode: 0o600 })
  await writeFile(paths.meta, JSON.stringify(printout), { flag: 'wx', mode: 0o600 })
  await forgetOldPrintouts(dir, id)
  return printout
}

/** Printouts kept per session; a template editor's live preview makes one per pause in typing. */
export const KEPT_PRINTOUTS = 60

/** Removes the oldest printouts beyond the newest KEPT_PRINTOUTS (never the one just made). */
async function forgetOldPrintouts(dir: string, keep: string): Promise<void> {
  const metas = (await readdir(dir)).filter((name) => name.endsWith('.json'))
  if (metas.length <= KEPT_PRINTOUTS) return
  const aged = await Promise.all(
    metas.map(async (name) => ({ id: name.slice(0, -'.json'.length), at: (await stat(join(dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
  )
  aged.sort((a, b) => a.at - b.at)
  for (const { id } of aged.slice(0, aged.length - KEPT_PRINTOUTS)) {
    if (id === keep) continue
    const paths = printoutPaths(dir, id)
    // The description first: a printout half removed is already unknown.
    await rm(paths.meta, { force: true })
    await rm(paths.pdf, { force: true })
  }
}

/** A name every file system takes: no separators or reserved characters, not too long, ending .pdf. */
export function safeFileName(name: string): string {
  const base = name
    .normalize('NFC')
    .replace(/\.pdf$/i, '')
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
  return `${base || 'Frontdesk'}.pdf`
}
