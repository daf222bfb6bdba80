// Being built (issue 11).
import { Page } from '../components/page.jsx';

export default function TokensPage() {
  return (
    <Page title="Tokens">
      <p class="muted">Loading soon.</p>
    </Page>
  );
}
