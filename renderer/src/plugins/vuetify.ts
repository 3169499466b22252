import '@fontsource/roboto/400.css'
import '@fontsource/roboto/500.css'
import '@fontsource/roboto/700.css'
import 'vuetify/styles'
import { createVuetify } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'

/**
 * Frontdesk's look: a calm slate-and-blue palette in light and dark, following
 * the operating system's colour scheme (Vuetify's `system` theme listens to
 * `prefers-color-scheme` and switches live). Icons are inline SVG paths from
 * @mdi/js, so nothing is fetched at run time.
 */
export const vuetify = createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: {
    defaultTheme: 'system',
    themes: {
      light: {
        dark: false,
        colors: {
          background: '#F4F6F9',
          surface: '#FFFFFF',
          'surface-bright': '#FFFFFF',
          'surface-light': '#EEF1F5',
          primary: '#1D5FA8',
          secondary: '#4B5D73',
          accent: '#0F7C78',
          error: '#B3261E',
          info: '#0B6BA8',
          success: '#2E7D32',
          warning: '#9A5B00',
          highlight: '#FFE7A3',
        },
        // Vuetify's default secondary-text opacity falls just short of WCAG AA on white.
        variables: { 'medium-emphasis-opacity': 0.7 },
      },
      dark: {
        dark: true,
        colors: {
          background: '#11151B',
          surface: '#1A2029',
          'surface-bright': '#252D38',
          'surface-light': '#222A35',
          primary: '#8CB8F2',
          secondary: '#A9B8CA',
          accent: '#6FD1C8',
          error: '#F2B8B5',
          info: '#8CCBF2',
          success: '#8FD19A',
          warning: '#F5C878',
          highlight: '#6B5614',
        },
        variables: { 'medium-emphasis-opacity': 0.72 },
      },
    },
  },
  defaults: {
    VTextField: { variant: 'outlined', density: 'comfortable', color: 'primary' },
    VTextarea: { variant: 'outlined', density: 'comfortable', color: 'primary' },
    VSelect: { variant: 'outlined', density: 'comfortable', color: 'primary' },
    VAutocomplete: { variant: 'outlined', density: 'comfortable', color: 'primary' },
    VCheckbox: { density: 'comfortable', color: 'primary', hideDetails: 'auto' },
    VCard: { rounded: 'lg' },
    VBtn: { rounded: 'lg' },
    VChip: { rounded: 'lg' },
    VTooltip: { location: 'top' },
  },
})
