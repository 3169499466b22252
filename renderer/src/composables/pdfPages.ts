import type { PDFDocumentProxy } from 'pdfjs-dist'

/*
 * Pages of a PDF drawn with pdf.js, for previews and for the printer. The
 * library is fetched the first time a PDF is shown; it never evaluates code
 * from a document (the app's content policy forbids eval).
 */

let library: Promise<typeof import('pdfjs-dist')> | undefined

function pdfjs(): Promise<typeof import('pdfjs-dist')> {
  library ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(([lib, worker]) => {
    lib.GlobalWorkerOptions.workerSrc = worker.default
    return lib
  })
  return library
}

export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const lib = await pdfjs()
  // pdf.js takes the buffer over; the caller's copy stays usable.
  return lib.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise
}

/** Draws a page into the canvas at `cssWidth` pixels wide, sharp on high-density screens. */
export async function drawPage(pdf: PDFDocumentProxy, number: number, canvas: HTMLCanvasElement, cssWidth: number, density = window.devicePixelRatio || 1): Promise<void> {
  const page = await pdf.getPage(number)
  const base = page.getViewport({ scale: 1 })
  const viewport = page.getViewport({ scale: (cssWidth / base.width) * density })
  canvas.width = Math.floor(viewport.width)
  canvas.height = Math.floor(viewport.height)
  canvas.style.width = `${cssWidth}px`
  canvas.style.height = `${Math.floor((cssWidth * base.height) / base.width)}px`
  await page.render({ canvas, viewport }).promise
  page.cleanup()
}

/** Pages the screen's Print button sends to the printer; more are printed from the PDF viewer. */
export const MAX_PRINTED_PAGES = 60

/**
 * Prints the pages through the system's print dialog: each drawn at 150 dpi
 * into a print-only sheet shown instead of the app while printing.
 */
export async function printPages(pdf: PDFDocumentProxy): Promise<void> {
  const sheet = document.createElement('div')
  sheet.className = 'printout-sheet'
  try {
    for (let n = 1; n <= Math.min(pdf.numPages, MAX_PRINTED_PAGES); n++) {
      const page = await pdf.getPage(n)
      const base = page.getViewport({ scale: 1 })
      const canvas = document.createElement('canvas')
      const viewport = page.getViewport({ scale: 150 / 72 })
      canvas.width = Math.floor(viewport.width)
      canvas.height = Math.floor(viewport.height)
      await page.render({ canvas, viewport }).promise
      const image = document.createElement('img')
      image.src = canvas.toDataURL('image/png')
      image.alt = `Page ${n}`
      image.style.width = `${(base.width / 72) * 25.4}mm`
      sheet.appendChild(image)
      page.cleanup()
    }
    document.body.appendChild(sheet)
    document.body.classList.add('printing-printout')
    await Promise.all([...sheet.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)))
    window.print()
  } finally {
    document.body.classList.remove('printing-printout')
    sheet.remove()
  }
}
