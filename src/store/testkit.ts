// Synthetic store records for tests and the store benchmark: shaped like the pipeline's and the inventory's, cheap
// to make in millions, deterministic from an index and a seed.
import type { AssetRecord, ConnectionRecord } from '../inventory/snapshot.js';
import type { Access, Outcome } from '../protocols/operation.js';
import type { AlertRecord, EventRecord } from './store.js';

interface OpSpec {
  protocol: string;
  port: number;
  name: string;
  code: number;
  access: Access;
}

const OPS: readonly OpSpec[] = [
  { protocol: 'modbus', port: 502, name: 'read_holding_registers', code: 3, access: 'read' },
  { protocol: 'modbus', port: 502, name: 'read_input_registers', code: 4, access: 'read' },
  { protocol: 'modbus', port: 502, name: 'write_single_register', code: 6, access: 'write' },
  { protocol: 'dnp3', port: 20000, name: 'read', code: 1, access: 'read' },
  { protocol: 'dnp3', port: 20000, name: 'direct_operate', code: 5, access: 'control' },
  { protocol: 's7comm', port: 102, name: 'read_var', code: 4, access: 'read' },
  { protocol: 's7comm', port: 102, name: 'write_var', code: 5, access: 'write' },
  { protocol: 'enip', port: 44818, name: 'list_identity', code: 99, access: 'discovery' },
  { protocol: 'iec104', port: 2404, name: 'interrogation', code: 100, access: 'read' },
  { protocol: 'bacnet', port: 47808, name: 'read_property', code: 12, access: 'read' },
];

export const TEST_PROTOCOLS = [...new Set(OPS.map((o) => o.protocol))];

export function ipOf(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A small multiplicative hash, so fields vary without a random generator's state. */
function mix(i: number, salt: number): number {
  let x = Math.imul(i ^ salt, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  return (x ^ (x >>> 13)) >>> 0;
}

export interface EventShape {
  /** Distinct hosts (default 1000). */
  hosts?: number;
  /** Capture time of event 0 (default 1.7e9) and spacing (default 0.01 s). */
  start?: number;
  step?: number;
}

/** Event `i`: a transaction (1 in 20 a repeat summary) between two of `hosts` hosts. */
export function makeEvent(i: number, shape: EventShape = {}): EventRecord {
  const hosts = shape.hosts ?? 1000;
  const h = mix(i, 1);
  const op = OPS[h % OPS.length];
  const client = ipOf(1 + (mix(i, 2) % Math.max(1, hosts >> 3)));
  const server = ipOf(256 + (mix(i, 3) % hosts));
  const ts = (shape.start ?? 1.7e9) + i * (shape.step ?? 0.01);
  const outcome: Outcome = h % 97 === 0 ? 'no_response' : h % 31 === 0 ? 'exception' : 'ok';
  const base = {
    ts,
    protocol: op.protocol,
    flow: 1 + (mix(i, 4) % 50_000),
    client: { ip: client, port: 40000 + (h % 20000) },
    server: { ip: server, port: op.port },
    operation: { code: op.code, name: op.name, access: op.access },
    target: { unit: h % 8, area: 'holding_registers', address: (h >>> 4) % 4096, count: 1 + (h % 16) },
  };
  if (h % 20 === 7) {
    return { ...base, type: 'repeat_summary', outcome: 'ok', repeats: 1 + (h % 500), first_ts: ts, last_ts: ts + 300, latency_ms_min: 1.2, latency_ms_max: 9.5 };
  }
  return {
    ...base,
    type: 'transaction',
    outcome,
    latency_ms: outcome === 'no_response' ? null : (h % 5000) / 100,
    origin: 'client',
    ...(outcome === 'exception' ? { error: { code: 2, name: 'illegal_data_address' } } : {}),
    [op.protocol]: { func_code: op.code, transaction_id: h & 0xffff, unit_id: h % 8 },
  } as EventRecord;
}

export function makeAsset(i: number, overrides: Partial<AssetRecord> = {}): AssetRecord {
  const ip = ipOf(256 + i);
  const roles = ['plc', 'hmi', 'engineering_workstation', 'historian', 'unknown'];
  const role = roles[mix(i, 5) % roles.length];
  return {
    id: `ip:${ip}`,
    aliases: [],
    gateway: null,
    behind: null,
    macs: [`02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`],
    ips: [ip],
    mac_vendor: null,
    names: [],
    identity: { vendor: 'Acme', model: `M${i % 40}` },
    identity_conflicts: {},
    protocol_addresses: {},
    role,
    roles: [],
    purdue_level: role === 'plc' ? 1 : 2,
    purdue_reason: 'role',
    criticality: 'medium',
    criticality_source: 'default',
    protocols: [{ protocol: OPS[i % OPS.length].protocol, as: 'server', peers: 1 + (i % 5), industrial: true }],
    zones: [],
    vlans: [],
    external: false,
    first_seen: 1.7e9 + (mix(i, 6) % 100_000),
    last_seen: 1.7e9 + 100_000 + (mix(i, 7) % 100_000),
    addresses: [],
    evidence: [],
    ...overrides,
  } as AssetRecord;
}

export function makeConnection(i: number, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const op = OPS[i % OPS.length];
  const endpoint = (ip: string) => ({ ip, asset: `ip:${ip}`, zone: null, kind: 'unicast', scope: 'private' });
  return {
    client: endpoint(ipOf(1 + (i % 100))),
    server: endpoint(ipOf(256 + i)),
    protocol: op.protocol,
    transport: 'tcp',
    port: op.port,
    vlan: 0,
    flows: 1,
    packets: 10,
    bytes: 1000,
    packets_to_server: 5,
    packets_to_client: 5,
    bytes_to_server: 500,
    bytes_to_client: 500,
    first_seen: 1.7e9,
    last_seen: 1.7e9 + i,
    operations: [{ name: op.name, access: op.access, count: 10, exceptions: 0, no_response: 0, from_server: 0 }],
    access: { [op.access]: 10 },
    other_operations: 0,
    external: false,
    ...overrides,
  };
}

export function makeAlert(i: number, overrides: Partial<AlertRecord> = {}): AlertRecord {
  const severities = ['low', 'medium', 'high', 'critical'] as const;
  const statuses = ['new', 'new', 'new', 'acknowledged', 'resolved'] as const;
  return {
    id: `alert-${String(i).padStart(8, '0')}`,
    detection: `det.${['new_asset', 'plc_write', 'program_download', 'scan'][mix(i, 8) % 4]}`,
    severity: severities[mix(i, 9) % 4],
    status: statuses[mix(i, 10) % 5],
    title: `Alert ${i}`,
    assets: [`ip:${ipOf(256 + (mix(i, 11) % 1000))}`],
    first_seen: 1.7e9 + i,
    last_seen: 1.7e9 + i + (mix(i, 12) % 1000),
    count: 1 + (mix(i, 13) % 50),
    assignee: null,
    details: {},
    ...overrides,
  };
}
