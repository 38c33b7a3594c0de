// The asset inventory: a virtualised table over the server's pages, filtered and searched on the server (so 50,000
// assets cost what 100 do), filters kept in the address so a view can be shared.
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { withQuery, type Asset, type Counters } from '../api';
import { useApi, useDebounced, usePaged } from '../ui/hooks';
import { DataTable, type Column } from '../ui/DataTable';
import { Empty, ErrorBox } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { assetName, count, role, time } from '../ui/format';
import { ROLES } from '../../../src/common/vocabulary';


const COLUMNS: Column<Asset>[] = [
  { header: 'Name', width: 'minmax(10rem, 2fr)', render: (a) => assetName(a) },
  { header: 'IP', width: '8.5rem', render: (a) => <span className="mono">{a.ips[0] ?? '—'}{a.ips.length > 1 ? ` +${a.ips.length - 1}` : ''}</span> },
  { header: 'Role', width: '10rem', render: (a) => role(a.role) },
  { header: 'Level', width: '4rem', render: (a) => (a.purdue_level === null ? '—' : `L${a.purdue_level}`) },
  { header: 'Vendor', width: 'minmax(8rem, 1.3fr)', render: (a) => String(a.identity.vendor ?? a.mac_vendor ?? '—') },
  { header: 'Model', width: 'minmax(8rem, 1.3fr)', render: (a) => String(a.identity.model ?? a.identity.product ?? a.identity.device_type ?? '—') },
  { header: 'Firmware', width: '7rem', render: (a) => String(a.identity.firmware ?? '—') },
  { header: 'Protocols', width: 'minmax(8rem, 1.2fr)', render: (a) => [...new Set(a.protocols.map((p) => p.protocol))].join(', ') || '—' },
  { header: 'Criticality', width: '6.5rem', render: (a) => a.criticality },
  { header: 'Last seen', width: '10.5rem', render: (a) => time(a.last_seen) },
];

export function Assets() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim());
  const roleFilter = params.get('role') ?? '';
  const protocol = params.get('protocol') ?? '';
  const external = params.get('external') === 'true';
  const sort = params.get('sort') ?? 'last_seen';
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v === '') p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };
  const path = useMemo(() => withQuery('/api/assets', { q, role: roleFilter, protocol, external: external ? true : undefined, sort }), [q, roleFilter, protocol, external, sort]);
  const list = usePaged<Asset>(path, 200);
  const counters = useApi<Counters>('/api/counters');
  const total = counters.data?.summary?.inventory?.assets ?? null;
  const protocols = useMemo(() => Object.keys(counters.data?.summary?.protocols ?? {}).sort(), [counters.data]);
  const filtered = q !== '' || roleFilter !== '' || protocol !== '' || external;

  return (
    <>
      <PageTitle title="Assets" />
      <form className="filters" role="search" aria-label="Filter assets" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="name, IP, MAC, vendor, model…" size={28} />
        </label>
        <label>
          Role
          <select value={roleFilter} onChange={(e) => set('role', e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {role(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Protocol
          <select value={protocol} onChange={(e) => set('protocol', e.target.value)}>
            <option value="">Any protocol</option>
            {protocols.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select value={sort} onChange={(e) => set('sort', e.target.value)}>
            <option value="last_seen">Last seen</option>
            <option value="first_seen">First seen</option>
            <option value="id">Id</option>
          </select>
        </label>
        <label className="check">
          <span>
            <input type="checkbox" checked={external} onChange={(e) => set('external', e.target.checked ? 'true' : '')} /> External only
          </span>
        </label>
        <span className="count" role="status" aria-live="polite">
          {filtered ? `${count(list.items.length)}${list.more ? '+' : ''} matching` : `${count(total ?? list.items.length)} assets`}
        </span>
      </form>
      {list.error !== null ? (
        <ErrorBox error={list.error} retry={list.reload} />
      ) : !list.loading && list.items.length === 0 ? (
        <Empty>{filtered ? 'No asset matches these filters.' : 'No assets yet: upload a capture on the Captures page, or wait for the live sensor.'}</Empty>
      ) : (
        <DataTable
          label="Assets"
          rows={list.items}
          columns={COLUMNS}
          rowKey={(a) => a.id}
          more={list.more || (list.loading && list.items.length === 0)}
          loadMore={list.loadMore}
          total={filtered ? undefined : (total ?? undefined)}
          onActivate={(a) => navigate(`/assets/${encodeURIComponent(a.id)}`)}
        />
      )}
    </>
  );
}
