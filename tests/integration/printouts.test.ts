import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MISSING_GLYPH, newPrintDocument } from '../../main/pdf/document'
import { KEPT_PRINTOUTS, keepPrintout, safeFileName } from '../../main/pdf/printouts'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'
import { openTestCore, type TestCore } from '../helpers/core'
import { parsePdf } from '../helpers/pdf'

const NAMES = ['Zoë Łukasiewicz-Żółć', 'Αλέξανδρος Παπαδόπουλος', 'Дмитрий Шостакович', 'Nguyễn Thị Phương Thảo', 'François Müller-Åström']

describe('the PDF kit', () => {
  it('prints names in Latin, Greek, Cyrillic, Polish and Vietnamese as the same text', async () => {
    const doc = newPrintDocument()
    doc.setFont('regular', 11)
    NAMES.forEach((name, i) => doc.text(name, 20, 30 + i * 8))
    // Decomposed input comes out composed (NFC), as the desk stores it.
    doc.text('Nguye\u0302\u0303n', 20, 90)
    expect(doc.unprintable()).toEqual([])
    const [page] = await parsePdf(doc.output())
    for (const name of NAMES) expect(page!.items.map((i) => i.text)).toContain(name)
    expect(page!.items.map((i) => i.text)).toContain('Nguyễn')
  })

  it('gives each document its own characters although the font is read once', async () => {
    const greek = newPrintDocument()
    greek.text('Αλέξανδρος', 20, 20)
    const cyrillic = newPrintDocument()
    cyrillic.text('Дмитрий', 20, 20)
    const [a] = await parsePdf(greek.output())
    const [b] = await parsePdf(cyrillic.output())
    expect(a!.text).toBe('Αλέξανδρος')
    expect(b!.text).toBe('Дмитрий')
  })

  it('never drops a character the font lacks: it is boxed and reported', async () => {
    const doc = newPrintDocument()
    doc.text('Li 李小龍 😀 Ana', 20, 30)
    expect(doc.unprintable()).toEqual(['李', '小', '龍', '😀'])
    const [page] = await parsePdf(doc.output())
    expect(page!.text).toContain(`Li ${MISSING_GLYPH.repeat(3)} ${MISSING_GLYPH} Ana`)
  })

  it('breaks a long table across pages with its header on each, and numbers the pages', async () => {
    const doc = newPrintDocument()
    doc.table({ startY: 30, head: [['Date', 'Reference', 'Amount']], body: Array.from({ length: 160 }, (_, i) => ['2026-01-02', `B-${i + 1}`, `£${i}.00`]) })
    doc.pageNumbers()
    const pages = await parsePdf(doc.output())
    expect(pages.length).toBeGreaterThanOrEqual(3)
    pages.forEach((page, i) => {
      expect(page.items.filter((item) => item.text === 'Reference')).toHaveLength(1)
      expect(page.text).toContain(`Page ${i + 1} of ${pages.length}`)
    })
    const refs = pages.flatMap((p) => p.items.filter((i) => /^B-\d+$/.test(i.text)).map((i) => i.text))
    expect(refs).toEqual(Array.from({ length: 160 }, (_, i) => `B-${i + 1}`))
  })

  it('draws the letterhead with the logo beside it', async () => {
    const sharp = (await import('sharp')).default
    const logo = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#2255aa' } }).png().toBuffer()
    const doc = newPrintDocument()
    const below = doc.letterhead({ name: 'Ελένη’s Pottery', addressLines: ['1 High Street', 'Bath BA1 1AA'], phone: '01225 000000', email: 'hi@example.com', logo: { mime: 'image/png', bytes: new Uint8Array(logo), width: 200, height: 100 } })
    expect(below).toBeGreaterThan(30)
    const [page] = await parsePdf(doc.output())
    expect(page!.text).toContain('Ελένη’s Pottery')
    expect(page!.text).toMatch(/01225 000000 +· +hi@example\.com/)
  })
})

describe('printouts', () => {
  let app: TestCore
  let folder: string
  let opened: string[]
  let saveTo: string | null

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'frontdesk-printouts-test-'))
    opened = []
    saveTo = null
    app = await openTestCore({ dialogs: { ...NO_FILE_DIALOGS, choosePrintoutFile: async () => saveTo }, viewer: { openFile: async (file) => void opened.push(file) } })
  })
  afterEach(async () => {
    await app.cleanup()
    rmSync(folder, { recursive: true, force: true })
  })

  async function made(text = 'Hello') {
    const doc = newPrintDocument()
    doc.text(text, 20, 20)
    return keepPrintout(app.printoutsDir, doc.output(), { fileName: 'Statement: C/000001?.pdf', pages: 1, unprintable: doc.unprintable() })
  }

  it('are kept privately under a safe name, read back whole', async () => {
    const printout = await made()
    expect(printout.fileName).toBe('Statement C 000001.pdf')
    expect(statSync(join(app.printoutsDir, `${printout.id}.pdf`)).mode & 0o077).toBe(0)
    const { bytes } = await app.invoke('printouts:read', { id: printout.id })
    expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe('%PDF-')
    expect(bytes.byteLength).toBe(printout.bytes)
  })

  it('are saved where the person chose, whole, over an older file; Cancel writes nothing', async () => {
    const printout = await made('Saved text')
    expect(await app.invoke('printouts:save', { id: printout.id })).toBeNull()
    saveTo = join(folder, 'statement.pdf')
    writeFileSync(saveTo, 'an older file')
    expect(await app.invoke('printouts:save', { id: printout.id })).toEqual({ fileName: 'statement.pdf' })
    const [page] = await parsePdf(readFileSync(saveTo))
    expect(page!.text).toContain('Saved text')
    expect(readdirSync(folder)).toEqual(['statement.pdf'])
  })

  it('open in the system viewer', async () => {
    const printout = await made()
    expect(await app.invoke('printouts:open', { id: printout.id })).toBeNull()
    expect(opened).toEqual([join(app.printoutsDir, `${printout.id}.pdf`)])
  })

  it('refuse an unknown or malformed id in words, and are gone once the app closes', async () => {
    const printout = await made()
    const unknown = await app.call('printouts:read', { id: 'a'.repeat(24) })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'This printout is no longer available; make it again.' } })
    const bad = await app.call('printouts:open', { id: '../../etc/passwd' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(opened).toEqual([])
    const dir = app.printoutsDir
    expect(existsSync(join(dir, `${printout.id}.pdf`))).toBe(true)
    await app.close()
    expect(existsSync(dir)).toBe(false)
  })

  it('keep the newest ones only, so a long session of previews does not fill the disk', async () => {
    const first = await made()
    for (let i = 0; i < KEPT_PRINTOUTS; i++) await made()
    expect(readdirSync(app.printoutsDir).filter((name) => name.endsWith('.pdf'))).toHaveLength(KEPT_PRINTOUTS)
    expect(await app.call('printouts:read', { id: first.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('names files safely', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j.PDF')).toBe('a b c d e f g h i j.pdf')
    expect(safeFileName('   ')).toBe('Frontdesk.pdf')
  })
})
