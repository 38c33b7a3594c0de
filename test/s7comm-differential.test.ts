// Differential check of the S7comm module against independent decoders: per corpus capture that carries S7comm, the
// multiset of (direction, ROSCTR, job function or userdata group.subfunction) of the messages Lantern decodes equals
// tshark's (`-Y s7comm`); the CPU identity from the snap7 capture equals what the snap7 client printed for the same
// traffic (gymgit-s7-pcaps/snap7_s300_events.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { AssetHintEvent, TransactionEvent } from '../src/protocols/operation.js';
import { CORPUS_DIR, CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const haveTshark = spawnSync('tshark', ['--version']).status === 0;
const NO_CORPUS = CORPUS_PRESENT ? false : 'corpus absent: s7comm differential SKIPPED';
const SKIP = NO_CORPUS || (!haveTshark ? 'tshark not installed: s7comm differential SKIPPED' : false);
const ROSCTR: Record<string, number> = { job: 1, ack: 2, ack_data: 3, userdata: 7 };

type Multiset = Record<string, number>;
const add = (m: Multiset, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

interface Decoded {
  messages: Multiset;
  hints: AssetHintEvent[];
  transactions: number;
}

async function lantern(path: string): Promise<Decoded> {
  const messages: Multiset = {};
  const hints: AssetHintEvent[] = [];
  let transactions = 0;
  const pipeline = new Pipeline({
    events: {
      transaction(r) {
        if (r.protocol !== 's7comm' || r.type !== 'transaction') return;
        transactions++;
        const t = r as unknown as TransactionEvent;
        const own = t.s7comm as Record<string, unknown>;
        if (own.s7comm_plus === true) return;
        // Userdata without a decodable parameter head: tshark shows no function group either.
        const key = t.operation.name === 'malformed_userdata' ? '?' : t.operation.sub ? `${t.operation.code}.${t.operation.sub.code}` : String(t.operation.code);
        const first = ROSCTR[own.rosctr as string];
        const from = t.origin === 'client' ? 'C' : 'S';
        add(messages, `${from} ${first} ${first === 2 ? '' : key}`);
        if (typeof own.response_rosctr === 'string') {
          const second = ROSCTR[own.response_rosctr];
          add(messages, `${from === 'C' ? 'S' : 'C'} ${second} ${second === 2 ? '' : key}`);
        }
      },
      hint(r) {
        if (r.protocol === 's7comm') hints.push(r as unknown as AssetHintEvent);
      },
    },
    detail: { level: 'full' },
  });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.deepEqual(pipeline.errorSamples, [], path);
  assert.equal(pipeline.anomalies.get('flow.protocol_error'), 0, path);
  return { messages, hints, transactions };
}

async function tshark(path: string): Promise<Multiset> {
  const fields = ['tcp.srcport', 's7comm.header.rosctr', 's7comm.param.func', 's7comm.param.userdata.funcgroup', 's7comm.param.userdata.subfunc'];
  const args = ['-r', path, '-Y', 's7comm', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])];
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  const out: Multiset = {};
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [port, rosctrs, funcs, groups, subs] = line.split('\t');
    const list = (s: string | undefined) => (s ? s.split(',') : []);
    const f = list(funcs);
    const g = list(groups);
    const sf = list(subs);
    let fi = 0;
    let ui = 0;
    for (const x of list(rosctrs)) {
      const r = Number(x);
      let key = '';
      if (r === 7) {
        key = g[ui] === undefined || sf[ui] === undefined ? '?' : `${Number(g[ui])}.${Number(sf[ui])}`;
        ui++;
      } else if (r !== 2) {
        key = String(Number(f[fi++]));
      }
      add(out, `${Number(port) === 102 ? 'S' : 'C'} ${r} ${key}`);
    }
  }
  return out;
}

test('corpus: S7comm messages per direction, ROSCTR and function equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  const rows = readManifest().filter((r) => /(^|;)s7comm\(/.test(r.protocols));
  const differences: string[] = [];
  let messages = 0;
  for (const row of rows) {
    const ours = await lantern(row.absPath);
    const theirs = await tshark(row.absPath);
    for (const k of new Set([...Object.keys(ours.messages), ...Object.keys(theirs)])) {
      const a = ours.messages[k] ?? 0;
      const b = theirs[k] ?? 0;
      messages += b;
      if (a !== b) differences.push(`${row.path}: ${k}: lantern ${a}, tshark ${b}`);
    }
  }
  t.diagnostic(`${rows.length} captures, ${messages} S7comm messages compared`);
  assert.deepEqual(differences, []);
});

function printed(text: string, label: string): string | undefined {
  const m = new RegExp(`^\\s*${label}\\s*:\\s*(.+?)\\s*$`, 'm').exec(text);
  return m?.[1];
}

test('corpus: CPU identity and block counts from snap7.pcap equal the snap7 client printout', { skip: NO_CORPUS }, async () => {
  const pcap = join(CORPUS_DIR, 'icsnpp-s7comm/tests/traces/snap7.pcap');
  const txt = join(CORPUS_DIR, 'gymgit-s7-pcaps/snap7_s300_events.txt');
  if (!existsSync(pcap) || !existsSync(txt)) return;
  const text = readFileSync(txt, 'utf8');
  const { hints } = await lantern(pcap);
  const identity: Record<string, unknown> = {};
  for (const h of hints) Object.assign(identity, h.identity ?? {});
  assert.equal(identity.order_number, printed(text, 'Order Code'));
  assert.equal(identity.model, printed(text, 'Module Type Name'));
  assert.equal(identity.serial, printed(text, 'Serial Number'));
  assert.equal(identity.plc_name, printed(text, 'AS Name'));
  assert.equal(identity.name, printed(text, 'Module Name'));
  // snap7's "Catalog" version is the last three bytes of its SZL 0x0011 buffer: the boot loader record.
  assert.equal((identity.boot_loader as string).slice(1), printed(text, 'Version'));
});
