import { computed, type ComputedRef } from 'vue'
import { useTheme } from 'vuetify'

/** "#1D5FA8" → "rgba(29, 95, 168, 0.85)". */
export function withAlpha(hex: string, alpha: number): string {
  const value = hex.replace('#', '')
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value.slice(0, 6)
  const n = Number.parseInt(full, 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

/** What every chart draws its frame with, from the theme (light or dark): labels, grid lines and the tooltip. */
export interface ChartFrameColours {
  /** The theme's colours by name, as hex strings. */
  named: Record<string, string | undefined>
  dark: boolean
  text: string
  grid: string
  tooltipBg: string
  tooltipText: string
  tooltipBorder: string
}

/** The chart frame's colours, following the theme as it changes. */
export function useChartColours(): ComputedRef<ChartFrameColours> {
  const theme = useTheme()
  return computed(() => {
    const current = theme.current.value
    // Theme colours are hex strings here (Vuetify's types also allow parsed forms).
    const named = current.colors as unknown as Record<string, string | undefined>
    const onSurface = named['on-surface'] ?? (current.dark ? '#FFFFFF' : '#000000')
    const emphasis = Number(current.variables['medium-emphasis-opacity'] ?? 0.7)
    return {
      named,
      dark: current.dark,
      text: withAlpha(onSurface, emphasis),
      grid: withAlpha(onSurface, current.dark ? 0.14 : 0.1),
      tooltipBg: named['surface-bright'] ?? named['surface'] ?? '#FFFFFF',
      tooltipText: onSurface,
      tooltipBorder: withAlpha(onSurface, 0.2),
    }
  })
}
