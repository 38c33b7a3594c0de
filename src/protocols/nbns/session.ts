// NetBIOS name service session: one message per UDP datagram; unicast requests (to a WINS server, node status) are
// paired with responses by transaction id; broadcast requests are lone messages, answered on other flows.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import type { AssetHintEvent } from '../operation.js';
import { NBNS_ANOMALIES } from './anomalies.js';
import { OPCODE_WACK } from './codes.js';
import { describeTransaction, nameHints, type Side } from './describe.js';
import { HEADER_LENGTH, parseMessage } from './parse.js';
import type { NbnsMessage } from './types.js';

const A = NBNS_ANOMALIES.codes;
export const MAX_REMEMBERED_HINTS = 256;

interface PendingRequest {
  readonly msg: NbnsMessage;
  readonly side: Side;
}

export class NbnsSession implements ProtocolSession {
  private readonly pending: PendingRequests<PendingRequest>;
  private readonly hinted = new Set<string>();

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<PendingRequest>((r, ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      else if (why === 'replaced') ctx.anomaly(A.duplicate_transaction_id);
      ctx.emit(describeTransaction(r.msg, ts, r.side, null, 0, r.side, false));
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (data.length === 0) return;
    if (data.length < HEADER_LENGTH) {
      this.ctx.anomaly(A.truncated_message);
      return;
    }
    const msg = parseMessage(data, 0, data.length);
    for (const code of msg.anomalies) this.ctx.anomaly(code);
    const side: Side = dir === 0 ? 'client' : 'server';
    this.pending.expire(ts);
    if (!msg.response) {
      if (msg.broadcast) this.ctx.emit(describeTransaction(msg, ts, side, null, 0, side, true));
      else this.pending.add(msg.trnId, { msg, side }, ts);
    } else if (msg.opcode !== OPCODE_WACK) {
      const entry = this.pending.take(msg.trnId);
      if (entry === undefined) this.ctx.emit(describeTransaction(null, 0, side, msg, ts, side, false));
      else this.ctx.emit(describeTransaction(entry.request.msg, entry.ts, entry.request.side, msg, ts, side, false));
    }
    const senderIp = dir === 0 ? this.ctx.flow.client.ip : this.ctx.flow.server.ip;
    for (const h of nameHints(msg, side, senderIp, ts)) this.hint(h);
  }

  onGap(): void {}

  onEnd(_ts: number): void {
    this.pending.drain();
  }

  private hint(h: AssetHintEvent): void {
    let key = `${h.side}|${h.subject?.ip ?? ''}|${h.subject?.mac ?? ''}`;
    if (h.names !== undefined) for (const n of h.names) key += `|${n.name}`;
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_REMEMBERED_HINTS) {
      this.ctx.anomaly(A.hint_memory_cap);
      this.hinted.clear();
    }
    this.hinted.add(key);
    this.ctx.emit(h);
  }
}
