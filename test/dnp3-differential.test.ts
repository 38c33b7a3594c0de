// Differential check of the DNP3 module: per corpus capture carrying DNP3 (the two 54 MB QUT captures excepted, for
// time), the multiset of application function codes Lantern decodes equals tshark's (`-Y dnp3 -e dnp3.al.func`), and
// the requests of the Zeek btest baselines (dnp3.log fc_request). Each difference investigated is listed with evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { CORPUS_DIR, CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const haveTshark = spawnSync('tshark', ['--version']).status === 0;
const NO_CORPUS = CORPUS_PRESENT ? false : 'corpus absent: dnp3 differential SKIPPED';
const SKIP = NO_CORPUS || (!haveTshark ? 'tshark not installed: dnp3 differential SKIPPED' : false);
const MAX_SIZE = 8 * 1024 * 1024;

const WRAP = "tshark's transport reassembly fails where the transport sequence wraps 63 → 0: it shows a zero-filled 'confirm' where the fragment is a response";
/** `<capture path>: <function code>` → why Lantern and tshark differ there. */
const EXPLAINED: Record<string, string> = {
  // e.g. frames 17-18 (transport 0x7f FIR seq 63, 0x80 FIN seq 0) and frame 311 (0xc0 after 0xff): tshark decodes
  // 49 zero octets as a confirm with control 0x00.
  'icsnpp-dnp3/testing/traces/dnp3_example.pcap: 0': WRAP,
  'icsnpp-dnp3/testing/traces/dnp3_example.pcap: 129': WRAP,
  'icsnpp-dnp3/testing/traces/dnp3_example.pcap: 130': WRAP,
  // e.g. tcp port 34341, frames 14847-14852: transport 0x7e, 0xbf then 0xc0.
  'emreekin-ics-pcaps/DNP3/dnp3dataset_capturerem_to_cite_the_paper.pcap: 0': WRAP,
  'emreekin-ics-pcaps/DNP3/dnp3dataset_capturerem_to_cite_the_paper.pcap: 129': WRAP,
  'emreekin-ics-pcaps/DNP3/dnp3dataset_capturerem_to_cite_the_paper.pcap: 130': WRAP,
  // Frames 14 and 16 carry a read in link frames with undefined primary functions 5 and 10 (the conformance test
  // checks the outstation ignores them); tshark decodes the data anyway.
  'iti-ics-security-tools/pcaps/dnp3/opendnp3-3/conformance/6.6.2.2/dump.pcap: 1': 'data in link frames of undefined function',
  // Frame 8 carries a read in a TEST_LINK_STATES (function 2) frame.
  'iti-ics-security-tools/pcaps/dnp3/opendnp3-3/conformance/6.6.2.5/dump.pcap: 1': 'data in a test-link-states frame',
  // Port 20001: tshark decodes DNP3 only on its configured ports; Lantern's probe finds it by the header CRC.
  'zeek/Traces/dnp3/dnp3_read_p20001.pcap: 1': 'non-standard port',
  'zeek/Traces/dnp3/dnp3_read_p20001.pcap: 129': 'non-standard port',
  // Malformed traffic (tshark reports 200+ malformed packets, bad CRCs, a TCP gap): the two decoders recover differently.
  'malcolm-test-artifacts/pcap/protocols/DNP3.pcap: 0': 'malformed capture',
  'malcolm-test-artifacts/pcap/protocols/DNP3.pcap: 1': 'malformed capture',
  'malcolm-test-artifacts/pcap/protocols/DNP3.pcap: 129': 'malformed capture',
  'malcolm-test-artifacts/pcap/protocols/DNP3.pcap: 130': 'malformed capture',
};

type Multiset = Record<string, number>;
const add = (m: Multiset, k: string | number, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

interface Dnp3Fields {
  func_code: number;
  func: string;
  response_func_code?: number;
  fragments?: number;
}

/** Function codes of every application fragment Lantern decoded, and the names of the requests. */
async function lanternMessages(path: string): Promise<{ codes: Multiset; requests: Multiset }> {
  const codes: Multiset = {};
  const requests: Multiset = {};
  const pipeline = new Pipeline({
    events: {
      transaction(r) {
        if (r.protocol !== 'dnp3' || r.type !== 'transaction') return;
        const d = (r as unknown as { dnp3: Dnp3Fields }).dnp3;
        if (d.func_code < 129) {
          add(codes, d.func_code);
          if (d.func_code !== 0) add(requests, d.func.toUpperCase());
        }
        if (d.response_func_code !== undefined) add(codes, d.response_func_code, d.fragments ?? 1);
      },
      hint() {},
    },
    detail: { level: 'full' },
  });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.deepEqual(pipeline.errorSamples, [], path);
  assert.equal(pipeline.anomalies.get('flow.protocol_error'), 0, path);
  return { codes, requests };
}

async function tsharkCodes(path: string): Promise<Multiset> {
  const { stdout } = await run('tshark', ['-r', path, '-Y', 'dnp3', '-T', 'fields', '-e', 'dnp3.al.func'], { maxBuffer: 256 * 1024 * 1024 });
  const out: Multiset = {};
  for (const line of stdout.split('\n')) for (const fc of line.split(',')) if (fc !== '') add(out, Number(fc));
  return out;
}

test('corpus: DNP3 function codes per capture equal tshark', { skip: SKIP, timeout: 600_000 }, async (t) => {
  const rows = readManifest().filter((r) => /(^|;)dnp3\(/.test(r.protocols) && statSync(r.absPath).size <= MAX_SIZE);
  const differences: string[] = [];
  let explained = 0;
  let messages = 0;
  for (const row of rows) {
    const ours = (await lanternMessages(row.absPath)).codes;
    const theirs = await tsharkCodes(row.absPath);
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      messages += ours[k] ?? 0;
      if (ours[k] === theirs[k]) continue;
      const key = `${row.path}: ${k}`;
      if (key in EXPLAINED) explained++;
      else differences.push(`${key}: lantern ${ours[k] ?? 0}, tshark ${theirs[k] ?? 0}`);
    }
  }
  t.diagnostic(`dnp3 vs tshark: ${rows.length} captures, ${messages} fragments, ${explained} explained differences, ${differences.length} unexplained`);
  assert.deepEqual(differences, []);
});

test('corpus: DNP3 requests equal the Zeek baselines (dnp3.log fc_request)', { skip: NO_CORPUS, timeout: 120_000 }, async (t) => {
  const names = ['dnp3_del_measure', 'dnp3_en_spon', 'dnp3_file_del', 'dnp3_file_read', 'dnp3_file_write', 'dnp3_read', 'dnp3_rec_time', 'dnp3_select_operate', 'dnp3_udp_en_spon', 'dnp3_udp_read', 'dnp3_udp_select_operate', 'dnp3_udp_write', 'dnp3_write'];
  let compared = 0;
  for (const name of names) {
    const log = join(CORPUS_DIR, 'zeek', 'Baseline', `scripts.base.protocols.dnp3.${name}`, 'dnp3.log');
    const trace = join(CORPUS_DIR, 'zeek', 'Traces', 'dnp3', `${name}.pcap`);
    if (!existsSync(log) || !existsSync(trace)) continue;
    const zeek: Multiset = {};
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const f = line.split('\t');
      if (line.startsWith('#') || f.length < 8 || f[6] === '-') continue;
      add(zeek, f[6]);
    }
    assert.deepEqual((await lanternMessages(trace)).requests, zeek, name);
    compared++;
  }
  t.diagnostic(`dnp3 vs zeek baselines: ${compared} traces`);
});
