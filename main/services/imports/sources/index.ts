import { open, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { openCsv } from './csv'
import { SAMPLE_BYTES } from './encoding'
import { recogniseFile } from './kind'
import { asImportFileProblem, ImportFileProblem, type OpenedSource } from './source'
import { openVcard } from './vcard'
import { openXlsx } from './xlsx'

export { ImportFileProblem, type Cell, type OpenedSource, type SourceRow } from './source'

/**
 * Opens a file the desk chose: an Excel workbook (.xlsx), a CSV or other delimited text file, or a vCard file — told
 * apart by their content, whatever their name. Reads only as far as the header (a vCard file is counted through);
 * the rows stream from `rows()`.
 *
 * Throws {@link ImportFileProblem} with a sentence for the desk when the file cannot be read; `rows()` throws one too
 * when reading fails part-way through.
 */
export async function openSource(file: string, options: { sheet?: string } = {}): Promise<OpenedSource> {
  const extension = extname(file).toLowerCase()
  try {
    const size = await sizeOf(file, extension)
    if (size === 0) throw new ImportFileProblem('This file is empty.')
    const kind = await recogniseFile(file, extension, await readHead(file))
    if (kind.kind === 'xlsx') return await openXlsx(file, size, extension, options.sheet)
    if (kind.kind === 'vcard') return await openVcard(file, size, kind.encoding)
    return await openCsv(file, size, kind.encoding, kind.sample)
  } catch (error) {
    throw asImportFileProblem(error, 'This file could not be read')
  }
}

async function sizeOf(file: string, extension: string): Promise<number> {
  const stats = await stat(file)
  if (stats.isDirectory()) {
    // A Numbers document on a Mac is a folder that looks like a file.
    throw new ImportFileProblem(
      extension === '.numbers' ? 'This is an Apple Numbers file. In Numbers, choose File › Export To › Excel (or CSV), and import that.' : 'This is a folder, not a file.',
    )
  }
  return stats.size
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(SAMPLE_BYTES)
    const { bytesRead } = await handle.read(head, 0, SAMPLE_BYTES, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
