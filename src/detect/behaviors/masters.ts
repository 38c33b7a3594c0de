// Which clients are a device's established masters: the ones that have talked to it for MASTER_AFTER_SEC or more.
// Shared by the detections that judge a request by who sends it (commands, IEC 104 STARTDT/STOPDT). Capped.
import type { TransactionRecord } from '../../pipeline/detail.js';

/** A client talking to a device this long (capture seconds) is one of its masters. */
export const MASTER_AFTER_SEC = 60;
const MAX_SERVERS = 50_000;
const MAX_CLIENTS_PER_SERVER = 64;

export class MasterTable {
  /** server → client → time of its first transaction. */
  private readonly seen = new Map<string, Map<string, number>>();

  /** Records the transaction's client; returns how long it has talked to the server (0 when first seen or untracked). */
  see(t: TransactionRecord): number {
    let clients = this.seen.get(t.server.ip);
    if (clients === undefined) {
      if (this.seen.size >= MAX_SERVERS) return 0;
      this.seen.set(t.server.ip, (clients = new Map()));
    }
    const first = clients.get(t.client.ip);
    if (first !== undefined) return t.ts - first;
    if (clients.size < MAX_CLIENTS_PER_SERVER) clients.set(t.client.ip, t.ts);
    return 0;
  }

  /** The server's established masters at `ts`, other than `except`. */
  masters(server: string, except: string, ts: number): string[] {
    const out: string[] = [];
    for (const [ip, since] of this.seen.get(server) ?? []) if (ip !== except && ts - since >= MASTER_AFTER_SEC) out.push(ip);
    return out;
  }
}
