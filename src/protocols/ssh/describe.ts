// SSH banners → one `banner` transaction per connection and software hints (docs/protocols/ssh.md).
import { latencyMs, type AssetHintEvent, type TransactionEvent } from '../operation.js';
import type { SshBanner, SshFields } from './types.js';

export const PROTOCOL_ID = 'ssh';

export function describeBanners(client: SshBanner | null, clientTs: number, server: SshBanner | null, serverTs: number): TransactionEvent {
  const ssh: SshFields = {};
  if (client !== null) ssh.client_banner = client.text;
  if (server !== null) ssh.server_banner = server.text;
  const clientFirst = client !== null && (server === null || clientTs <= serverTs);
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: clientFirst ? clientTs : serverTs,
    operation: { code: 0, name: 'banner', access: 'other' },
    target: {},
    outcome: server !== null ? 'ok' : 'no_response',
    latency_ms: client !== null && server !== null ? Math.abs(latencyMs(clientTs, serverTs)) : null,
    origin: clientFirst ? 'client' : 'server',
    ssh,
  };
}

export function bannerHint(side: 'client' | 'server', banner: SshBanner, ts: number): AssetHintEvent | null {
  if (banner.software === '') return null;
  const hint: AssetHintEvent = { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, identity: { software: banner.software }, source: 'ssh_banner' };
  return side === 'server' ? { ...hint, role: 'ssh_server' } : hint;
}
