// Differential check of the name service modules (dns with mdns/llmnr, nbns, dhcp) against tshark: per corpus capture
// that carries them, the number of messages Lantern decodes per protocol equals the number of frames tshark dissects
// as that protocol. Each difference investigated is listed with its evidence.
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
const SKIP = !CORPUS_PRESENT ? 'corpus absent: name services differential SKIPPED' : !haveTshark ? 'tshark not installed: name services differential SKIPPED' : false;

/**
 * Captures with these protocols below the manifest's "top" list, found by running the pipeline over every capture.
 */
const ALSO = new Set([
  'emreekin-ics-pcaps/COTP/cip_cotp_proces.pcap',
  'emreekin-ics-pcaps/COTP/cotp.pcap',
  'emreekin-ics-pcaps/IEC60870-104/104deneme2.pcap',
  'emreekin-ics-pcaps/IEC61850/iedscout.pcap',
  'emreekin-ics-pcaps/LocalPCAP/cip_cotp_proces.pcap',
  'icsnpp-synchrophasor/tests/traces/C37.118_2PMUsInSync_TCP.pcap',
  'iti-ics-security-tools/pcaps/IEC61850/Sample_File_MMS_and_GOOSE.pcap',
  'malcolm-test-artifacts/pcap/protocols/BSAP.pcap',
  'modbus-dataset-lemay/CnC_uploading_exe_modbus_6RTU_with_operate.pcap',
]);

/** `<capture path>: <protocol>` → why Lantern and tshark differ there. */
const EXPLAINED: Record<string, string> = {
  // Frame 3755: 0.0.0.0:0 → 255.255.255.255:4989, 542 bytes in the BOOTP layout with the DHCP magic cookie, chaddr all
  // zero, options 53 (discover) and 55. tshark dissects DHCP by port only; the probe goes by the bytes.
  'icsnpp-synchrophasor/tests/traces/C37.118_2PMUsInSync_TCP.pcap: dhcp': 'DHCP layout on a vendor port (4989)',
  'malcolm-test-artifacts/pcap/protocols/Synchrophasor.pcap: dhcp': 'the same frame, merged into Malcolm’s copy',
};

type Counts = Record<string, number>;
const add = (m: Counts, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

async function lanternCounts(path: string): Promise<Counts> {
  const out: Counts = {};
  const pipeline = new Pipeline({
    events: {
      transaction(r) {
        if (r.type !== 'transaction') return;
        const t = r as unknown as TransactionEvent;
        if (t.protocol === 'dhcp') add(out, 'dhcp');
        if (t.protocol !== 'dns' && t.protocol !== 'nbns') return;
        const f = t[t.protocol] as { variant?: string; rcode?: number };
        const key = t.protocol === 'dns' ? f.variant! : 'nbns';
        // A query is there unless the transaction is a lone response; a response when it has an rcode.
        if (f.rcode === undefined || t.latency_ms !== null) add(out, key);
        if (f.rcode !== undefined) add(out, key);
      },
      hint() {},
    },
    detail: { level: 'full' },
  });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.deepEqual(pipeline.errorSamples, [], path);
  assert.equal(pipeline.anomalies.get('flow.protocol_error'), 0, path);
  // Retransmitted queries are folded into the first one's transaction: each was a message.
  add(out, 'dns', pipeline.anomalies.get('dns.retransmitted_query'));
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

async function tsharkCounts(path: string): Promise<Counts> {
  const out: Counts = {};
  const args = ['-r', path, '-Y', 'dns or mdns or llmnr or nbns or dhcp', '-T', 'fields', '-e', 'frame.protocols'];
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  for (const line of stdout.split('\n')) {
    const m = /:(mdns|llmnr|dns|nbns|dhcp)(:|$)/.exec(line);
    if (m !== null) add(out, m[1]);
  }
  return out;
}

test('corpus: DNS/mDNS/LLMNR, NBNS and DHCP message counts equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  const rows = readManifest().filter((r) => /(^|[ ,])(dns|mdns|llmnr|nbns|dhcp)=/.test(r.notes) || ALSO.has(r.path));
  const differences: string[] = [];
  let explained = 0;
  const totals: Counts = {};
  for (const row of rows) {
    const ours = await lanternCounts(row.absPath);
    const theirs = await tsharkCounts(row.absPath);
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      add(totals, k, ours[k] ?? 0);
      if ((ours[k] ?? 0) === (theirs[k] ?? 0)) continue;
      if (EXPLAINED[`${row.path}: ${k}`] !== undefined) {
        explained++;
        continue;
      }
      differences.push(`${row.path}: ${k} lantern ${ours[k] ?? 0}, tshark ${theirs[k] ?? 0}`);
    }
  }
  t.diagnostic(`${rows.length} captures; messages ${JSON.stringify(totals)}; ${explained} explained differences`);
  assert.deepEqual(differences, []);
});
