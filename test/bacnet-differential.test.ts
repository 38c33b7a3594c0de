// Differential check of the BACnet module against tshark on every corpus capture carrying BACnet/IP: the multiset of
// BVLC functions, APDU types and confirmed/unconfirmed service choices of the datagrams the module is given equals
// tshark's (`bvlc.function`, `bacapp.type`, `bacapp.confirmed_service`, `bacapp.unconfirmed_service`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { ProtocolRegistry } from '../src/protocols/registry.js';
import type { ProtocolModule } from '../src/protocols/protocol.js';
import { bacnetModule } from '../src/protocols/bacnet/index.js';
import { parseDatagram } from '../src/protocols/bacnet/parse.js';
import { CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const haveTshark = spawnSync('tshark', ['--version']).status === 0;
const SKIP = !CORPUS_PRESENT ? 'corpus absent: BACnet differential SKIPPED' : !haveTshark ? 'tshark not installed: BACnet differential SKIPPED' : false;

type Counts = Map<string, number>;

function inc(m: Counts, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

async function ours(path: string): Promise<{ counts: Counts; errors: string[] }> {
  const counts: Counts = new Map();
  const recording: ProtocolModule = {
    ...bacnetModule,
    createSession(ctx) {
      const s = bacnetModule.createSession(ctx);
      return {
        onData(dir, data, ts) {
          const p = parseDatagram(data);
          if (p.bvlcFunction >= 0) inc(counts, `bvlc ${p.bvlcFunction}`);
          if (p.apduType >= 0) {
            inc(counts, `type ${p.apduType}`);
            if (p.apduType === 1) inc(counts, `unconfirmed ${p.service}`);
            else if (p.service >= 0) inc(counts, `confirmed ${p.service}`);
          }
          s.onData(dir, data, ts);
        },
        onGap: (dir, bytes, ts) => s.onGap(dir, bytes, ts),
        onEnd: (ts) => s.onEnd(ts),
      };
    },
  };
  const pipeline = new Pipeline({ registry: new ProtocolRegistry([recording]) });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  const errors = [...pipeline.errorSamples];
  if (pipeline.anomalies.get('flow.protocol_error') > 0) errors.push('flow.protocol_error');
  return { counts, errors };
}

async function theirs(path: string): Promise<Counts> {
  const fields = ['bvlc.function', 'bacapp.type', 'bacapp.confirmed_service', 'bacapp.unconfirmed_service'];
  const args = ['-r', path, '-Y', 'bvlc && udp', '-T', 'fields', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])];
  const { stdout } = await run('tshark', args, { maxBuffer: 1 << 28 });
  const counts: Counts = new Map();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [fn, type, cs, us] = line.split('\t');
    if (fn) inc(counts, `bvlc ${parseInt(fn, 16)}`);
    if (type) {
      inc(counts, `type ${type}`);
      if (cs) inc(counts, `confirmed ${cs}`);
      if (us) inc(counts, `unconfirmed ${us}`);
    }
  }
  return counts;
}

test('BACnet/IP datagrams agree with tshark on every corpus capture', { skip: SKIP, timeout: 300_000 }, async (t) => {
  const rows = SKIP ? [] : readManifest().filter((r) => /(^|;)bacnet\(\d/.test(r.protocols));
  assert.ok(rows.length > 0);
  for (const row of rows) {
    const [mine, tshark] = await Promise.all([ours(row.absPath), theirs(row.absPath)]);
    assert.deepEqual(mine.errors, [], row.path);
    const keys = [...new Set([...mine.counts.keys(), ...tshark.keys()])].sort();
    let agree = 0;
    let total = 0;
    for (const k of keys) {
      agree += Math.min(mine.counts.get(k) ?? 0, tshark.get(k) ?? 0);
      total += Math.max(mine.counts.get(k) ?? 0, tshark.get(k) ?? 0);
    }
    t.diagnostic(`${row.path}: ${agree}/${total} agree`);
    assert.deepEqual(Object.fromEntries([...mine.counts].sort()), Object.fromEntries([...tshark].sort()), row.path);
  }
});
