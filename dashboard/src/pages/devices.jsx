// Placeholder: this page is built on the scaffold by another change (issue 11).
import { Page } from '../components/page.jsx';

export default function DevicesPage() {
  return (
    <Page title="Devices">
      <p class="muted">This page is not built yet.</p>
    </Page>
  );
}
