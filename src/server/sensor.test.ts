// The sensor's flush: only what changed is rewritten; a live interface runs in a pipeline of its own and its records
// merge with the files' ones; a tcpdump that dies or never starts is told, counted, and does not stop the sensor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex } from '../common/hex.js';
import { frameOf } from '../decode/testkit.js';
import { SqliteStore } from '../store/sqlite.js';
import { Sensor } from './sensor.js';

const MAC_A = '02 00 00 00 00 0a';
const MAC_B = '02 00 00 00 00 0b';

/** One Ethernet/IPv4/UDP datagram between two 10.0.0.x hosts (`a`, `b`: last octet, hex). */
function datagram(a: string, b: string, sport: string, dport: string): Uint8Array {
  return hex`
    ${a === '01' ? MAC_B : MAC_A}   # ethernet destination
    ${a === '01' ? MAC_A : MAC_B}   # ethernet source
    08 00                           # ethertype IPv4
    45 00 00 20                     # version 4, IHL 5, DSCP 0, total length 32
    00 01 40 00                     # identification 1, don't fragment
    40 11 00 00                     # TTL 64, protocol 17 (UDP), header checksum (not checked)
    0a 00 00 ${a}                   # source 10.0.0.a
    0a 00 00 ${b}                   # destination 10.0.0.b
    ${sport} ${dport}               # source port, destination port
    00 0c 00 00                     # UDP length 12, no checksum
    68 69 21 0a                     # payload "hi!\\n"
  `;
}

/** A request and its answer: client 10.0.0.a port 40000 → server 10.0.0.b port `port` (hex) and back. */
function exchange(a: string, b: string, port: string): Uint8Array[] {
  return [datagram(a, b, '9c 40', port), datagram(b, a, port, '9c 40')];
}

/** A store that remembers the ids and keys of the records each put received. */
function recordingStore() {
  const store = new SqliteStore(':memory:');
  const assets: string[] = [];
  const connections: string[] = [];
  const putAssets = store.putAssets.bind(store);
  const putConnections = store.putConnections.bind(store);
  store.putAssets = (records) => (assets.push(...records.map((r) => r.id)), putAssets(records));
  store.putConnections = (records) => (connections.push(...records.map((r) => `${r.client.ip}>${r.server.ip}:${r.port}`)), putConnections(records));
  return {
    store,
    take() {
      const out = { assets: assets.splice(0).sort(), connections: connections.splice(0).sort() };
      return out;
    },
  };
}

test('delta flush: nothing is rewritten without new traffic; new traffic rewrites only the records it touched', () => {
  const { store, take } = recordingStore();
  try {
    const sensor = new Sensor(store);
    const feed = (frames: Uint8Array[], tsSec: number) => {
      for (const f of frames) sensor.pipeline.onFrame(frameOf(f, { tsSec }));
    };
    feed(exchange('01', '02', '01 f6'), 1_700_000_000); // 10.0.0.1 → 10.0.0.2:502
    feed(exchange('03', '04', '4e 20'), 1_700_000_001); // 10.0.0.3 → 10.0.0.4:20000
    const first = sensor.flush();
    const written = take();
    assert.deepEqual(written.assets, ['ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.3', 'ip:10.0.0.4']);
    assert.deepEqual(written.connections, ['10.0.0.1>10.0.0.2:502', '10.0.0.3>10.0.0.4:20000']);
    assert.deepEqual(first, { assets: 4, connections: 2 });

    assert.deepEqual(sensor.flush(), { assets: 0, connections: 0 });
    assert.deepEqual(take(), { assets: [], connections: [] });

    // More of the first conversation (its flow still open): only that edge and its two ends.
    feed(exchange('01', '02', '01 f6'), 1_700_000_005);
    assert.deepEqual(sensor.flush(), { assets: 2, connections: 1 });
    assert.deepEqual(take(), { assets: ['ip:10.0.0.1', 'ip:10.0.0.2'], connections: ['10.0.0.1>10.0.0.2:502'] });
    assert.deepEqual(sensor.flush(), { assets: 0, connections: 0 });

    // What the store holds is the whole, current inventory.
    const edge = store.listConnections({ ip: '10.0.0.1' }).items[0].record;
    assert.equal(edge.packets, 4);
    assert.equal(store.countAssets(), 4);
  } finally {
    store.close();
  }
});

/** pcap (microsecond, Ethernet) of the frames, all at `tsSec`. */
function pcapOf(frames: Uint8Array[], tsSec: number): Buffer {
  const header = hex`
    d4 c3 b2 a1      # magic, little-endian, microseconds
    02 00 04 00      # version 2.4
    00 00 00 00      # thiszone
    00 00 00 00      # sigfigs
    ff ff 00 00      # snaplen 65535
    01 00 00 00      # link type 1 (Ethernet)
  `;
  const parts: Buffer[] = [Buffer.from(header)];
  for (const f of frames) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(tsSec, 0);
    rec.writeUInt32LE(0, 4);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, Buffer.from(f));
  }
  return Buffer.concat(parts);
}

/**
 * A stand-in for tcpdump: writes a capture to stdout like `tcpdump -w -`, then either waits to be stopped
 * (`stay`) or dies with a message and exit code 1, as tcpdump does when its interface goes away.
 */
