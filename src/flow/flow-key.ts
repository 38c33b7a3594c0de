// Canonical bidirectional flow key, computed in place from a Packet (no allocation): protocol and VLAN ids, then the
// lower endpoint (address, then port) as A and the higher as B, so both directions of a conversation give one key.
// Numbers and a hash rather than a string key in a Map: building a key string and hashing it per packet cost more
// than the rest of the lookup (and made garbage); the index below compares the fields the flow keeps.

import { IPPROTO, L3, type Packet } from '../decode/packet.js';

/** The key fields a flow keeps, to be compared with a FlowKey. */
export interface KeyedFlow {
  readonly tag: number;
  readonly ports: number;
  readonly a4: number;
  readonly b4: number;
  /** IPv6 flows: the 16 bytes of A then the 16 bytes of B; null for IPv4. */
  readonly addr6: Uint8Array | null;
}

/**
 * Per-process random seed: the hash function is public, so without a secret seed hostile traffic could aim every
 * flow at one bucket and turn each lookup into a scan of the table.
 */
const HASH_SEED = (Math.random() * 0x100000000) | 0;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0xcc9e2d51);
  return (h << 15) | (h >>> 17);
}

/** One reusable key: set() fills it from a packet. */
export class FlowKey {
  /** True when the packet's source is endpoint A. */
  srcIsA = true;
  /** IP protocol + outer VLAN * 2^8 + inner VLAN * 2^20. */
  tag = 0;
  /** Port of A * 2^16 + port of B (0 for protocols without ports). */
  ports = 0;
  ipv6 = false;
  /** IPv4 addresses of A and B (unsigned). */
  a4 = 0;
  b4 = 0;
  /** IPv6: the buffer and offsets of A's and B's addresses (borrowed from the packet). */
  addrBuf: Uint8Array = EMPTY;
  aOff = 0;
  bOff = 0;
  hash = 0;

  /** False when the packet has no IPv4/IPv6 layer to key on. */
  set(pkt: Packet): boolean {
    const proto = pkt.l4 !== 0 ? pkt.l4 : pkt.ipProto;
    const ported = proto === IPPROTO.TCP || proto === IPPROTO.UDP;
    const sp = ported ? pkt.srcPort : 0;
    const dp = ported ? pkt.dstPort : 0;
    const tag = proto + (pkt.vlanOuter & 0xfff) * 0x100 + (pkt.vlanInner & 0xfff) * 0x100000;
    this.tag = tag;
    let h = mix(HASH_SEED, tag | 0);
    let srcIsA: boolean;
    if (pkt.l3 === L3.IPV4) {
      const s = pkt.src4 >>> 0;
      const d = pkt.dst4 >>> 0;
      srcIsA = s < d || (s === d && sp <= dp);
      const a = srcIsA ? s : d;
      const b = srcIsA ? d : s;
      this.ipv6 = false;
      this.a4 = a;
      this.b4 = b;
      h = mix(mix(h, a | 0), b | 0);
    } else if (pkt.l3 === L3.IPV6) {
      const buf = pkt.addrBuf;
      const so = pkt.src6Off;
      const dO = pkt.dst6Off;
      let cmp = 0;
      for (let i = 0; i < 16 && cmp === 0; i++) cmp = buf[so + i] - buf[dO + i];
      srcIsA = cmp < 0 || (cmp === 0 && sp <= dp);
      const a = srcIsA ? so : dO;
      const b = srcIsA ? dO : so;
      this.ipv6 = true;
      this.addrBuf = buf;
      this.aOff = a;
      this.bOff = b;
      for (let i = 0; i < 16; i += 4) {
        h = mix(h, (buf[a + i] << 24) | (buf[a + i + 1] << 16) | (buf[a + i + 2] << 8) | buf[a + i + 3]);
        h = mix(h, (buf[b + i] << 24) | (buf[b + i + 1] << 16) | (buf[b + i + 2] << 8) | buf[b + i + 3]);
      }
    } else {
      return false;
    }
    this.srcIsA = srcIsA;
    const ports = srcIsA ? sp * 0x10000 + dp : dp * 0x10000 + sp;
    this.ports = ports;
    h = mix(h, ports | 0);
    // Final avalanche (murmur3 fmix32), so the low bits index the table well.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    this.hash = (h ^ (h >>> 16)) | 0;
    return true;
  }

  matches(f: KeyedFlow): boolean {
    if (f.tag !== this.tag || f.ports !== this.ports) return false;
    const a6 = f.addr6;
    if (!this.ipv6) return a6 === null && f.a4 === this.a4 && f.b4 === this.b4;
    if (a6 === null) return false;
    const buf = this.addrBuf;
    const a = this.aOff;
    const b = this.bOff;
    for (let i = 0; i < 16; i++) if (a6[i] !== buf[a + i] || a6[16 + i] !== buf[b + i]) return false;
    return true;
  }

  /** IPv6: a copy of A's then B's address, for the flow to keep. */
  copyAddr6(): Uint8Array {
    const out = new Uint8Array(32);
    out.set(this.addrBuf.subarray(this.aOff, this.aOff + 16), 0);
    out.set(this.addrBuf.subarray(this.bOff, this.bOff + 16), 16);
    return out;
  }
}

const EMPTY = new Uint8Array(0);

export function tagProto(tag: number): number {
  return tag & 0xff;
}

export function tagVlanOuter(tag: number): number {
  return Math.floor(tag / 0x100) & 0xfff;
}

export function tagVlanInner(tag: number): number {
  return Math.floor(tag / 0x100000) & 0xfff;
}

/**
 * Open-addressing hash index of flows (linear probing, backward-shift deletion, load <= 1/2): no per-lookup
 * allocation. Slots hold the flows themselves; hashes are read from the flows (which a lookup must touch anyway).
 */
export class FlowIndex<F extends KeyedFlow & { hash: number }> {
  private table: (F | null)[];
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.table = new Array<F | null>(cap).fill(null);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  find(key: FlowKey): F | null {
    const h = key.hash;
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const f = table[i];
      if (f === null) return null;
      if (f.hash === h && key.matches(f)) return f;
      i = (i + 1) & mask;
    }
  }

  /** Adds a flow (its key must not be present); flow.hash must be its key's hash. */
  insert(flow: F): void {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    this.place(flow);
    this.count++;
  }

  remove(flow: F): void {
    const table = this.table;
    const mask = this.mask;
    let i = flow.hash & mask;
    while (table[i] !== flow) {
      if (table[i] === null) return;
      i = (i + 1) & mask;
    }
    table[i] = null;
    this.count--;
    // Shift back the entries of the run after i that may no longer be reachable from their home slot.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const f = table[j];
      if (f === null) return;
      const home = f.hash & mask;
      const reachable = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!reachable) {
        table[i] = f;
        table[j] = null;
        i = j;
      }
    }
  }

  private place(flow: F): void {
    const mask = this.mask;
    let i = flow.hash & mask;
    while (this.table[i] !== null) i = (i + 1) & mask;
    this.table[i] = flow;
  }

  private grow(): void {
    const old = this.table;
    const cap = old.length * 2;
    this.table = new Array<F | null>(cap).fill(null);
    this.mask = cap - 1;
    for (const f of old) if (f !== null) this.place(f);
  }
}
