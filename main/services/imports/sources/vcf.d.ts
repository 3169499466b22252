// Typings for the two untyped libraries the vCard reader uses: vcf (node-vcf) 2.1 and quoted-printable 1.0.

declare module 'vcf' {
  namespace vCard {
    /** One property line. Its parameters are own enumerable fields, named in camelCase (`charset`, `xAppleOmitYear`); a bare 2.1 parameter (`TEL;CELL:`) is a `type`; a repeated one becomes an array. */
    interface Property {
      readonly _field: string
      readonly _data: string | undefined
      group?: string
      type?: string | string[]
      [parameter: string]: unknown
      valueOf(): string | undefined
    }
    /** Properties by camelCase name (`tel`, `email`, `xAbLabel`); a property that occurs more than once is an array. */
    type Properties = Record<string, Property | Property[]>
  }

  class vCard {
    version: string
    data: vCard.Properties
    /** Parses one card (BEGIN:VCARD … END:VCARD, lines joined by CRLF); throws on a missing BEGIN/END or VERSION. */
    parse(text: string): this
    /** Trims, drops blank lines and unfolds folded lines (CRLF followed by a space or tab). */
    static normalize(text: string): string
    /** The properties of a card's lines; the first and last line (BEGIN and END) are skipped. */
    static parseLines(lines: string[]): vCard.Properties
  }

  export = vCard
}

declare module 'quoted-printable' {
  const quotedPrintable: {
    /** Decodes quoted-printable text into a byte string: one character (U+0000–U+00FF) per byte. */
    decode(text: string): string
  }
  export default quotedPrintable
}
