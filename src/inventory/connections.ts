// The communication map's edges: client → server per protocol, transport and server port, with flows, packets, bytes,
// first and last seen, and a histogram of the operations the protocol modules described. Stored column-wise in typed
// arrays behind an open-addressing index, so half a million edges cost tens of megabytes, not hundreds.
import type { Access } from '../protocols/operation.js';

export const TRANSPORTS = ['tcp', 'udp', 'icmp', 'icmp6', 'ip'] as const;
export type EdgeTransport = (typeof TRANSPORTS)[number];

export interface OperationCount {
  readonly name: string;
  readonly access: Access;
  count: number;
  exceptions: number;
  no_response: number;
  /** Sent by the server side unprompted (unsolicited responses, spontaneous IEC 104 data, I-Am broadcasts). */
  from_server: number;
}

/** Distinct operation names kept per edge; further names are counted under `other_operations`. */
export const MAX_OPERATIONS_PER_EDGE = 64;
const MAX_PROTOCOL_NAMES = 4096;
const INITIAL_CAPACITY = 1024;

export interface EdgeCounters {
  created: number;
  evicted: number;
  operationsCapped: number;
}

export interface EdgeStats {
  flows: number;
  packetsToServer: number;
  packetsToClient: number;
  bytesToServer: number;
  bytesToClient: number;
  first: number;
  last: number;
}

export interface EdgeView extends EdgeStats {
  readonly client: string;
  readonly server: string;
  readonly protocol: string;
  readonly transport: EdgeTransport;
  readonly port: number;
  readonly vlan: number;
  readonly operations: readonly OperationCount[];
  readonly otherOperations: number;
  /** Changed since the change marks were last cleared (the store's delta flush). */
  readonly changed: boolean;
}

export class EdgeTable {
  readonly counters: EdgeCounters = { created: 0, evicted: 0, operationsCapped: 0 };
  private readonly nodeIds = new Map<string, number>();
  private nodeNames: string[] = [];
  private readonly protocolIds = new Map<string, number>();
  private readonly protocolNames: string[] = [];
  private count = 0;
  private capacity = 0;
  private client = new Uint32Array(0);
  private server = new Uint32Array(0);
  /** protocol id << 19 | transport << 16 | port */
  private meta = new Uint32Array(0);
  private vlan = new Uint16Array(0);
  private flows = new Float64Array(0);
  private pktS = new Float64Array(0);
  private pktC = new Float64Array(0);
  private bytS = new Float64Array(0);
  private bytC = new Float64Array(0);
  private first = new Float64Array(0);
  private last = new Float64Array(0);
  /** 1 when the edge changed since `clearChanges()`. */
  private changed = new Uint8Array(0);
  /** Index slots: edge index + 1, 0 = empty. */
  private slots = new Int32Array(0);
  private ops = new Map<number, { list: OperationCount[]; other: number }>();
  /** Live flows' edges, so a flow's events do not rebuild the key. Cleared when indices move. */
  private readonly byFlow = new Map<number, number>();

  constructor(readonly maxEdges = 500_000) {
    this.grow(Math.min(INITIAL_CAPACITY, maxEdges));
  }

  get size(): number {
    return this.count;
  }

  /** The edge's index, created when new (its times start at `ts`). */
  edge(client: string, server: string, protocol: string, transport: EdgeTransport, port: number, vlan: number, ts: number): number {
    const c = this.node(client);
    const s = this.node(server);
    const m = ((this.protocolId(protocol) << 19) | (TRANSPORTS.indexOf(transport) << 16) | (port & 0xffff)) >>> 0;
    let slot = this.hash(c, s, m) & (this.slots.length - 1);
    for (;;) {
      const e = this.slots[slot] - 1;
      if (e < 0) break;
      if (this.client[e] === c && this.server[e] === s && this.meta[e] === m) {
        if (ts < this.first[e]) this.first[e] = ts;
        if (ts > this.last[e]) this.last[e] = ts;
        this.changed[e] = 1;
        return e;
      }
      slot = (slot + 1) & (this.slots.length - 1);
    }
    if (this.count >= this.capacity) {
      if (this.capacity >= this.maxEdges) this.evict();
      else this.grow(Math.min(this.capacity * 2, this.maxEdges));
      return this.edge(client, server, protocol, transport, port, vlan, ts);
    }
    const e = this.count++;
    this.client[e] = c;
    this.server[e] = s;
    this.meta[e] = m;
    this.vlan[e] = vlan;
    this.flows[e] = this.pktS[e] = this.pktC[e] = this.bytS[e] = this.bytC[e] = 0;
    this.first[e] = this.last[e] = ts;
    this.changed[e] = 1;
    this.slots[slot] = e + 1;
    this.counters.created++;
    return e;
  }

