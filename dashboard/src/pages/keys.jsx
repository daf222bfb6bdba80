// Being built (issue 11).
import { Page } from '../components/page.jsx';

export default function KeysPage() {
  return (
    <Page title="Keys">
      <p class="muted">Loading soon.</p>
    </Page>
  );
}
