// OPC UA adapter: UA TCP message types (one per chunk) and service types (Lantern's transactions; tshark `-Y opcua`,
// `opcua.transport.type`, `opcua.servicenodeid.numeric`).
import { SERVICE_FAULT, SERVICES } from '../../src/protocols/opcua/codes.js';
import { add, type Adapter, type LanternReduction, type Multiset } from './harness.js';

const NAMES = new Map<number, string>([[SERVICE_FAULT, 'ServiceFault']]);
for (const s of SERVICES) {
  NAMES.set(s.request, `${s.service}Request`);
  NAMES.set(s.response, `${s.service}Response`);
}

function lantern(): LanternReduction {
  const out: Multiset = {};
  return {
    transaction(r) {
      if (r.protocol !== 'opcua' || r.type !== 'transaction') return;
      const o = (r as unknown as { opcua: Record<string, unknown> }).opcua;
      const type = o.message_type as string;
      add(out, `t:${type}`, (o.chunk_count as number | undefined) ?? 1);
      if ((r as unknown as { origin: string }).origin === 'client' && o.response_size !== undefined) {
        add(out, `t:${(o.response_message_type as string | undefined) ?? type}`, (o.response_chunk_count as number | undefined) ?? 1);
      }
      if (typeof o.request_type === 'string') add(out, `s:${o.request_type}`);
      if (typeof o.response_type === 'string') add(out, `s:${o.response_type}`);
    },
    keys: () => out,
  };
}

const GAP =
  'the CreateSessionResponse (about 14 KiB) spans a segment captured only as a "spurious retransmission" (frames 26, 30); tshark does not reassemble it, Lantern\'s reassembly delivers it by sequence number (RFC 9293 §3.4), the only copy of those bytes in the capture';

export const opcuaAdapter: Adapter = {
  id: 'opcua',
  title: 'OPC UA',
  manifest: /(^|;)opcua\(/,
  keys: '`t:<message type>` per UA TCP chunk (HEL, ACK, ERR, OPN, MSG, CLO; the type does not tell the direction), `s:<service type>` per service request, response or ServiceFault; tshark: `-Y opcua`, `opcua.transport.type`, `opcua.servicenodeid.numeric`.',
  lantern,
  tshark: {
    args: ['-Y', 'opcua', '-T', 'fields', '-E', 'separator=\t', '-e', 'opcua.transport.type', '-e', 'opcua.servicenodeid.numeric'],
    reduce(stdout) {
      const out: Multiset = {};
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const [types, ids] = line.split('\t');
        for (const t of types.split(',')) if (t !== '') add(out, `t:${t}`);
        for (const id of (ids ?? '').split(',')) if (id !== '') add(out, `s:${NAMES.get(Number(id)) ?? `i=${id}`}`);
      }
      return out;
    },
  },
  direction: () => 'chunks (either direction)',
  isMessage: (k) => k.startsWith('t:'),
  explained: {
    'icsnpp-opcua-binary/pcaps/opcua_with-gap.pcap': { 't:MSG': GAP, 's:CreateSessionResponse': GAP },
    'icsnpp-opcua-binary/tests/traces/opcua_with-gap.pcap': { 't:MSG': GAP, 's:CreateSessionResponse': GAP },
  },
  // Lantern's probe finds OPC UA by the UA TCP header, whatever the port.
  decodeAs: {
    'icsnpp-opcua-binary/pcaps/open62541_client-server_mainloop-not-localhost-non-standard-port.pcap': 'tcp.port==48010,opcua',
    'icsnpp-opcua-binary/tests/traces/open62541_client-server_mainloop-not-localhost-non-standard-port.pcap': 'tcp.port==48010,opcua',
  },
};
