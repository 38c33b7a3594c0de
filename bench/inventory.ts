// Inventory at its caps: 50,000 assets (each with names, identity and a protocol role) and 500,000 edges (with
// operation histograms on a tenth of them), fed through the same calls the pipeline makes; then a full snapshot and
// export. Reports heap, RSS and the time per update. `node dist/bench/inventory.js [--json]` (npm run bench runs it
// under the CLI's heap limit).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inventory } from '../src/inventory/inventory.js';
import { writeInventory } from '../src/cli/export-inventory.js';
import type { FlowRecord } from '../src/flow/flow.js';
import type { HintRecord } from '../src/pipeline/events.js';
import type { TransactionRecord } from '../src/pipeline/detail.js';
import type { FlowInfo } from '../src/protocols/protocol.js';
import { defaultRegistry } from '../src/protocols/registry.js';

export interface InventoryBenchResult {
  assets: number;
  edges: number;
  updates_per_s: number;
  heap_used_mib: number;
  rss_mib: number;
  snapshot_seconds: number;
  export_seconds: number;
  export_rss_mib: number;
}

const ASSETS = 50_000;
const EDGES = 500_000;

/** The i-th host address of 10/8, skipping .0 and .255. */
const ipOf = (i: number) => `10.${Math.floor(i / 64516)}.${(Math.floor(i / 254) % 254) + 1}.${(i % 254) + 1}`;

export function runInventoryBench(): InventoryBenchResult {
  const inv = new Inventory({ registry: defaultRegistry, maxAssets: ASSETS, maxEdges: EDGES });
  const hosts: string[] = [];
  for (let i = 0; i < ASSETS; i++) hosts.push(ipOf(i));
  const started = process.hrtime.bigint();
  let updates = 0;
  // Identity and names for every asset.
  for (let i = 0; i < hosts.length; i++) {
    const h = {
      ts: i,
      protocol: 'modbus',
      type: 'asset_hint',
      flow: i,
      client: { ip: '10.255.0.1', port: 50000 },
      server: { ip: hosts[i], port: 502 },
      side: 'server',
      role: 'server',
      address: 1,
      source: 'read_device_identification',
      identity: { vendor: `Vendor ${i % 97}`, product: `Model ${i % 13}`, firmware: `1.${i % 7}` },
      names: [{ name: `plc-${i}.plant.example`, source: 'dns' }],
    } as unknown as HintRecord;
    inv.observeHint(h);
    updates++;
  }
  // Edges: every (client, server, port) combination over the hosts; a tenth with transactions.
  const tx = { ts: 0, protocol: 'modbus', type: 'transaction', operation: { name: 'read_holding_registers', code: 3, access: 'read' }, outcome: 'ok', origin: 'client' } as unknown as TransactionRecord;
  for (let e = 0; e < EDGES; e++) {
    const client = hosts[e % 1000];
    const server = hosts[(e * 7919) % hosts.length];
    const port = 1024 + Math.floor(e / 1000);
    const rec = {
      id: e + 1,
      transport: 'tcp',
      ipProto: 6,
      client: { ip: client, port: 40000 },
      server: { ip: server, port },
      roleSource: 'handshake',
      vlan: [0, 0],
      protocol: e % 10 === 0 ? 'modbus' : 'unknown',
      firstTs: e / 100,
      lastTs: e / 100 + 1,
      packetsToServer: 10,
      packetsToClient: 9,
      bytesToServer: 1000,
      bytesToClient: 900,
      payloadBytesToServer: 500,
      payloadBytesToClient: 400,
      endReason: 'fin',
      tcp: null,
    } as FlowRecord;
    if (e % 10 === 0) {
      const flow = { id: rec.id, transport: 'tcp', client: rec.client, server: rec.server, vlan: [0, 0], roleSource: 'handshake' } as FlowInfo;
      for (let k = 0; k < 5; k++) inv.observeTransaction(tx, flow);
      updates += 5;
    }
    inv.observeFlowEnd(rec);
    updates++;
  }
  const fed = Number(process.hrtime.bigint() - started) / 1e9;
  global.gc?.();
  const heap = process.memoryUsage().heapUsed;
  const rss = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const snap = inv.snapshot();
  const snapshotSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const dir = mkdtempSync(join(tmpdir(), 'lantern-inv-bench-'));
  const t1 = process.hrtime.bigint();
  const written = writeInventory(dir, snap);
  const exportSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  return {
    assets: written.assets,
    edges: written.connections,
    updates_per_s: Math.round(updates / fed),
    heap_used_mib: Math.round((heap / 2 ** 20) * 10) / 10,
    rss_mib: Math.round((rss / 2 ** 20) * 10) / 10,
    snapshot_seconds: Math.round(snapshotSeconds * 100) / 100,
    export_seconds: Math.round(exportSeconds * 100) / 100,
    export_rss_mib: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
  };
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const r = runInventoryBench();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(r) + '\n');
  else process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
