import type ExcelJS from 'exceljs'

/*
 * exceljs is loaded the first time a workbook is read or written, not when the
 * desk or its job worker starts: requiring it took a third of the main
 * process's start (about 350 of 1,000 ms of modules) and as much again of
 * every job worker's, for the few who import or export a spreadsheet.
 */

let loading: Promise<typeof ExcelJS> | null = null

/** exceljs itself (its CommonJS exports, however the bundler hands them over). */
export function loadExcelJs(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => ((module as { default?: typeof ExcelJS }).default ?? module) as typeof ExcelJS)
  return loading
}