  /** The index of an existing edge, or -1 (never creates). */
  find(client: string, server: string, protocol: string, transport: EdgeTransport, port: number): number {
    const c = this.nodeIds.get(client);
    const s = this.nodeIds.get(server);
    const p = this.protocolIds.get(protocol);
    if (c === undefined || s === undefined || p === undefined) return -1;
    const m = ((p << 19) | (TRANSPORTS.indexOf(transport) << 16) | (port & 0xffff)) >>> 0;
    for (let slot = this.hash(c, s, m) & (this.slots.length - 1); ; slot = (slot + 1) & (this.slots.length - 1)) {
      const e = this.slots[slot] - 1;
      if (e < 0) return -1;
      if (this.client[e] === c && this.server[e] === s && this.meta[e] === m) return e;
    }
  }

  /** The edge of a live flow, remembered until the flow ends. */
  edgeOfFlow(flowId: number, client: string, server: string, protocol: string, transport: EdgeTransport, port: number, vlan: number, ts: number): number {
    const known = this.byFlow.get(flowId);
    if (known !== undefined) {
      if (ts > this.last[known]) this.last[known] = ts;
      this.changed[known] = 1;
      return known;
    }
    const e = this.edge(client, server, protocol, transport, port, vlan, ts);
    this.byFlow.set(flowId, e);
    return e;
  }

  /** A flow ended: its counts go to its edge. */
  addFlow(flowId: number, client: string, server: string, protocol: string, transport: EdgeTransport, port: number, vlan: number, s: EdgeStats): void {
    let e = this.byFlow.get(flowId);
    this.byFlow.delete(flowId);
    e ??= this.edge(client, server, protocol, transport, port, vlan, s.first);
    this.changed[e] = 1;
    this.flows[e] += s.flows;
    this.pktS[e] += s.packetsToServer;
    this.pktC[e] += s.packetsToClient;
    this.bytS[e] += s.bytesToServer;
    this.bytC[e] += s.bytesToClient;
    if (s.first < this.first[e]) this.first[e] = s.first;
    if (s.last > this.last[e]) this.last[e] = s.last;
  }

  addOperation(e: number, name: string, access: Access, outcome: string, fromServer: boolean): void {
    this.changed[e] = 1;
    let h = this.ops.get(e);
    if (h === undefined) this.ops.set(e, (h = { list: [], other: 0 }));
    let op: OperationCount | undefined;
    for (const o of h.list) {
      if (o.name === name) {
        op = o;
        break;
      }
    }
    if (op === undefined) {
      if (h.list.length >= MAX_OPERATIONS_PER_EDGE) {
        h.other++;
        this.counters.operationsCapped++;
        return;
      }
      h.list.push((op = { name, access, count: 0, exceptions: 0, no_response: 0, from_server: 0 }));
    }
    op.count++;
    if (fromServer) op.from_server++;
    if (outcome === 'exception') op.exceptions++;
    else if (outcome === 'no_response') op.no_response++;
  }

  /** Every edge, as a read-only view (built per call: for snapshots and exports, not the hot path). */
  *views(): IterableIterator<EdgeView> {
    for (let e = 0; e < this.count; e++) yield this.view(e);
  }

  /** One edge as a read-only view (built per call). */
  view(e: number): EdgeView {
    const m = this.meta[e];
    const h = this.ops.get(e);
    return {
      client: this.nodeNames[this.client[e]],
      server: this.nodeNames[this.server[e]],
      protocol: this.protocolNames[m >>> 19],
      transport: TRANSPORTS[(m >>> 16) & 7],
      port: m & 0xffff,
      vlan: this.vlan[e],
      flows: this.flows[e],
      packetsToServer: this.pktS[e],
      packetsToClient: this.pktC[e],
      bytesToServer: this.bytS[e],
      bytesToClient: this.bytC[e],
      first: this.first[e],
      last: this.last[e],
      operations: h?.list ?? [],
      otherOperations: h?.other ?? 0,
      changed: this.changed[e] === 1,
    };
  }

  /** Forgets the change marks once the records are written. */
  clearChanges(): void {
    this.changed.fill(0, 0, this.count);
  }

