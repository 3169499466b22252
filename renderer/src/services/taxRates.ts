/** Tax rates are typed as percentages ("12.5") and kept as integer basis points (1250), read without floating point. */

/** "12.5" → 1250; null when the text is not a percentage from 0 to 100 with at most two decimals. */
export function percentToBasisPoints(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace(/\s*%$/, ''))
  if (!match) return null
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return bp <= 10000 ? bp : null
}

/** 1250 → "12.5". */
export function basisPointsToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100)
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : String(whole)
}

/** 1250 → "12.5%". */
export function formatRate(bp: number): string {
  return `${basisPointsToPercent(bp)}%`
}
