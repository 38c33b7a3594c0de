// Differential check of the IT identity modules (http, tls, ssh) and the LLDP/CDP parsers against tshark: per corpus
// capture that carries them, HTTP requests, TLS ClientHellos, SSH banners and LLDP/CDP frames Lantern decodes equal
// the frames tshark dissects as such; and no internal error on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { AnomalyCounter } from '../src/common/anomaly.js';
import type { Frame } from '../src/capture/frame.js';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Decoder } from '../src/decode/decoder.js';
import { macString } from '../src/decode/format.js';
import { Packet } from '../src/decode/packet.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { parseCdp } from '../src/protocols/link-discovery/cdp.js';
import { parseLldp } from '../src/protocols/link-discovery/lldp.js';
import type { TransactionEvent } from '../src/protocols/operation.js';
import { CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const haveTshark = spawnSync('tshark', ['--version']).status === 0;
const SKIP = !CORPUS_PRESENT ? 'corpus absent: IT identity differential SKIPPED' : !haveTshark ? 'tshark not installed: IT identity differential SKIPPED' : false;

type Counts = Record<string, number>;
const add = (m: Counts, k: string, n = 1) => {
  if (n !== 0) m[k] = (m[k] ?? 0) + n;
};

/** One tshark pass: the frames matching each named filter (one display filter, fields tell them apart). */
async function tsharkCounts(path: string, filters: Record<string, string>): Promise<Counts> {
  const names = Object.keys(filters);
  const args = ['-r', path, '-Y', names.map((n) => `(${filters[n]})`).join(' || '), '-T', 'fields', '-E', 'separator=|'];
  for (const n of names) args.push('-e', FIELD[n]);
  const { stdout } = await run('tshark', args, { maxBuffer: 64 * 1024 * 1024 });
  const out: Counts = {};
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const cols = line.split('|');
    names.forEach((n, i) => {
      if (MATCH[n](cols[i] ?? '')) add(out, n);
    });
  }
  return out;
}

/** The field that tells each filter's frames apart, and how its value says the frame matched. */
const FIELD: Record<string, string> = { http: 'http.request.method', tls: 'tls.handshake.type', ssh: 'ssh.protocol', lldp: 'lldp.tlv.type', cdp: 'cdp.version' };
const MATCH: Record<string, (v: string) => boolean> = {
  http: (v) => v !== '',
  tls: (v) => v.split(',').includes('1'),
  ssh: (v) => v !== '',
  lldp: (v) => v !== '',
  cdp: (v) => v !== '',
};

test('corpus: HTTP requests, TLS ClientHellos and SSH banners equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  // Found by running the pipeline over every capture: these are all the captures where http/tls/ssh show up.
  const rows = readManifest().filter((r) => /(^|[ ,])(http|tls|ssh)=/.test(r.notes));
  const differences: string[] = [];
  const totals: Counts = {};
  for (const row of rows) {
    const ours: Counts = {};
    const pipeline = new Pipeline({
      events: {
        transaction(r) {
          const e = r as unknown as TransactionEvent;
          if (e.protocol === 'http' && e.origin === 'client') add(ours, 'http');
          if (e.protocol === 'tls' && e.origin === 'client') add(ours, 'tls');
          if (e.protocol === 'ssh') add(ours, 'ssh', Object.keys(e.ssh as object).length);
        },
        hint() {},
      },
      detail: { level: 'full' },
      inventory: null,
    });
    await readCaptureFile(row.absPath, pipeline, pipeline.anomalies);
    pipeline.finish();
    assert.deepEqual(pipeline.errorSamples, [], row.path);
    assert.equal(pipeline.anomalies.get('flow.protocol_error'), 0, row.path);
    // HTTP over UDP (SSDP M-SEARCH/NOTIFY) is not this module's.
    const theirs = await tsharkCounts(row.absPath, { http: 'http.request && tcp', tls: 'tls.handshake.type == 1', ssh: 'ssh.protocol' });
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      add(totals, k, ours[k] ?? 0);
      if ((ours[k] ?? 0) !== (theirs[k] ?? 0)) differences.push(`${row.path}: ${k} lantern ${ours[k] ?? 0}, tshark ${theirs[k] ?? 0}`);
    }
  }
  t.diagnostic(`${rows.length} captures; ${JSON.stringify(totals)}`);
  assert.deepEqual(differences, []);
});

test('corpus: LLDP and CDP frames parsed equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  const rows = readManifest().filter((r) => /(^|;)(lldp|cdp)\(/.test(r.protocols));
  const differences: string[] = [];
  const totals: Counts = {};
  for (const row of rows) {
    const anomalies = new AnomalyCounter();
    const decoder = new Decoder(anomalies);
    const pkt = new Packet();
    const ours: Counts = {};
    const handler = {
      onFrame(frame: Frame) {
        decoder.decode(frame, pkt);
        const mac = macString(pkt.buf, pkt.srcMacOff);
        if (pkt.etherType === 0x88cc && parseLldp(pkt.buf, pkt.l2PayloadOff, pkt.l2PayloadEnd, mac, anomalies) !== null) add(ours, 'lldp');
        if (pkt.snapOui === 0x00000c && pkt.snapPid === 0x2000 && parseCdp(pkt.buf, pkt.l2PayloadOff, pkt.l2PayloadEnd, mac, anomalies) !== null) {
          add(ours, 'cdp');
        }
      },
    };
    await readCaptureFile(row.absPath, handler, anomalies);
    const theirs = await tsharkCounts(row.absPath, { lldp: 'lldp', cdp: 'cdp' });
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      add(totals, k, ours[k] ?? 0);
      if ((ours[k] ?? 0) !== (theirs[k] ?? 0)) differences.push(`${row.path}: ${k} lantern ${ours[k] ?? 0}, tshark ${theirs[k] ?? 0}`);
    }
    const ld = Object.entries(anomalies.toJSON()).filter(([code]) => code.startsWith('link_discovery.'));
    if (ld.length > 0) differences.push(`${row.path}: anomalies ${JSON.stringify(Object.fromEntries(ld))}`);
  }
  t.diagnostic(`${rows.length} captures; ${JSON.stringify(totals)}`);
  assert.deepEqual(differences, []);
});
