/** The key that makes tag, group and saved-filter names unique: "Café  VIP" and "cafe vip" are one name. */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ')
}

/** Names as shown: trimmed, inner runs of spaces collapsed. */
export function tidyName(name: string): string {
  return name.trim().replace(/\s+/g, ' ')
}
