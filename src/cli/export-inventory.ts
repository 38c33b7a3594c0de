// `--export DIR`: the inventory as DIR/assets.json, DIR/connections.json and their CSV twins (docs/inventory.md).
// Connections are streamed: a map may hold hundreds of thousands of edges, more than one string may hold.
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { AssetRecord, ConnectionRecord, InventorySnapshot } from '../inventory/snapshot.js';
import { ACCESS } from '../protocols/operation.js';

const BATCH = 2000;

export const ASSET_CSV_COLUMNS = [
  'id', 'ips', 'macs', 'mac_vendor', 'name', 'vendor', 'product', 'model', 'firmware', 'serial', 'device_type', 'role',
  'role_confidence', 'purdue_level', 'criticality', 'protocols', 'zones', 'vlans', 'external', 'first_seen', 'last_seen',
] as const;

export const CONNECTION_CSV_COLUMNS = [
  'client_ip', 'client_asset', 'server_ip', 'server_asset', 'protocol', 'transport', 'port', 'vlan', 'flows', 'packets',
  'bytes', 'first_seen', 'last_seen', 'operations', ...ACCESS, 'external',
] as const;

function assetRow(a: AssetRecord): unknown[] {
  const id = a.identity;
  return [
    a.id, a.ips.join(' '), a.macs.join(' '), a.mac_vendor ?? '', a.names[0]?.name ?? '', id.vendor ?? '', id.product ?? '',
    id.model ?? '', id.firmware ?? '', id.serial ?? '', id.device_type ?? '', a.role, a.roles[0].confidence,
    a.purdue_level ?? '', a.criticality, a.protocols.map((p) => `${p.protocol}/${p.as}`).join(' '), a.zones.join(' '),
    a.vlans.join(' '), a.external, a.first_seen, a.last_seen,
  ];
}

function connectionRow(c: ConnectionRecord): unknown[] {
  return [
    c.client.ip, c.client.asset ?? '', c.server.ip, c.server.asset ?? '', c.protocol, c.transport, c.port, c.vlan, c.flows,
    c.packets, c.bytes, c.first_seen, c.last_seen, c.operations.map((o) => `${o.name}:${o.count}`).join(' '),
    ...ACCESS.map((k) => c.access[k] ?? 0), c.external,
  ];
}

/** CSV rows with formulas escaped: names and banners come from the network and must not run in a spreadsheet. */
function csv(rows: unknown[][], header?: readonly string[]): string {
  const all = header === undefined ? rows : [[...header], ...rows];
  return all.length === 0 ? '' : `${Papa.unparse(all, { escapeFormulae: true, newline: '\n' })}\n`;
}

class AtomicFile {
  private readonly tmp: string;
  private readonly fd: number;

  constructor(private readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(s: string): void {
    writeSync(this.fd, s);
  }

  close(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }
}

/** Writes the four inventory files; returns how many assets and connections were written. */
export function writeInventory(dir: string, snap: InventorySnapshot): { assets: number; connections: number } {
  mkdirSync(dir, { recursive: true });
  // One record per line inside the array: valid JSON, greppable, and written without one giant string.
  const assets = new AtomicFile(join(dir, 'assets.json'));
  const assetCsv = new AtomicFile(join(dir, 'assets.csv'));
  const assetCount = writeBoth(snap.assets(), assets, assetCsv, ASSET_CSV_COLUMNS, assetRow);
  const json = new AtomicFile(join(dir, 'connections.json'));
  const conCsv = new AtomicFile(join(dir, 'connections.csv'));
  const connectionCount = writeBoth(snap.connections(), json, conCsv, CONNECTION_CSV_COLUMNS, connectionRow);
  return { assets: assetCount, connections: connectionCount };
}

/** Streams records into a JSON array (one record per line) and a CSV file with a header; returns the count. */
function writeBoth<T>(records: Iterable<T>, json: AtomicFile, table: AtomicFile, header: readonly string[], row: (r: T) => unknown[]): number {
  table.write(csv([], header));
  json.write('[');
  let n = 0;
  let parts: string[] = [];
  let rows: unknown[][] = [];
  const flush = () => {
    json.write(parts.join(''));
    table.write(csv(rows));
    parts = [];
    rows = [];
  };
  for (const r of records) {
    parts.push(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`);
    rows.push(row(r));
    n++;
    if (rows.length >= BATCH) flush();
  }
  flush();
  json.write(n === 0 ? ']\n' : '\n]\n');
  json.close();
  table.close();
  return n;
}

