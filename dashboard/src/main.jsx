// The dashboard's entry: the stylesheet, the router over src/routes.js inside
// the layout, the status region. Pages load lazily (their own chunks); while a
// page's chunk loads, the previous page stays on screen (preact-iso's Router).
import { render } from 'preact';
import { ErrorBoundary } from 'preact-iso/lazy';
import { LocationProvider, Route, Router } from 'preact-iso/router';
import { Layout } from './components/layout.jsx';
import { StatusProvider } from './components/status.jsx';
import { NotFound, pages } from './routes.js';
import { me } from './lib/api.js';
import './styles/main.css';

function App() {
  return (
    <LocationProvider>
      <StatusProvider>
        <Layout>
          <ErrorBoundary>
            <Router>
              {pages.map((p) => (
                <Route key={p.path} path={p.path} component={p.component} />
              ))}
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </StatusProvider>
    </LocationProvider>
  );
}

// Ask who is signed in before drawing anything: a signed-out visitor goes
// straight to the sign-in page (api.js) instead of seeing an empty frame.
me().then(
  () => render(<App />, document.getElementById('app')),
  (e) => {
    const root = document.getElementById('app');
    root.textContent = '';
    const p = document.createElement('p');
    p.className = 'boot-error';
    p.setAttribute('role', 'alert');
    p.textContent = `The dashboard could not start: ${e.message}`;
    root.appendChild(p);
  },
);
