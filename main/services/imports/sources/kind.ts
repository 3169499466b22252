import { decodeText, detectTextEncoding, type TextEncoding } from './encoding'
import { ImportFileProblem } from './source'

/*
 * What kind of file the desk chose, judged by its content first (a CSV saved as "customers.xlsx" is still read as CSV)
 * and by its name only to word a refusal. Everything that is not an Excel workbook, a vCard or text is refused with
 * a sentence saying what to do instead.
 */

export type FileKind = { kind: 'xlsx' } | { kind: 'vcard' | 'csv'; encoding: TextEncoding; sample: string }

const SAVE_AS = 'Open it in Excel (or LibreOffice), save it as .xlsx or CSV, and import that.'
const NOT_OURS = 'This file is not a spreadsheet, CSV or vCard file.'

export async function recogniseFile(file: string, extension: string, head: Buffer): Promise<FileKind> {
  const refusal = refusalByMagic(head)
  if (refusal) throw new ImportFileProblem(refusal)
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { kind: 'xlsx' }

  const encoding = await detectTextEncoding(file, head)
  const sample = decodeText(head, encoding)
  if (!looksLikeText(sample)) throw new ImportFileProblem(refusalByExtension(extension) ?? NOT_OURS)
  const start = sample.trimStart().slice(0, 512).toLowerCase()
  if (start.startsWith('begin:vcard')) return { kind: 'vcard', encoding, sample }
  if (start.startsWith('<?xml') && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    throw new ImportFileProblem(`This is an Excel 2003 XML spreadsheet. ${SAVE_AS}`)
  }
  if (/^(<!doctype html|<html|<table|<\?xml)/.test(start)) {
    throw new ImportFileProblem(`This is a web page or an XML file, not a spreadsheet (some programs give their "Excel" downloads this form). ${SAVE_AS}`)
  }
  if (extension === '.vcf' || extension === '.vcard') throw new ImportFileProblem('This vCard file has no contacts.')
  return { kind: 'csv', encoding, sample }
}

/** Why a zip that holds no Excel workbook cannot be imported; `names` are the paths inside it. */
export function notAWorkbook(names: string[], extension: string): ImportFileProblem {
  const has = (path: string) => names.includes(path)
  if (has('xl/workbook.bin')) return new ImportFileProblem(`This is an Excel binary workbook (.xlsb). ${SAVE_AS}`)
  if (has('Index/Document.iwa') || has('Index.zip') || extension === '.numbers') return new ImportFileProblem(NUMBERS)
  if (has('word/document.xml')) return new ImportFileProblem('This is a Word document, not a spreadsheet. Import the customer list as an Excel, CSV or vCard file.')
  if (has('ppt/presentation.xml')) return new ImportFileProblem('This is a PowerPoint presentation, not a spreadsheet. Import the customer list as an Excel, CSV or vCard file.')
  if (names.some((name) => name.startsWith('xl/'))) return new ImportFileProblem('The workbook is damaged: it has no list of sheets.')
  return new ImportFileProblem('This is a zip archive, not a spreadsheet. Unpack it and import the spreadsheet, CSV or vCard file inside.')
}

const NUMBERS = 'This is an Apple Numbers file. In Numbers, choose File › Export To › Excel (or CSV), and import that.'

function refusalByMagic(head: Buffer): string | null {
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // An Office file of the old kind — or a newer workbook with a password, which Excel stores in the same container.
    if (head.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      return 'This workbook is protected by a password. Open it in Excel, remove the password (File › Info › Protect Workbook), save it, and import it again.'
    }
    return `This is an old Excel (.xls) workbook or another older Office file. ${SAVE_AS}`
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && head.subarray(30, 200).toString('latin1').startsWith('mimetypeapplication/vnd.oasis.opendocument')) {
    return head.includes(Buffer.from('opendocument.spreadsheet'))
      ? `This is an OpenDocument spreadsheet (.ods). ${SAVE_AS}`
      : 'This is an OpenDocument file, not a spreadsheet. Import the customer list as an Excel, CSV or vCard file.'
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) {
    return 'This is a PDF document, not a spreadsheet. Export the customer list as Excel or CSV from the program that made it, and import that.'
  }
  if (isPicture(head)) return 'This is a picture, not a spreadsheet, CSV or vCard file.'
  return null
}

function refusalByExtension(extension: string): string | null {
  if (extension === '.numbers') return NUMBERS
  if (extension === '.xls' || extension === '.ods' || extension === '.xlsb') return `This spreadsheet is in a format the import cannot read. ${SAVE_AS}`
  return null
}

function isPicture(head: Buffer): boolean {
  const ascii = head.subarray(0, 12).toString('latin1')
  return (
    startsWith(head, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(head, [0xff, 0xd8, 0xff]) ||
    ascii.startsWith('GIF8') ||
    (ascii.startsWith('BM') && head.length >= 10 && head.readUInt32LE(6) === 0) ||
    (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') ||
    ascii.slice(4, 8) === 'ftyp'
  )
}

/** Text has almost no control characters besides tabs and line breaks; a binary file read as text has many. */
function looksLikeText(sample: string): boolean {
  let controls = 0
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i)
    if (code === 0) return false
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f) controls++
  }
  return controls <= Math.max(2, sample.length / 100)
}

function startsWith(head: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, index) => head[index] === byte)
}
