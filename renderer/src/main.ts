import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import RecoveryPage from './pages/RecoveryPage.vue'
import { router } from './router'
import { vuetify } from './plugins/vuetify'
import './styles/app.css'

// The customer file was found damaged at start: main answers only the recovery screen's calls, so it is all the window shows.
const recovering = window.location.hash.startsWith('#/recovery')

createApp(recovering ? RecoveryPage : App).use(createPinia()).use(router).use(vuetify).mount('#app')