function fakeTcpdump(dir: string, pcap: Buffer, mode: 'stay' | 'die'): string {
  const data = join(dir, 'capture.pcap');
  writeFileSync(data, pcap);
  const bin = join(dir, 'fake-tcpdump');
  writeFileSync(
    bin,
    `#!${process.execPath}
const { readFileSync } = require('node:fs');
process.stdout.write(readFileSync(${JSON.stringify(data)}), () => {
  ${mode === 'stay' ? "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);" : "process.stderr.write('tcpdump: fake0: interface went down\\n'); process.exit(1);"}
});
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

test('a live interface has its own pipeline; an edge and a device both pipelines saw are stored merged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-sensor-'));
  const store = new SqliteStore(':memory:');
  try {
    const sensor = new Sensor(store);
    const filesTs = 1_600_000_000;
    const liveTs = 1_700_000_000;
    // The files saw 10.0.0.1 polling 10.0.0.2:502 once, long ago; the interface sees it again now, and 10.0.0.1 → .3.
    for (const f of exchange('01', '02', '01 f6')) sensor.pipeline.onFrame(frameOf(f, { tsSec: filesTs }));
    const tcpdump = fakeTcpdump(dir, pcapOf([...exchange('01', '02', '01 f6'), ...exchange('01', '03', '4e 20')], liveTs), 'stay');
    const lines: string[] = [];
    const live = sensor.addInterface({ interface: 'fake0', tcpdump, log: (l) => lines.push(l) });
    for (let i = 0; i < 100 && live.pipeline.frames < 4; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(live.pipeline.frames, 4, lines.join('\n'));
    // The files' pipeline kept its own clock: its flow was not timed out by the live frames 3 years later.
    assert.equal([...sensor.pipeline.flows.flows()].length, 1);
    sensor.flush();

    const edge = store.listConnections({ ip: '10.0.0.2' }).items.map((c) => c.record);
    assert.equal(edge.length, 1);
    assert.equal(edge[0].flows, 2, 'one flow from each pipeline');
    assert.equal(edge[0].packets, 4);
    assert.equal(edge[0].first_seen, filesTs);
    assert.equal(edge[0].last_seen, liveTs);
    const a = store.getAsset('ip:10.0.0.1');
    assert.ok(a);
    assert.equal(a.first_seen, filesTs);
    assert.equal(a.last_seen, liveTs);
    assert.deepEqual(a.macs, ['02:00:00:00:00:0a']);
    assert.equal(store.countAssets(), 3);

    const health = sensor.liveHealth()[0];
    assert.equal(health.state, 'capturing');
    assert.equal(health.frames, 4);
    assert.equal(health.failures, 0);
    await sensor.stopLive();
    assert.equal(sensor.liveHealth()[0].state, 'stopped');
    assert.deepEqual(lines, []);
  } finally {
    store.close();
  }
});

test('tcpdump dying after it worked is logged, counted in the health and restarted; the sensor keeps going', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-sensor-'));
  const store = new SqliteStore(':memory:');
  try {
    const sensor = new Sensor(store);
    const tcpdump = fakeTcpdump(dir, pcapOf(exchange('01', '02', '01 f6'), 1_700_000_000), 'die');
    const lines: string[] = [];
    const live = sensor.addInterface({ interface: 'fake0', tcpdump, log: (l) => lines.push(l), restartMs: 30 });
    for (let i = 0; i < 200 && live.health.restarts < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const h = sensor.liveHealth()[0];
    assert.ok(h.failures >= 2, JSON.stringify(h));
    assert.ok(h.restarts >= 2, JSON.stringify(h));
    assert.match(h.last_error ?? '', /interface went down/);
    assert.ok(h.frames >= 4);
    assert.match(lines[0], /^live capture on fake0 stopped: tcpdump: fake0: interface went down; restarting in \d+ s$/);
    await sensor.stopLive();
    assert.equal(sensor.liveHealth()[0].state, 'stopped');
    sensor.flush();
    assert.ok(store.countAssets() >= 2);
    const counters = store.latestCounters()?.data as { live: { interface: string; failures: number }[] };
    assert.equal(counters.live[0].interface, 'fake0');
    assert.ok(counters.live[0].failures >= 2);
  } finally {
    store.close();
  }
});

test('a live interface that cannot start (no tcpdump) fails with one line, and the files still ingest', async () => {
  const store = new SqliteStore(':memory:');
  try {
    const sensor = new Sensor(store);
    const lines: string[] = [];
    const live = sensor.addInterface({ interface: 'eth9', tcpdump: '/nonexistent/tcpdump', log: (l) => lines.push(l) });
    await live.done;
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^live capture on eth9 failed: cannot run \/nonexistent\/tcpdump: .*ENOENT/);
    assert.equal(live.health.state, 'failed');
    assert.equal(live.health.failures, 1);
    for (const f of exchange('01', '02', '01 f6')) sensor.pipeline.onFrame(frameOf(f, { tsSec: 1_700_000_000 }));
    assert.deepEqual(sensor.flush(), { assets: 2, connections: 1 });
  } finally {
    store.close();
  }
});
