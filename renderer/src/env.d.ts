/// <reference types="vite/client" />
import type { FrontdeskApi } from './services/api'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Exposed by the preload script (or the e2e bridge); only services/api.ts reads it. */
    api: FrontdeskApi
  }
}

export {}
