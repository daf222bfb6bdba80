// Devices: the computers where the apilocker CLI is registered (GET
// /v1/devices), each holding a master token that can do everything the user
// can; revoke one (POST /v1/devices/:id/revoke) after a confirmation. A
// browser session is not a device, so in the dashboard no row is "this
// device" (the API marks `current` only for a device's own token).
import { useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Table } from '../components/table.jsx';
import { TimeCell } from '../components/time.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { ConfirmAction } from '../components/confirm-action.jsx';
import { useStatus } from '../components/status.jsx';
import { useResource } from '../lib/resource.js';
import { post } from '../lib/api.js';

/** "Linux 6.8", "darwin", or null when the CLI sent nothing. */
function platformText(d) {
  return [d.platform, d.platform_version].filter(Boolean).join(' ') || null;
}

function DeviceRow({ device: d, onRevoke }) {
  return (
    <tr>
      <td>
        <strong>{d.name || d.hostname || d.id}</strong>
        {d.current && (
          <>
            {' '}
            <span class="badge badge-ok">this device</span>
          </>
        )}
        {d.hostname && d.hostname !== d.name && <div class="muted">{d.hostname}</div>}
      </td>
      <td>{platformText(d) || <span class="muted">unknown</span>}</td>
      <td>{d.cli_version ? <code>{d.cli_version}</code> : <span class="muted">unknown</span>}</td>
      <TimeCell iso={d.created_at} />
      <TimeCell iso={d.last_used_at} />
      <td>
        <button type="button" class="button-small button-danger" onClick={() => onRevoke(d)}>
          Revoke
        </button>
      </td>
    </tr>
  );
}

export default function DevicesPage() {
  const { data, error, loading, reload, setData } = useResource('/v1/devices');
  const [revoking, setRevoking] = useState(null);
  const { say } = useStatus();
  const devices = data?.devices || [];

  const revoke = async () => {
    const d = revoking;
    await post(`/v1/devices/${encodeURIComponent(d.id)}/revoke`);
    // Only after the server said yes: drop the row.
    setData({ ...data, devices: devices.filter((x) => x.id !== d.id) });
    say(`Device ${d.name} revoked`);
  };

  return (
    <Page
      title="Devices"
      lead={
        <p>
          Computers where the <code>apilocker</code> CLI is registered. Each holds a master token that can do everything you
          can. This browser is signed in with a session, not a device token, so none of these devices is this browser.
        </p>
      }
    >
      {error && !data && <LoadError error={error} onRetry={reload} />}
      {loading && !data && <Loading what="Loading devices" />}
      {data && devices.length === 0 && (
        <Empty title="No CLI devices are registered">
          <p>
            Register one with <code>apilocker register --url {location.origin}</code> and approve the code in this browser.
          </p>
        </Empty>
      )}
      {devices.length > 0 && (
        <Table caption="CLI devices" columns={['Device', 'Platform', 'CLI version', 'Registered', 'Last used', 'Actions']}>
          {devices.map((d) => (
            <DeviceRow key={d.id} device={d} onRevoke={setRevoking} />
          ))}
        </Table>
      )}
      <ConfirmAction
        open={revoking !== null}
        title="Revoke this device?"
        action="Revoke"
        what={
          revoking && (
            <p>
              <strong>{revoking.name}</strong> loses its master token at its next request: the CLI there (and any{' '}
              <code>apilocker mcp</code> bridge it runs) is refused until you register it again. Your keys stay as they are.
            </p>
          )
        }
        onConfirm={revoke}
        onClose={() => setRevoking(null)}
      />
    </Page>
  );
}
