/**
 * Address-label sheets, in millimetres from the sheet's top-left corner.
 * Figures from the makers' templates:
 * - Avery L7160 (A4, 21 labels): 63.5 × 38.1 mm labels in 3 columns × 7 rows;
 *   top and bottom margins 15.15 mm, side margins 7.25 mm, 2.5 mm between
 *   columns (horizontal pitch 66.0 mm), rows touching (vertical pitch 38.1 mm).
 * - Avery L7163 (A4, 14 labels): 99.1 × 38.1 mm in 2 columns × 7 rows; top and
 *   bottom margins 15.15 mm, side margins 4.65 mm, 2.5 mm between the columns
 *   (horizontal pitch 101.6 mm), vertical pitch 38.1 mm.
 * - Avery 5160 (US Letter 8½ × 11 in, 30 labels): 2⅝ × 1 in labels in
 *   3 columns × 10 rows; top and bottom margins ½ in, side margins 3⁄16 in,
 *   ⅛ in between columns (horizontal pitch 2¾ in), vertical pitch 1 in.
 * Each adds up to its sheet exactly (e.g. 2 × 7.25 + 3 × 63.5 + 2 × 2.5 = 210).
 */

export const labelSheetKinds = ['a4-3x7', 'a4-2x7', 'letter-3x10'] as const
export type LabelSheetKind = (typeof labelSheetKinds)[number]

export interface LabelSheet {
  kind: LabelSheetKind
  label: string
  paper: 'a4' | 'letter'
  pageWidth: number
  pageHeight: number
  columns: number
  rows: number
  labelWidth: number
  labelHeight: number
  /** Sheet edge to the first label's edge. */
  left: number
  top: number
  /** From one label's edge to the next one's. */
  pitchX: number
  pitchY: number
  /** Kept clear inside each label so a slightly misfed sheet prints no text on the cut. */
  padding: number
}

const INCH = 25.4

export const labelSheets: Record<LabelSheetKind, LabelSheet> = {
  'a4-3x7': {
    kind: 'a4-3x7',
    label: 'A4, 3 × 7 (21 labels, 63.5 × 38.1 mm, Avery L7160 type)',
    paper: 'a4',
    pageWidth: 210,
    pageHeight: 297,
    columns: 3,
    rows: 7,
    labelWidth: 63.5,
    labelHeight: 38.1,
    left: 7.25,
    top: 15.15,
    pitchX: 66,
    pitchY: 38.1,
    padding: 4,
  },
  'a4-2x7': {
    kind: 'a4-2x7',
    label: 'A4, 2 × 7 (14 labels, 99.1 × 38.1 mm, Avery L7163 type)',
    paper: 'a4',
    pageWidth: 210,
    pageHeight: 297,
    columns: 2,
    rows: 7,
    labelWidth: 99.1,
    labelHeight: 38.1,
    left: 4.65,
    top: 15.15,
    pitchX: 101.6,
    pitchY: 38.1,
    padding: 5,
  },
  'letter-3x10': {
    kind: 'letter-3x10',
    label: 'US Letter, 3 × 10 (30 labels, 2⅝ × 1 in, Avery 5160 type)',
    paper: 'letter',
    pageWidth: 8.5 * INCH,
    pageHeight: 11 * INCH,
    columns: 3,
    rows: 10,
    labelWidth: 2.625 * INCH,
    labelHeight: 1 * INCH,
    left: 0.1875 * INCH,
    top: 0.5 * INCH,
    pitchX: 2.75 * INCH,
    pitchY: 1 * INCH,
    padding: 0.125 * INCH,
  },
}

export function labelsPerSheet(sheet: LabelSheet): number {
  return sheet.columns * sheet.rows
}

/**
 * The cell a label goes in: labels fill a sheet row by row, left to right, and
 * `start` (1-based) skips the labels already used on a partly used first sheet.
 */
export function labelCell(sheet: LabelSheet, index: number, start = 1): { page: number; column: number; row: number; x: number; y: number } {
  const slot = index + start - 1
  const perSheet = labelsPerSheet(sheet)
  const page = Math.floor(slot / perSheet)
  const within = slot % perSheet
  const row = Math.floor(within / sheet.columns)
  const column = within % sheet.columns
  return { page, column, row, x: sheet.left + column * sheet.pitchX, y: sheet.top + row * sheet.pitchY }
}
