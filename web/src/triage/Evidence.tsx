// Evidence pcaps to download (the session cookie goes with a plain link): an alert's own packets, or an incident's
// (first seen − 60 s to last seen + 60 s, the host pairs its alerts name); and a host shown as a link to its asset.
import { Link } from 'react-router';
import { withQuery, type Asset, type Incident, type Page } from '../api';
import { useApi } from '../ui/hooks';
import { assetName, role } from '../ui/format';

/** Seconds of capture time around an incident's first and last sighting (the alert route's default margin). */
export const EVIDENCE_MARGIN_SECONDS = 60;
const MAX_WINDOW_SECONDS = 7 * 86400;

export function alertPcapUrl(id: string): string {
  return `/api/alerts/${encodeURIComponent(id)}/pcap`;
}

export function incidentPcapUrl(i: Pick<Incident, 'id'>): string {
  return `/api/incidents/${encodeURIComponent(i.id)}/pcap`;
}

export function AlertEvidenceLink({ id }: { id: string }) {
  return (
    <a className="button" href={alertPcapUrl(id)} download>
      Download evidence (pcap)
    </a>
  );
}

export function IncidentEvidence({ incident }: { incident: Incident }) {
  const span = incident.last_seen - incident.first_seen + 2 * EVIDENCE_MARGIN_SECONDS;
  if (span > MAX_WINDOW_SECONDS) {
    return <p className="muted">The incident spans more than 7 days of capture time: download the evidence of its alerts one by one from their pages.</p>;
  }
  return (
    <>
      <a className="button" href={incidentPcapUrl(incident)} download>
        Download evidence (pcap)
      </a>
      <p className="muted small-note">
        Packets between the hosts its alerts name, from a minute before its first alert to a minute after its last, as
        pcapng (open it in Wireshark).
      </p>
    </>
  );
}

/** An IP address as a link to its asset (resolved by address), or to the asset search when none has it. */
export function HostLink({ ip }: { ip: string }) {
  const found = useApi<Page<Asset>>(withQuery('/api/assets', { ip, limit: 1 }));
  const a = found.data?.items[0];
  if (a === undefined) {
    return (
      <Link to={withQuery('/assets', { q: ip })} className="mono">
        {ip}
      </Link>
    );
  }
  const name = assetName(a);
  return (
    <Link to={`/assets/${encodeURIComponent(a.id)}`}>
      <span className="mono">{ip}</span>
      {name !== ip ? ` · ${name}` : ''} <span className="muted">({role(a.role)})</span>
    </Link>
  );
}
