// DHCPv4 session: each UDP datagram is one message, described on its own (requests and replies usually travel on
// different flows: the client sends from 0.0.0.0 or to the broadcast address), with hints de-duplicated per flow.
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import type { AssetHintEvent } from '../operation.js';
import { DHCP_ANOMALIES } from './anomalies.js';
import { describeMessage, messageHints, type Side } from './describe.js';
import { parseMessage } from './parse.js';

const A = DHCP_ANOMALIES.codes;
export const MAX_REMEMBERED_HINTS = 256;

export class DhcpSession implements ProtocolSession {
  private readonly hinted = new Set<string>();

  constructor(private readonly ctx: SessionContext) {}

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (data.length === 0) return;
    const msg = parseMessage(data);
    if (msg === null) {
      this.ctx.anomaly(A.truncated_message);
      return;
    }
    for (const code of msg.anomalies) this.ctx.anomaly(code);
    const side: Side = dir === 0 ? 'client' : 'server';
    this.ctx.emit(describeMessage(msg.fields, side, ts));
    const senderIp = dir === 0 ? this.ctx.flow.client.ip : this.ctx.flow.server.ip;
    for (const h of messageHints(msg.fields, side, senderIp, ts)) this.hint(h);
  }

  onGap(): void {}

  onEnd(): void {}

  private hint(h: AssetHintEvent): void {
    let key = `${h.side}|${h.role ?? ''}|${h.subject?.mac ?? ''}|${h.subject?.ip ?? ''}`;
    if (h.names !== undefined) for (const n of h.names) key += `|${n.name}`;
    if (h.identity !== undefined) key += `|${h.identity.dhcp_vendor_class ?? ''}|${h.identity.dhcp_fingerprint ?? ''}`;
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_REMEMBERED_HINTS) {
      this.ctx.anomaly(A.hint_memory_cap);
      this.hinted.clear();
    }
    this.hinted.add(key);
    this.ctx.emit(h);
  }
}