  /** Bytes held by the columns and index (the benchmark's figure; maps of names and operations come on top). */
  get columnBytes(): number {
    return this.capacity * (4 * 3 + 2 + 1 + 8 * 7) + this.slots.byteLength;
  }

  private node(ip: string): number {
    let id = this.nodeIds.get(ip);
    if (id === undefined) {
      id = this.nodeNames.length;
      this.nodeNames.push(ip);
      this.nodeIds.set(ip, id);
    }
    return id;
  }

  private protocolId(name: string): number {
    let id = this.protocolIds.get(name);
    if (id === undefined) {
      if (this.protocolNames.length >= MAX_PROTOCOL_NAMES) return this.protocolId('other');
      id = this.protocolNames.length;
      this.protocolNames.push(name);
      this.protocolIds.set(name, id);
    }
    return id;
  }

  private hash(c: number, s: number, m: number): number {
    let h = Math.imul(c ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ s ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ m ^ (h >>> 16), 0x27d4eb2f);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private grow(capacity: number): void {
    const copy = <T extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const a = make(capacity);
      a.set(old.subarray(0, this.count) as never);
      return a;
    };
    this.client = copy(this.client, (n) => new Uint32Array(n));
    this.server = copy(this.server, (n) => new Uint32Array(n));
    this.meta = copy(this.meta, (n) => new Uint32Array(n));
    this.vlan = copy(this.vlan, (n) => new Uint16Array(n));
    this.flows = copy(this.flows, (n) => new Float64Array(n));
    this.pktS = copy(this.pktS, (n) => new Float64Array(n));
    this.pktC = copy(this.pktC, (n) => new Float64Array(n));
    this.bytS = copy(this.bytS, (n) => new Float64Array(n));
    this.bytC = copy(this.bytC, (n) => new Float64Array(n));
    this.first = copy(this.first, (n) => new Float64Array(n));
    this.last = copy(this.last, (n) => new Float64Array(n));
    this.changed = copy(this.changed, (n) => new Uint8Array(n));
    this.capacity = capacity;
    this.rehash();
  }

  private rehash(): void {
    let size = 1;
    while (size < this.capacity * 2) size <<= 1;
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = this.hash(this.client[e], this.server[e], this.meta[e]) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = e + 1;
    }
  }

  /** At the cap, the tenth of edges seen least recently are dropped (counted) and the columns compacted. */
  private evict(): void {
    const n = this.count;
    const order = new Float64Array(this.last.subarray(0, n)).sort();
    const cut = order[Math.max(0, Math.floor(n / 10) - 1)];
    let dropped = 0;
    let w = 0;
    const ops = new Map<number, { list: OperationCount[]; other: number }>();
    const budget = Math.max(1, Math.floor(n / 10));
    for (let e = 0; e < n; e++) {
      if (this.last[e] <= cut && dropped < budget) {
        dropped++;
        continue;
      }
      if (w !== e) {
        this.client[w] = this.client[e];
        this.server[w] = this.server[e];
        this.meta[w] = this.meta[e];
        this.vlan[w] = this.vlan[e];
        this.flows[w] = this.flows[e];
        this.pktS[w] = this.pktS[e];
        this.pktC[w] = this.pktC[e];
        this.bytS[w] = this.bytS[e];
        this.bytC[w] = this.bytC[e];
        this.first[w] = this.first[e];
        this.last[w] = this.last[e];
        this.changed[w] = this.changed[e];
      }
      const h = this.ops.get(e);
      if (h !== undefined) ops.set(w, h);
      w++;
    }
    this.count = w;
    this.ops = ops;
    this.byFlow.clear();
    this.counters.evicted += dropped;
    this.rehash();
    this.compactNodes();
  }

  /** Drops node names no edge uses any more (long live runs would otherwise grow the name table forever). */
  private compactNodes(): void {
    if (this.nodeNames.length < this.count * 4) return;
    const remap = new Map<number, number>();
    const names: string[] = [];
    const map = (id: number): number => {
      let n = remap.get(id);
      if (n === undefined) {
        n = names.length;
        names.push(this.nodeNames[id]);
        remap.set(id, n);
      }
      return n;
    };
    for (let e = 0; e < this.count; e++) {
      this.client[e] = map(this.client[e]);
      this.server[e] = map(this.server[e]);
    }
    this.nodeNames = names;
    this.nodeIds.clear();
    names.forEach((name, i) => this.nodeIds.set(name, i));
    this.rehash();
  }
}
