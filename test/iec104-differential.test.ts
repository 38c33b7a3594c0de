// Differential check of the IEC 60870-5-104 module against tshark: per corpus capture that carries IEC 104, the
// multiset of (sending side, type id, cause of transmission) of every ASDU Lantern's transactions account for (the
// activation, its confirmation, termination or requested data, and lone messages), and of U-format functions, equals
// tshark's (`-Y iec60870_104`). The sending side is `o` for the port-2404 side, `c` for the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { TransactionEvent } from '../src/protocols/operation.js';
import { CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const haveTshark = spawnSync('tshark', ['--version']).status === 0;
const SKIP = !CORPUS_PRESENT ? 'corpus absent: iec104 differential SKIPPED' : !haveTshark ? 'tshark not installed: iec104 differential SKIPPED' : false;
const PORT = 2404;
const U_NAMES: Record<number, string> = { 1: 'startdt_act', 2: 'startdt_con', 4: 'stopdt_act', 8: 'stopdt_con', 16: 'testfr_act', 32: 'testfr_con' };

type Multiset = Record<string, number>;
const add = (m: Multiset, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

interface Fields {
  type_id?: number;
  cot?: number;
  response_cot?: number;
  response_type_id?: number;
  term_latency_ms?: number;
  apci: string;
  u_function?: string;
  confirmed?: boolean;
}

async function lanternMessages(path: string): Promise<Multiset> {
  const out: Multiset = {};
  const pipeline = new Pipeline({
    events: {
      transaction(r) {
        if (r.protocol !== 'iec104' || r.type !== 'transaction') return;
        const t = r as unknown as TransactionEvent & { client: { port: number }; iec104: Fields };
        const x = t.iec104;
        const fromClient = t.origin === 'client';
        const senderIsOutstationPort = (fromClient ? t.client.port : (t as unknown as { server: { port: number } }).server.port) === PORT;
        const s = senderIsOutstationPort ? 'o' : 'c';
        const other = senderIsOutstationPort ? 'c' : 'o';
        if (x.apci === 'U') {
          add(out, `${s}:${x.u_function}_${t.operation.sub!.name}`);
          if (x.confirmed === true) add(out, `${other}:${x.u_function}_con`);
          return;
        }
        add(out, `${s}:${x.type_id}/${x.cot}`);
        if (x.response_cot !== undefined) add(out, `${other}:${x.response_type_id ?? x.type_id}/${x.response_cot}`);
        if (x.term_latency_ms !== undefined) add(out, `${other}:${x.type_id}/10`);
      },
      hint() {},
    },
    detail: { level: 'full' },
  });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.deepEqual(pipeline.errorSamples, [], path);
  assert.equal(pipeline.anomalies.get('flow.protocol_error'), 0, path);
  return out;
}

async function tsharkMessages(path: string): Promise<Multiset> {
  const fields = ['tcp.srcport', 'iec60870_104.type', 'iec60870_104.utype', 'iec60870_asdu.typeid', 'iec60870_asdu.causetx'];
  const args = ['-r', path, '-Y', 'iec60870_104', '-T', 'fields', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])];
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  const out: Multiset = {};
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [sport, , utypes, tids, cots] = line.split('\t');
    const s = Number(sport) === PORT ? 'o' : 'c';
    for (const u of (utypes ?? '').split(',')) if (u !== '') add(out, `${s}:${U_NAMES[Number(u)] ?? `u${u}`}`);
    const a = (tids ?? '').split(',').filter((v) => v !== '');
    const c = (cots ?? '').split(',');
    for (let i = 0; i < a.length; i++) add(out, `${s}:${a[i]}/${c[i]}`);
  }
  return out;
}

test('corpus: IEC 104 ASDUs (side, type id, cause) and U functions equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  const rows = readManifest().filter((r) => /(^|;)iec104\(/.test(r.protocols));
  const differences: string[] = [];
  let messages = 0;
  for (const row of rows) {
    const ours = await lanternMessages(row.absPath);
    const theirs = await tsharkMessages(row.absPath);
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      messages += ours[k] ?? 0;
      if (ours[k] !== theirs[k]) differences.push(`${row.path}: ${k}: lantern ${ours[k] ?? 0}, tshark ${theirs[k] ?? 0}`);
    }
  }
  t.diagnostic(`iec104 vs tshark: ${rows.length} captures, ${messages} messages, ${differences.length} differences`);
  assert.ok(rows.length > 0);
  assert.deepEqual(differences, []);
});
