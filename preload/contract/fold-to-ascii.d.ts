/** Lucene's ASCII folding table (the package ships no types; its methods must be called on the class). */
declare module 'fold-to-ascii' {
  const ASCIIFolder: {
    /** Letters and symbols with an ASCII equivalent replaced by it; everything else kept. */
    foldMaintaining(value: string): string
    foldReplacing(value: string, replacement?: string): string
  }
  export default ASCIIFolder
}
