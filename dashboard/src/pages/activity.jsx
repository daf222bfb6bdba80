// Being built (issue 11).
import { Page } from '../components/page.jsx';

export default function ActivityPage() {
  return (
    <Page title="Activity">
      <p class="muted">Loading soon.</p>
    </Page>
  );
}
