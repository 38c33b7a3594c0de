// Flow-table cost on synthetic traffic: `node --expose-gc dist/src/flow/flow-table.bench.js [segments]`.
// Prints ns per in-order TCP segment (request/response over N flows, each 64 bytes) and heap bytes per idle flow.

import { AnomalyCounter } from '../common/anomaly.js';
import { IPPROTO, L3, Packet, TCP_FLAG } from '../decode/packet.js';
import type { ProtocolModule } from '../protocols/protocol.js';
import { ProtocolRegistry } from '../protocols/registry.js';
import { FlowTable } from './flow-table.js';

const { SYN, ACK, PSH } = TCP_FLAG;
const PAYLOAD = 64;

/** Matches every flow; its sessions count bytes (the cheapest possible consumer). */
const ANY: ProtocolModule = {
  id: 'any',
  name: 'any',
  transports: ['tcp', 'udp'],
  ports: [502],
  anomalies: [],
  probe: () => 'match',
  createSession: () => {
    let n = 0;
    return {
      onData: (_dir, data) => {
        n += data.length;
      },
      onGap: () => {},
      onEnd: () => {
        if (n < 0) console.log(n);
      },
    };
  },
};

const pkt = new Packet();
const buf = new Uint8Array(54 + PAYLOAD);

function set(proto: number, src: number, dst: number, sport: number, dport: number, flags: number, seq: number, ack: number, len: number, ts: number): void {
  pkt.l3 = L3.IPV4;
  pkt.src4 = src;
  pkt.dst4 = dst;
  pkt.l4 = proto;
  pkt.ipProto = proto;
  pkt.srcPort = sport;
  pkt.dstPort = dport;
  pkt.tcpFlags = flags;
  pkt.seq = seq >>> 0;
  pkt.ack = ack >>> 0;
  pkt.l4Buf = buf;
  pkt.payloadOff = 54;
  pkt.payloadEnd = 54 + len;
  pkt.ts = ts;
  pkt.wireLen = 54 + len;
}

const CLIENT = 0x0a000000;
const SERVER = 0x0a800000;

function speed(modules: ProtocolModule[], flows: number, segments: number, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const table = new FlowTable(new ProtocolRegistry(modules), new AnomalyCounter());
    const cseq = new Array<number>(flows).fill(1001);
    const sseq = new Array<number>(flows).fill(5001);
    for (let f = 0; f < flows; f++) {
      set(IPPROTO.TCP, CLIENT + f, SERVER, 40000 + (f % 20000), 502, SYN, 1000, 0, 0, 1.5);
      table.process(pkt);
      set(IPPROTO.TCP, SERVER, CLIENT + f, 502, 40000 + (f % 20000), SYN | ACK, 5000, 1001, 0, 1.5);
      table.process(pkt);
    }
    let ts = 2.5;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < segments; i++) {
      const f = i % flows;
      const port = 40000 + (f % 20000);
      if ((((i / flows) | 0) & 1) === 0) {
        set(IPPROTO.TCP, CLIENT + f, SERVER, port, 502, ACK | PSH, cseq[f], sseq[f], PAYLOAD, ts);
        cseq[f] += PAYLOAD;
      } else {
        set(IPPROTO.TCP, SERVER, CLIENT + f, 502, port, ACK | PSH, sseq[f], cseq[f], PAYLOAD, ts);
        sseq[f] += PAYLOAD;
      }
      table.process(pkt);
      if ((i & 1023) === 0) {
        ts += 0.01;
        table.expire(ts);
      }
    }
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / segments);
    if (table.counters.gaps !== 0 || table.counters.created !== flows) throw new Error('bench: unexpected flow state');
  }
  return best;
}

function heapPerFlow(modules: ProtocolModule[], n: number, udp: boolean): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const table = new FlowTable(new ProtocolRegistry(modules), new AnomalyCounter(), { maxFlows: 2 * n });
  for (let f = 0; f < n; f++) {
    const c = CLIENT + f;
    if (udp) {
      set(IPPROTO.UDP, c, SERVER, 40000, 502, 0, 0, 0, PAYLOAD, 1);
      table.process(pkt);
      set(IPPROTO.UDP, SERVER, c, 502, 40000, 0, 0, 0, PAYLOAD, 1);
      table.process(pkt);
    } else {
      set(IPPROTO.TCP, c, SERVER, 40000, 502, SYN, 1000, 0, 0, 1);
      table.process(pkt);
      set(IPPROTO.TCP, SERVER, c, 502, 40000, SYN | ACK, 5000, 1001, 0, 1);
      table.process(pkt);
      set(IPPROTO.TCP, c, SERVER, 40000, 502, ACK | PSH, 1001, 5001, PAYLOAD, 1);
      table.process(pkt);
      set(IPPROTO.TCP, SERVER, c, 502, 40000, ACK | PSH, 5001, 1001 + PAYLOAD, PAYLOAD, 1);
      table.process(pkt);
    }
  }
  gc();
  gc();
  const per = (process.memoryUsage().heapUsed - before) / n;
  if (table.size !== n) throw new Error('bench: flows lost');
  return per;
}

const segments = Number(process.argv[2] ?? 1_000_000);
for (const flows of [100, 10_000]) {
  const bare = speed([], flows, segments, 3);
  const withSession = speed([ANY], flows, segments, 3);
  console.log(
    `${String(flows).padStart(6)} flows, in-order TCP: ${bare.toFixed(0).padStart(4)} ns/segment (no protocol), ${withSession.toFixed(0).padStart(4)} ns/segment (with a session)`,
  );
}
if (typeof (globalThis as { gc?: unknown }).gc === 'function') {
  const n = 100_000;
  console.log(
    `heap per idle flow: TCP ${heapPerFlow([], n, false).toFixed(0)} B, TCP with a session ${heapPerFlow([ANY], n, false).toFixed(0)} B, UDP ${heapPerFlow([], n, true).toFixed(0)} B (n = ${n})`,
  );
} else {
  console.log('heap per idle flow: run with --expose-gc');
}
