import { createRouter, createWebHashHistory, type RouteLocationNormalized, type RouteLocationRaw } from 'vue-router'
import type { StaffRole } from '../../preload/contract'
import { firstReport, isReportKind } from './components/reports/report-text'
import { useSessionStore } from './stores/session'
// The desk's home screen, loaded with the app: the other screens load when first opened.
import CustomersPage from './pages/CustomersPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    /** The least role that uses the screen (default staff); main refuses every call beyond the role regardless. */
    need?: StaffRole
  }
}

/** Hash history: in Electron the page is one file, app://frontdesk/index.html; routes live after the #. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/customers' },
    {
      path: '/customers',
      name: 'customers',
      component: CustomersPage,
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
      meta: { title: 'Import customers', need: 'admin' },
    },
    {
      path: '/reminders',
      name: 'reminders',
      component: () => import('./pages/RemindersPage.vue'),
      meta: { title: 'Reminders' },
    },
    {
      path: '/outbox',
      name: 'outbox',
      component: () => import('./pages/OutboxPage.vue'),
      meta: { title: 'Outbox' },
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
    { path: '/staff', name: 'staff', component: () => import('./pages/StaffPage.vue'), meta: { title: 'Staff', need: 'admin' } },
    // A service crew's own screens: customers' contact details and the bookings they are sent to.
    { path: '/contacts', name: 'contacts', component: () => import('./pages/ContactsPage.vue'), meta: { title: 'Customers', need: 'team' } },
    { path: '/my-bookings', name: 'my-bookings', component: () => import('./pages/MyBookingsPage.vue'), meta: { title: 'My bookings', need: 'team' } },
    { path: '/:pathMatch(.*)*', redirect: '/customers' },
  ],
})

/** Whether a role uses this screen. */
export function routeAllows(route: Pick<RouteLocationNormalized, 'meta'>, allows: (need: StaffRole) => boolean): boolean {
  return allows(route.meta.need ?? 'staff')
}

/** Where each role starts: a service crew with the bookings they are sent to, everyone else with the customers. */
export function homeFor(role: StaffRole): RouteLocationRaw {
  return role === 'team' ? { name: 'my-bookings' } : { name: 'customers' }
}

// An address the role does not use (a link, the menu) opens the role's first screen; until someone is signed in, the sign-in screen covers whatever is there.
router.beforeEach((to) => {
  const session = useSessionStore()
  if (!session.role || routeAllows(to, session.allows)) return true
  return homeFor(session.role)
})
