// The dashboard's pages: one entry per route. Each page module is imported
// lazily, so esbuild makes it its own chunk (dashboard/build.mjs measures each
// page's first load from these chunks). To add a page: write
// src/pages/<name>.jsx (default export: the page component), add it here, and,
// if it belongs in the navigation, give it a `label`. The Worker-owned
// prefixes (wrangler.toml run_worker_first) cannot be page paths.
import lazy from 'preact-iso/lazy';

/**
 * @typedef {{path: string, label?: string, component: any}} PageRoute
 * label: shown in the navigation (in this order); absent: not in the nav
 */

/** @type {PageRoute[]} */
export const pages = [
  { path: '/', label: 'Keys', component: lazy(() => import('./pages/keys.jsx')) },
  { path: '/keys/:id', component: lazy(() => import('./pages/key.jsx')) },
  { path: '/tokens', label: 'Tokens', component: lazy(() => import('./pages/tokens.jsx')) },
  { path: '/activity', label: 'Activity', component: lazy(() => import('./pages/activity.jsx')) },
  { path: '/devices', label: 'Devices', component: lazy(() => import('./pages/devices.jsx')) },
  { path: '/apps', label: 'Connected apps', component: lazy(() => import('./pages/apps.jsx')) },
  { path: '/doctor', label: 'Health', component: lazy(() => import('./pages/doctor.jsx')) },
  { path: '/connect', label: 'Connect an AI client', component: lazy(() => import('./pages/connect.jsx')) },
  { path: '/account', label: 'Account', component: lazy(() => import('./pages/account.jsx')) },
];

/** The navigation: the pages that have a label. */
export const nav = pages.filter((p) => p.label).map((p) => ({ path: p.path, label: p.label }));

/** Shown for a path no page claims. */
export const NotFound = lazy(() => import('./pages/not-found.jsx'));
