import { createRouter, createWebHashHistory } from 'vue-router'

/** Hash history: in Electron the renderer is loaded from file://. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/customers' },
    {
      path: '/customers',
      name: 'customers',
      component: () => import('./pages/CustomersPage.vue'),
      meta: { title: 'Customers' },
    },
    {
      path: '/customers/:id(\\d+)',
      name: 'customer',
      component: () => import('./pages/CustomerProfilePage.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Customer' },
    },
    {
      path: '/import',
      name: 'import',
      component: () => import('./pages/ImportPage.vue'),
      meta: { title: 'Import customers' },
    },
    {
      path: '/reminders',
      name: 'reminders',
      component: () => import('./pages/RemindersPage.vue'),
      meta: { title: 'Reminders' },
    },
    {
      path: '/bookings/new',
      name: 'new-booking',
      component: () => import('./pages/NewBookingPage.vue'),
      meta: { title: 'New booking' },
    },
    {
      path: '/bookings/:id(\\d+)',
      name: 'booking',
      component: () => import('./pages/BookingPage.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Booking' },
    },
    {
      path: '/catalogue',
      name: 'catalogue',
      component: () => import('./pages/CataloguePage.vue'),
      meta: { title: 'Catalogue' },
    },
    { path: '/reports', name: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { title: 'Reports' } },
    { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: 'Settings' } },
    { path: '/:pathMatch(.*)*', redirect: '/customers' },
  ],
})
