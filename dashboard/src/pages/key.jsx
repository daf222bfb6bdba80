// Being built (issue 11).
import { Page } from '../components/page.jsx';

export default function KeyPage() {
  return (
    <Page title="Key">
      <p class="muted">Loading soon.</p>
    </Page>
  );
}
