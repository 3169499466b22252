/** Escapes LIKE wildcards so a typed % or _ matches itself; the query says `ESCAPE '\'`. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
