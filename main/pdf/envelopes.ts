/**
 * Window envelopes for letters on A4, in millimetres from the sheet's top-left
 * corner (the way jsPDF and the tests measure).
 *
 * Sources:
 * - DL (110 × 220 mm, DIN 678-1 / ISO 269) with a left-hand window per DIN 680
 *   ("Fensterbriefhüllen – Formate und Fensterstellung"): the window is 90 mm
 *   wide and 45 mm high, 20 mm from the left edge and 15 mm from the bottom edge
 *   (as summarised in de.wikipedia.org "DIN lang").
 * - C5 (162 × 229 mm, ISO 269) takes A4 folded once. DIN 680 gives it the same
 *   90 × 45 mm window 20 mm from the left; we put its top 58 mm below the
 *   envelope's top edge, which is where a DIN 5008 Form B address field lands
 *   on a sheet folded once and resting on the envelope's fold (the field, 45 mm
 *   down the sheet, plus the 13.5 mm a 148.5 mm panel sits below a 162 mm
 *   envelope's top). Check against the envelopes you buy: C5 windows vary more
 *   between makers than DL ones.
 * - The sheet's address field is DIN 5008 Form B: 85 × 45 mm, 20 mm from the
 *   left and 45 mm from the top of the sheet; its lower 27.3 mm (from 62.7 mm)
 *   holds the address, the upper 17.7 mm is for return address and postal
 *   notes (din-5008-richtlinien.de, "Anschriftenfeld"). Form B's fold marks are
 *   at 105 and 210 mm (DL) and its punch mark at 148.5 mm (C5 folds there).
 *
 * A folded sheet is smaller than its envelope, so it slides: a DL panel is
 * 105 × 210 mm in 110 × 220 mm (5 mm up/down, 10 mm sideways), a C5 panel
 * 148.5 × 210 mm in 162 × 229 mm (13.5 mm and 19 mm). The safe area is the part
 * of the sheet that is behind the window wherever the sheet sits, less a small
 * margin for the window's edge and the printer's own misplacement.
 */

export const envelopeKinds = ['dl', 'c5'] as const
export type EnvelopeKind = (typeof envelopeKinds)[number]

export interface Rect {
  /** From the left edge, mm. */
  x: number
  /** From the top edge, mm. */
  y: number
  width: number
  height: number
}

export interface Envelope {
  kind: EnvelopeKind
  label: string
  /** Envelope size, landscape, mm. */
  width: number
  height: number
  /** The window on the envelope's face, from the envelope's top-left corner. */
  window: Rect
  /** Height of the folded panel that faces the window (the sheet's top part). */
  panelHeight: number
  /** Where the sheet's fold lines are, mm from its top: the printed fold marks. */
  folds: number[]
  /** The DIN 5008 Form B address field on the A4 sheet. */
  addressField: Rect
  /** The part of the sheet seen through the window however the folded sheet slides, less the margin. */
  safeArea: Rect
}

const A4_WIDTH = 210
/** Kept clear inside the window on every side: the window's edge, paper stretch and printer placement. */
export const WINDOW_MARGIN = 2

const DIN_5008_FORM_B_FIELD: Rect = { x: 20, y: 45, width: 85, height: 45 }
/** DIN 5008: the address zone starts 62.7 mm down a Form B sheet, below the return-address zone. */
export const DIN_5008_FORM_B_ADDRESS_ZONE_TOP = 62.7

function envelope(kind: EnvelopeKind, label: string, width: number, height: number, window: Rect, panelHeight: number, folds: number[]): Envelope {
  const playX = width - A4_WIDTH
  const playY = height - panelHeight
  // Sheet-top offset s ∈ [0, playY], sheet-left offset h ∈ [0, playX]: a point (x, y) on the
  // sheet shows through the window for every s and h when window.y ≤ y and y + playY ≤ window bottom.
  const seen: Rect = {
    x: window.x,
    y: window.y,
    width: window.width - playX,
    height: window.height - playY,
  }
  const field = DIN_5008_FORM_B_FIELD
  const top = Math.max(seen.y, field.y) + WINDOW_MARGIN
  const left = Math.max(seen.x, field.x) + WINDOW_MARGIN
  const bottom = Math.min(seen.y + seen.height, field.y + field.height) - WINDOW_MARGIN
  const right = Math.min(seen.x + seen.width, field.x + field.width) - WINDOW_MARGIN
  return {
    kind,
    label,
    width,
    height,
    window,
    panelHeight,
    folds,
    addressField: field,
    safeArea: { x: left, y: top, width: right - left, height: bottom - top },
  }
}

export const envelopes: Record<EnvelopeKind, Envelope> = {
  // DIN 680: 90 × 45 mm window, 20 mm from the left, 15 mm from the bottom → 50 mm from the top of a 110 mm envelope.
  dl: envelope('dl', 'DL (110 × 220 mm), A4 folded in three', 220, 110, { x: 20, y: 110 - 15 - 45, width: 90, height: 45 }, 105, [105, 210]),
  c5: envelope('c5', 'C5 (162 × 229 mm), A4 folded once', 229, 162, { x: 20, y: 58, width: 90, height: 45 }, 148.5, [148.5]),
}

/** Where a sheet's point shows on the envelope's face when the sheet sits at (h, s) inside it. */
export function onEnvelope(point: { x: number; y: number }, sheetOffset: { h: number; s: number }): { x: number; y: number } {
  return { x: point.x + sheetOffset.h, y: point.y + sheetOffset.s }
}
