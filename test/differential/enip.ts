// EtherNet/IP adapter: encapsulation commands and CIP services per direction (Lantern's transactions; tshark
// `-Y enip`, `enip.command`, `cip.sc`, with the Multiple_Service_Packet and Unconnected_Send wrappers dropped, since
// Lantern reports the services they carry).
import { ENCAP_COMMANDS } from '../../src/protocols/enip/codes.js';
import type { TransactionEvent } from '../../src/protocols/operation.js';
import { add, type Adapter, type LanternReduction, type Multiset } from './harness.js';

const code = (n: number) => n.toString(16);

function lantern(): LanternReduction {
  const counts: Multiset = {};
  return {
    transaction(r) {
      if (r.protocol !== 'enip' || r.type !== 'transaction') return;
      const t = r as unknown as TransactionEvent;
      const f = t.enip as Record<string, unknown>;
      if (t.operation.name === 'cip_io') return;
      const cmd = f.command_code as number;
      const replied = t.latency_ms !== null || t.origin === 'server';
      if (f.msp_index === undefined || f.msp_index === 0) {
        if (t.origin === 'client') add(counts, `qcmd${code(cmd)}`);
        if (replied) add(counts, `rcmd${code(cmd)}`);
      }
      if (ENCAP_COMMANDS[t.operation.code]?.name === t.operation.name) return;
      if (t.origin === 'client') add(counts, `qsvc${code(t.operation.code)}`);
      if (f.general_status !== undefined) add(counts, `rsvc${code(t.operation.code)}`);
    },
    keys: () => counts,
  };
}

const LATE_SEGMENTS =
  'frames 229 and 232 (server → client, 53 bytes each, Read_Tag replies) are marked "TCP Spurious Retransmission" / "Previous segment not captured" by tshark and not dissected; they are the only copies of those bytes in the capture, so Lantern\'s reassembly delivers them by sequence number (RFC 9293 §3.4) and decodes two more replies';

export const enipAdapter: Adapter = {
  id: 'enip',
  title: 'EtherNet/IP and CIP',
  manifest: /\b(enip|cip)\(/,
  keys: '`<q|r>cmd<hex>`: an encapsulation command, request (to port 44818) or reply; `<q|r>svc<hex>`: a CIP service request or reply (the services inside Multiple_Service_Packet and Unconnected_Send, not the wrappers; class 1 I/O not compared); tshark: `-Y enip`, `enip.command`, `cip.rr`, `cip.sc`, `cip.class`.',
  lantern,
  tshark: {
    args: ['-Y', 'enip', '-T', 'fields', '-E', 'separator=\t', '-e', 'enip.command', '-e', 'tcp.srcport', '-e', 'udp.srcport', '-e', 'cip.rr', '-e', 'cip.sc', '-e', 'cip.class'],
    reduce(stdout) {
      const out: Multiset = {};
      for (const line of stdout.split('\n')) {
        if (line.length === 0) continue;
        const [cmd = '', tsp = '', usp = '', rr = '', sc = '', cls = ''] = line.split('\t');
        const d = (tsp || usp) === '44818' ? 'r' : 'q';
        for (const c of cmd.split(',')) if (c) add(out, `${d}cmd${code(parseInt(c, 16))}`);
        if (!sc) continue;
        const scs = sc.split(',').map((x) => parseInt(x, 16));
        const cm = cls.split(',').includes('0x06');
        const isReply = rr.split(',')[0] !== '' && parseInt(rr.split(',')[0], 16) !== 0;
        scs.forEach((s, j) => {
          if (scs.length > 1 && j < scs.length - 1 && (s === 0x0a || (s === 0x52 && cm))) return;
          add(out, `${isReply ? 'r' : 'q'}svc${code(s)}`);
        });
      }
      return out;
    },
  },
  direction: (k) => (k.startsWith('q') ? 'request (to port 44818)' : 'reply'),
  isMessage: (k) => k.slice(1, 4) === 'cmd',
  explained: {
    'emreekin-ics-pcaps/CIP/specialCIP.pcap': { rcmd70: LATE_SEGMENTS, rsvc4c: LATE_SEGMENTS },
  },
};
