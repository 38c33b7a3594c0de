// DNP3 adapter: application function codes of every fragment (Lantern's transactions; tshark `-Y dnp3`,
// `dnp3.al.func`), and the requests of the Zeek btest baselines (dnp3.log fc_request).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../support.js';
import { add, runLantern, type Adapter, type LanternReduction, type Multiset } from './harness.js';

interface Dnp3Fields {
  func_code: number;
  func: string;
  response_func_code?: number;
  fragments?: number;
}

/** Function codes of every application fragment Lantern decoded, and the names of the requests. */
function reduce(): LanternReduction & { requests: Multiset } {
  const codes: Multiset = {};
  const requests: Multiset = {};
  return {
    requests,
    transaction(r) {
      if (r.protocol !== 'dnp3' || r.type !== 'transaction') return;
      const d = (r as unknown as { dnp3: Dnp3Fields }).dnp3;
      if (d.func_code < 129) {
        add(codes, d.func_code);
        if (d.func_code !== 0) add(requests, d.func.toUpperCase());
      }
      if (d.response_func_code !== undefined) add(codes, d.response_func_code, d.fragments ?? 1);
    },
    keys: () => codes,
  };
}

const WRAP =
  "tshark's transport reassembly fails where the transport sequence wraps 63 → 0 (IEEE 1815-2012 §8.2: the 6-bit transport sequence counts modulo 64, so 0 follows 63; Lantern reassembles these fragments): it shows a zero-filled 'confirm' where the fragment is a response; e.g. dnp3_example frames 17-18 (transport 0x7f FIR seq 63, then 0x80 FIN seq 0) and frame 311 (0xc0 after 0xff), dnp3dataset tcp port 34341 frames 14847-14852 (transport 0x7e, 0xbf then 0xc0): tshark decodes 49 zero octets as a confirm with control 0x00";
const UNDEFINED_LINK_FUNCTION =
  'frames 14 and 16 carry a read in link frames with undefined primary functions 5 and 10 (the conformance test checks the outstation ignores them); only user-data frames (primary functions 3 and 4) carry transport segments (IEEE 1815-2012 §9.2.4.1.3), Lantern drops them, tshark decodes the data anyway';
const TEST_LINK =
  'frame 8 carries a read in a TEST_LINK_STATES (primary function 2) frame, which carries no user data (IEEE 1815-2012 §9.2.4.1.3); Lantern drops it, tshark decodes it';
const QUT_INJECTION = 'qut-dnp3-2017/Injection/injection/testing/infrequent/attacker.pcap';
const AFTER_RESET =
  "requests sent after the outstation reset the connection: in the attacker's restart bursts on tcp ports 55068, 55070 and 55071 the outstation answers the first request, then sends FIN and RST, and answers each of the two repeats (e.g. frames 120818 and 120820) with RST alone: a closed connection discards them (RFC 9293 §3.10.7.1); Lantern counts them as `tcp.data_after_rst` and does not deliver them, tshark decodes every segment";
const SKIPPED_SEGMENT =
  "on tcp port 55073 tshark does not dissect frame 261693 (a cold restart in client bytes 16-30, the only copy), which it takes for a spurious retransmission; Lantern's reassembly delivers it by sequence number (RFC 9293 §3.4)";
const MALFORMED = 'malformed traffic (tshark reports 200+ malformed packets, bad CRCs, a TCP gap): the two decoders recover differently';

export const dnp3Adapter: Adapter = {
  id: 'dnp3',
  title: 'DNP3',
  manifest: /(^|;)dnp3\(/,
  keys: 'the application function code of every fragment (requests and confirms from the master, responses 129 and unsolicited responses 130 from the outstation); tshark: `-Y dnp3`, `dnp3.al.func`.',
  lantern: reduce,
  tshark: {
    args: ['-Y', 'dnp3', '-T', 'fields', '-e', 'dnp3.al.func'],
    reduce(stdout) {
      const out: Multiset = {};
      for (const line of stdout.split('\n')) for (const fc of line.split(',')) if (fc !== '') add(out, Number(fc));
      return out;
    },
  },
  // Function codes below 129 are master requests and the master's confirms (IEEE 1815-2012 §4.2.2.5).
  direction: (k) => (Number(k) < 129 ? 'master → outstation' : 'outstation → master'),
  explained: {
    'icsnpp-dnp3/testing/traces/dnp3_example.pcap': { 0: WRAP, 129: WRAP, 130: WRAP },
    'emreekin-ics-pcaps/DNP3/dnp3dataset_capturerem_to_cite_the_paper.pcap': { 0: WRAP, 129: WRAP, 130: WRAP },
    'iti-ics-security-tools/pcaps/dnp3/opendnp3-3/conformance/6.6.2.2/dump.pcap': { 1: UNDEFINED_LINK_FUNCTION },
    'iti-ics-security-tools/pcaps/dnp3/opendnp3-3/conformance/6.6.2.5/dump.pcap': { 1: TEST_LINK },
    'malcolm-test-artifacts/pcap/protocols/DNP3.pcap': { 0: MALFORMED, 1: MALFORMED, 129: MALFORMED, 130: MALFORMED },
    [QUT_INJECTION]: { 13: `${AFTER_RESET}; and ${SKIPPED_SEGMENT}`, 14: AFTER_RESET },
  },
  // Lantern's probe finds DNP3 by its link header and CRC, whatever the port.
  // In QUT_INJECTION, one unsolicited response goes from 127.0.0.1:20000 to port 80 (frame 78082), the only frame on port 80.
  decodeAs: { 'zeek/Traces/dnp3/dnp3_read_p20001.pcap': 'tcp.port==20001,dnp3', [QUT_INJECTION]: 'tcp.port==80,dnp3' },
  extras: [
    {
      name: 'requests equal the Zeek baselines (dnp3.log fc_request)',
      async run() {
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
          const r = reduce();
          assert.deepEqual(await runLantern(trace, [r]), [], name);
          assert.deepEqual(r.requests, zeek, name);
          compared++;
        }
        assert.ok(compared > 0, 'no Zeek DNP3 baseline found');
      },
    },
  ],
};
