import { z } from 'zod'

/**
 * A PDF made for the desk (a statement, brochure letters, labels, a report),
 * kept by main for this session under an id: the renderer shows its pages,
 * and asks main to save it (main shows the dialog), open it in the system's
 * PDF viewer, or hands its pages to the printer. The renderer never names a path.
 */
export interface Printout {
  id: string
  /** The name suggested when saving ("Statement C-000123 2026-11.pdf"). */
  fileName: string
  pages: number
  bytes: number
  /** Characters the font could not draw (shown as □ in the PDF), so the screen can say so. */
  unprintable: string[]
}

export const printoutId = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/, { error: 'This printout is not known; make it again.' }),
})

export interface PrintoutBytes {
  bytes: Uint8Array
}

export interface SavedPrintout {
  fileName: string
}

export const printoutsInputs = {
  'printouts:read': printoutId,
  'printouts:save': printoutId,
  'printouts:open': printoutId,
}
