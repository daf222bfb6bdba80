// The frame around every page: a skip link, the header (product name, the
// signed-in email, Sign out), the navigation built from src/routes.js, and the
// main landmark. The nav is a sidebar on wide screens and a scrolling row of
// links at 360 px.
import { useLocation } from 'preact-iso/router';
import { useEffect, useState } from 'preact/hooks';
import { me, signOut } from '../lib/api.js';
import { nav } from '../routes.js';
import { useAction } from '../lib/forms.js';

function isCurrent(path, href) {
  if (href === '/') return path === '/' || path.startsWith('/keys');
  return path === href || path.startsWith(`${href}/`);
}

export function Layout({ children }) {
  const { path } = useLocation();
  const [user, setUser] = useState(null);
  const out = useAction();
  useEffect(() => {
    me().then(setUser, () => {});
  }, []);
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          vaultedge
        </a>
        <div class="account">
          {user && (
            <span class="muted account-email" data-testid="user-email">
              {user.email}
            </span>
          )}
          <button type="button" class="button-quiet" disabled={out.busy} onClick={() => out.run(signOut)}>
            Sign out
          </button>
          {out.error && (
            <span class="error" role="alert">
              {out.error.message}
            </span>
          )}
        </div>
      </header>
      <nav class="nav" aria-label="Main">
        <ul>
          {nav.map((p) => (
            <li key={p.path}>
              <a href={p.path} aria-current={isCurrent(path, p.path) ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
