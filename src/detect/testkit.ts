// Builders for detection tests: transactions, hints, flows and ARP observations as the pipeline makes them, and a
// run of one or more detections over them. Times are capture seconds.
import type { FlowRecord } from '../flow/flow.js';
import type { TransactionRecord } from '../pipeline/detail.js';
import type { Access } from '../protocols/operation.js';
import { defaultRegistry } from '../protocols/registry.js';
import type { DetectedAlert } from './alerts.js';
import { DetectionEngine } from './engine.js';
import type { ArpObservation, AssetContext, Detection, FlowVolume } from './types.js';

let nextFlow = 1;

export function tx(o: {
  ts: number;
  protocol: string;
  op: string;
  access?: Access;
  sub?: string;
  client?: string;
  server?: string;
  port?: number;
  target?: Record<string, unknown>;
  outcome?: 'ok' | 'exception' | 'no_response';
  origin?: 'client' | 'server';
  flow?: number;
}): TransactionRecord {
  return {
    ts: o.ts,
    protocol: o.protocol,
    type: 'transaction',
    flow: o.flow ?? nextFlow++,
    client: { ip: o.client ?? '10.0.0.10', port: 40000 },
    server: { ip: o.server ?? '10.0.0.20', port: o.port ?? 502 },
    operation: { code: 0, name: o.op, access: o.access ?? 'other', ...(o.sub !== undefined ? { sub: { code: 0, name: o.sub } } : {}) },
    target: o.target ?? {},
    outcome: o.outcome ?? 'ok',
    latency_ms: 1,
    origin: o.origin ?? 'client',
  } as TransactionRecord;
}

export type Input = TransactionRecord | { type: 'arp'; arp: ArpObservation } | { type: 'flow'; flow: FlowRecord } | { type: 'volume'; volume: FlowVolume };

export const arp = (a: ArpObservation): Input => ({ type: 'arp', arp: a });
export const flowEnd = (f: FlowRecord): Input => ({ type: 'flow', flow: f });
/** A running flow reached `bytes` of payload in one direction at `ts`. */
export const volume = (f: FlowRecord, toServer: boolean, bytes: number, ts: number): Input => ({ type: 'volume', volume: { flow: f, toServer, bytes, ts } });

/** An ended flow (defaults: TCP, unknown protocol, 2 kB to the server and 20 kB back, a minute long, ending at `ts`). */
export function flow(o: { ts: number; client: string; server: string; port: number; protocol?: string | null; transport?: 'tcp' | 'udp'; toServer?: number; toClient?: number; duration?: number }): FlowRecord {
  const toServer = o.toServer ?? 2_000;
  const toClient = o.toClient ?? 20_000;
  return {
    id: nextFlow++,
    transport: o.transport ?? 'tcp',
    ipProto: o.transport === 'udp' ? 17 : 6,
    client: { ip: o.client, port: 50123 },
    server: { ip: o.server, port: o.port },
    roleSource: 'handshake',
    vlan: [0, 0],
    protocol: o.protocol === undefined ? 'unknown' : o.protocol,
    firstTs: o.ts - (o.duration ?? 60),
    lastTs: o.ts,
    packetsToServer: toServer > 0 ? 20 : 1,
    packetsToClient: toClient > 0 ? 20 : 0,
    bytesToServer: toServer + 1_000,
    bytesToClient: toClient + 1_000,
    payloadBytesToServer: toServer,
    payloadBytesToClient: toClient,
    endReason: 'fin',
    tcp: o.transport === 'udp' ? null : { handshake: true, gaps: 0, gapBytes: 0, retransmissions: 0, overlapMismatches: 0 },
  };
}


/** Runs `detections` over `inputs` in order (expiring each capture second), returns the alerts. */
export function detect(detections: readonly Detection[], inputs: readonly Input[], assets: Readonly<Record<string, Partial<AssetContext>>> = {}): DetectedAlert[] {
  const e = new DetectionEngine(defaultRegistry, { detections, assets: (ip) => assetContext(ip, assets[ip]) });
  let sec = -Infinity;
  for (const i of inputs) {
    const ts = i.type === 'arp' ? (i as { arp: ArpObservation }).arp.ts : i.type === 'flow' ? (i as { flow: FlowRecord }).flow.lastTs : i.type === 'volume' ? (i as { volume: FlowVolume }).volume.ts : (i as TransactionRecord).ts;
    if (Math.floor(ts) > sec) {
      sec = Math.floor(ts);
      e.expire(sec);
    }
    if (i.type === 'arp') e.arp((i as { arp: ArpObservation }).arp);
    else if (i.type === 'flow') e.flowEnd((i as { flow: FlowRecord }).flow);
    else if (i.type === 'volume') e.flowVolume((i as { volume: FlowVolume }).volume);
    else e.transaction(i as TransactionRecord);
  }
  e.expire(sec + 3600);
  assertNoFailures(e);
  return [...e.alerts.records()];
}

/** A test's asset context for `ip` (unknown assets are null), filled with neutral defaults. */
function assetContext(ip: string, a: Partial<AssetContext> | undefined): AssetContext | null {
  if (a === undefined) return null;
  return { id: a.id ?? ip, roles: a.roles ?? ['unknown'], purdue: a.purdue ?? null, criticality: a.criticality ?? 'medium', zone: a.zone ?? null, vendor: a.vendor ?? null, model: a.model ?? null, external: a.external ?? false };
}

function assertNoFailures(e: DetectionEngine): void {
  if (e.errorSamples.length > 0) throw new Error(`a detection threw: ${e.errorSamples[0]}`);
}

/** A polling loop: `n` reads from `client` to `server` every `every` seconds from `from`. */
export function polls(o: { from: number; n: number; every: number; protocol: string; op: string; client: string; server: string; port?: number }): TransactionRecord[] {
  return Array.from({ length: o.n }, (_, i) => tx({ ts: o.from + i * o.every, protocol: o.protocol, op: o.op, access: 'read', client: o.client, server: o.server, port: o.port }));
}
