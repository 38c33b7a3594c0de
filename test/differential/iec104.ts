// IEC 60870-5-104 adapter: the (sending side, type id, cause of transmission) of every ASDU Lantern's transactions
// account for (the activation, its confirmation, termination or requested data, and lone messages), and the
// U-format functions; tshark `-Y iec60870_104`.
import type { TransactionEvent } from '../../src/protocols/operation.js';
import { add, type Adapter, type LanternReduction, type Multiset } from './harness.js';

const PORT = 2404;
const U_NAMES: Record<number, string> = { 1: 'startdt_act', 2: 'startdt_con', 4: 'stopdt_act', 8: 'stopdt_con', 16: 'testfr_act', 32: 'testfr_con' };

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

function lantern(): LanternReduction {
  const out: Multiset = {};
  return {
    transaction(r) {
      if (r.protocol !== 'iec104' || r.type !== 'transaction') return;
      const t = r as unknown as TransactionEvent & { client: { port: number }; server: { port: number }; iec104: Fields };
      const x = t.iec104;
      const senderIsOutstationPort = (t.origin === 'client' ? t.client.port : t.server.port) === PORT;
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
    keys: () => out,
  };
}

export const iec104Adapter: Adapter = {
  id: 'iec104',
  title: 'IEC 60870-5-104',
  manifest: /(^|;)iec104\(/,
  keys: '`<o|c>:<type id>/<cause>` for an I-format ASDU and `<o|c>:<function>_<act|con>` for a U-format APDU, `o` when sent from port 2404, `c` otherwise (S-format APDUs are not compared); tshark: `-Y iec60870_104`, `iec60870_104.utype`, `iec60870_asdu.typeid`, `iec60870_asdu.causetx`.',
  lantern,
  tshark: {
    args: ['-Y', 'iec60870_104', '-T', 'fields', '-E', 'occurrence=a', ...['tcp.srcport', 'iec60870_104.type', 'iec60870_104.utype', 'iec60870_asdu.typeid', 'iec60870_asdu.causetx'].flatMap((f) => ['-e', f])],
    reduce(stdout) {
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
    },
  },
  direction: (k) => (k.startsWith('o') ? 'from port 2404 (controlled station)' : 'to port 2404 (controlling station)'),
  explained: {},
};
