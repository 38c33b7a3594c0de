// Modbus/TCP adapter: messages per direction and function code (Lantern's transactions; tshark `-Y mbtcp`), and the
// Zeek btest baselines (modbus_message events, modbus.log).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TransactionEvent } from '../../src/protocols/operation.js';
import { CORPUS_DIR } from '../support.js';
import { add, runLantern, type Adapter, type LanternReduction, type Multiset } from './harness.js';

function lantern(): LanternReduction {
  const out: Multiset = {};
  return {
    transaction(r) {
      if (r.protocol !== 'modbus' || r.type !== 'transaction') return;
      const t = r as unknown as TransactionEvent;
      if (t.origin === 'client') add(out, `q${t.operation.code}`);
      if (t.outcome !== 'no_response') add(out, `r${t.operation.code}`);
    },
    keys: () => out,
  };
}

async function lanternKeys(path: string): Promise<Multiset> {
  const r = lantern();
  assert.deepEqual(await runLantern(path, [r]), [], path);
  return r.keys();
}

const LATE_SEGMENT =
  'tshark skips a late-captured segment it takes for a spurious retransmission: frame 3150 (server, seq 7085, the response to tid 50382) was captured after the client had ACKed it; it is the only copy of those bytes in the capture, so Lantern\'s reassembly delivers it by sequence number (RFC 9293 §3.4) and the request gets its response (Zeek\'s baseline coil_parsing_big lacks it too)';

export const modbusAdapter: Adapter = {
  id: 'modbus',
  title: 'Modbus/TCP',
  manifest: /(^|;)modbus\(/,
  keys: '`q<function code>` for a request, `r<function code>` for a response (an exception response counts under its request\'s function code); tshark: `-Y mbtcp`, `modbus.func_code`, direction by destination port 502.',
  lantern,
  tshark: {
    args: ['-Y', 'mbtcp', '-T', 'fields', '-E', 'separator=\t', '-e', 'tcp.dstport', '-e', 'udp.dstport', '-e', 'modbus.func_code'],
    reduce(stdout) {
      const out: Multiset = {};
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const [tcpPort, udpPort, codes] = line.split('\t');
        const toServer = Number(tcpPort || udpPort) === 502;
        for (const fc of (codes ?? '').split(',')) if (fc !== '') add(out, `${toServer ? 'q' : 'r'}${Number(fc)}`);
      }
      return out;
    },
  },
  direction: (k) => (k.startsWith('q') ? 'request (client → server)' : 'response (server → client)'),
  explained: {
    'zeek/Traces/modbus/modbusBig.pcap': { r1: LATE_SEGMENT },
  },
  explainedCaptures: [
    {
      capture: /^zeek\/Traces\/modbus\/fuzz-72\.pcap$/,
      reason:
        'Zeek\'s fuzzed capture: tshark decodes it as Modbus by port 502 alone; Lantern\'s probe rejects both directions, since the server\'s first ADU has MBAP length 0 (the length counts the unit identifier and the PDU, so it is at least 2: Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3) and the client\'s function codes (29, 33, 35, ...) are unassigned (Modbus Application Protocol V1.1b3 §5.1)',
      check: (ours) => assert.deepEqual(ours, {}),
    },
  ],
  extras: [
    {
      name: 'messages equal the Zeek baselines coil_parsing_big, coil_parsing_small and modbus_and_non_modbus_on_port_502',
      async run() {
        const baseline = (name: string) => join(CORPUS_DIR, 'zeek', 'Baseline', `scripts.base.protocols.modbus.${name}`);
        const trace = (name: string) => join(CORPUS_DIR, 'zeek', 'Traces', 'modbus', name);
        // modbus_message events: `[tid=.., function_code=N, len=..], T|F` (T: from the originator).
        const fromEvents = (file: string) => {
          const out: Multiset = {};
          for (const m of readFileSync(file, 'utf8').matchAll(/^1 modbus_message, .*function_code=(\d+), len=\d+\], ([TF])$/gm)) {
            add(out, `${m[2] === 'T' ? 'q' : 'r'}${Number(m[1]) & 0x7f}`);
          }
          return out;
        };
        const big = await lanternKeys(trace('modbusBig.pcap'));
        // The one response Zeek lacks is the late-captured segment explained above.
        assert.deepEqual({ ...big, r1: big.r1 - 1 }, fromEvents(join(baseline('coil_parsing_big'), 'output')));
        assert.deepEqual(await lanternKeys(trace('modbusSmall.pcap')), fromEvents(join(baseline('coil_parsing_small'), 'output')));
        // modbus.log: func name and REQ/RESP.
        const log = readFileSync(join(baseline('modbus_and_non_modbus_on_port_502'), 'modbus.log'), 'utf8');
        const names: Record<string, number> = { READ_COILS: 1, READ_HOLDING_REGISTERS: 3, WRITE_SINGLE_COIL: 5, WRITE_SINGLE_REGISTER: 6 };
        const zeek: Multiset = {};
        for (const line of log.split('\n')) {
          const f = line.split('\t');
          if (line.startsWith('#') || f.length < 10) continue;
          add(zeek, `${f[9] === 'REQ' ? 'q' : 'r'}${names[f[8]] ?? f[8]}`);
        }
        assert.deepEqual(await lanternKeys(trace('modbus-and-non-modbus-p502.pcap')), zeek);
      },
    },
  ],
};
