import { readFile } from 'node:fs/promises'
import type { Printout, PrintoutBytes, SavedPrintout } from '../../../preload/contract'
import { printoutPaths } from '../../pdf/printouts'
import { writeWhole } from '../exports/file'
import { NotFound } from '../errors'

/*
 * Printouts made this session: read for the screen's preview and printing,
 * saved where the person chose (whole or not at all), or opened in the
 * system's PDF viewer. They live in a private folder removed when the app closes.
 */

const GONE = 'This printout is no longer available; make it again.'

export async function findPrintout(dir: string, id: string): Promise<Printout> {
  try {
    return JSON.parse(await readFile(printoutPaths(dir, id).meta, 'utf8')) as Printout
  } catch {
    throw new NotFound(GONE)
  }
}

export async function readPrintout(dir: string, id: string): Promise<PrintoutBytes> {
  await findPrintout(dir, id)
  return { bytes: new Uint8Array(await readFile(printoutPaths(dir, id).pdf)) }
}

/** The path to open in the system's viewer, once it is known to be a whole printout. */
export async function printoutFile(dir: string, id: string): Promise<string> {
  await findPrintout(dir, id)
  return printoutPaths(dir, id).pdf
}

/** Copies the PDF to the chosen file: a temporary name first, renamed when whole. */
export async function savePrintoutAs(dir: string, id: string, target: string): Promise<SavedPrintout> {
  const { bytes } = await readPrintout(dir, id)
  await writeWhole(target, async (out) => {
    await new Promise<void>((resolve, reject) => out.end(bytes, (error?: Error | null) => (error ? reject(error) : resolve())))
  })
  return { fileName: target.split(/[\\/]/).pop() ?? target }
}
