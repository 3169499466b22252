import { createRouter, createWebHashHistory } from 'vue-router'
import { firstReport, isReportKind } from './components/reports/report-text'

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
      path: '/bookings',
      name: 'bookings',
      component: () => import('./pages/BookingsPage.vue'),
      meta: { title: 'Bookings' },
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
      path: '/collections',
      name: 'collections',
      component: () => import('./pages/CollectionsPage.vue'),
      meta: { title: 'Collections due' },
    },
    {
      path: '/catalogue',
      name: 'catalogue',
      component: () => import('./pages/CataloguePage.vue'),
      meta: { title: 'Catalogue' },
    },
    {
      path: '/reports',
      component: () => import('./pages/ReportsPage.vue'),
      meta: { title: 'Reports' },
      children: [
        { path: '', name: 'reports', redirect: (to) => ({ name: 'report', params: { report: firstReport }, query: to.query }) },
        {
          path: 'brochure-requests',
          name: 'brochure-requests',
          component: () => import('./pages/BrochureRequestsPage.vue'),
          meta: { title: 'Brochure requests' },
        },
        {
          path: ':report',
          name: 'report',
          component: () => import('./pages/ReportPage.vue'),
          props: (route) => ({ report: route.params['report'] }),
          // An unknown report name (an old link) opens the first report instead.
          beforeEnter: (to) => (isReportKind(to.params['report']) ? true : { name: 'report', params: { report: firstReport }, query: to.query }),
          meta: { title: 'Reports' },
        },
      ],
    },
    { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: 'Settings' } },
    { path: '/:pathMatch(.*)*', redirect: '/customers' },
  ],
})
