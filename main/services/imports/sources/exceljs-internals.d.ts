// Typings for the parts of exceljs 4.4 the workbook reader uses beyond its published types (see xlsx.ts for why).

declare module 'exceljs/lib/utils/parse-sax.js' {
  interface SaxTag {
    name: string
    attributes: Record<string, string>
  }
  type SaxEvent = { eventType: 'opentag' | 'closetag'; value: SaxTag } | { eventType: 'text'; value: string }
  /** Parses XML from a stream into batches of events, one batch per chunk read. */
  export default function parseSax(source: AsyncIterable<unknown>): AsyncGenerator<SaxEvent[]>
}

declare module 'exceljs/lib/utils/utils.js' {
  const utils: {
    /** Whether an Excel number format shows a date or a time. */
    isDateFmt(format: string | undefined): boolean
    /** The moment an Excel serial number stands for, read as UTC; 1904-based workbooks count from 1904-01-01. */
    excelToDate(serial: number, date1904: boolean): Date
    /** Decodes XML entities in text (the cell parser applies it to text its XML parser has already decoded). */
    xmlDecode(text: string): string
  }
  export default utils
}
