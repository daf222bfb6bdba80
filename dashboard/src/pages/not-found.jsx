// A dashboard path that no page claims.
import { Page } from '../components/page.jsx';

export default function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no dashboard page at this address. <a href="/">Go to your keys</a>.
      </p>
    </Page>
  );
}
