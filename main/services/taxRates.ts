/** Tax rates are typed as percentages ("12.5") and stored as integer basis points (1250). */

export function percentToBasisPoints(percent: string): number {
  const [whole = '0', fraction = ''] = percent.trim().split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2))
}

export function basisPointsToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100)
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : String(whole)
}
