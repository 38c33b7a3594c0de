// BACnet/IP adapter: the BVLC functions, APDU types and confirmed/unconfirmed service choices of the datagrams the
// BACnet module is given (observed at the module's input); tshark `bvlc.function`, `bacapp.type`,
// `bacapp.confirmed_service`, `bacapp.unconfirmed_service`.
import type { ProtocolModule } from '../../src/protocols/protocol.js';
import { parseDatagram } from '../../src/protocols/bacnet/parse.js';
import { add, type Adapter, type LanternReduction, type Multiset } from './harness.js';

function lantern(): LanternReduction {
  const counts: Multiset = {};
  return {
    wrap(module: ProtocolModule): ProtocolModule {
      if (module.id !== 'bacnet') return module;
      return {
        ...module,
        createSession(ctx) {
          const s = module.createSession(ctx);
          return {
            onData(dir, data, ts) {
              const p = parseDatagram(data);
              if (p.bvlcFunction >= 0) add(counts, `bvlc ${p.bvlcFunction}`);
              if (p.apduType >= 0) {
                add(counts, `type ${p.apduType}`);
                if (p.apduType === 1) add(counts, `unconfirmed ${p.service}`);
                else if (p.service >= 0) add(counts, `confirmed ${p.service}`);
              }
              s.onData(dir, data, ts);
            },
            onGap: (dir, bytes, ts) => s.onGap(dir, bytes, ts),
            onEnd: (ts) => s.onEnd(ts),
          };
        },
      };
    },
    keys: () => counts,
  };
}

export const bacnetAdapter: Adapter = {
  id: 'bacnet',
  title: 'BACnet/IP',
  manifest: /(^|;)bacnet\(\d/,
  keys: '`bvlc <function>` per datagram, `type <APDU type>` per APDU, `confirmed <service choice>` (confirmed requests and their acknowledgements) and `unconfirmed <service choice>`; BACnet/IP is peer to peer, so a datagram has no client or server direction; tshark: `-Y "bvlc && udp"`, `bvlc.function`, `bacapp.type`, `bacapp.confirmed_service`, `bacapp.unconfirmed_service` (first occurrence).',
  lantern,
  tshark: {
    args: ['-Y', 'bvlc && udp', '-T', 'fields', '-E', 'occurrence=f', ...['bvlc.function', 'bacapp.type', 'bacapp.confirmed_service', 'bacapp.unconfirmed_service'].flatMap((f) => ['-e', f])],
    reduce(stdout) {
      const out: Multiset = {};
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const [fn, type, cs, us] = line.split('\t');
        if (fn) add(out, `bvlc ${parseInt(fn, 16)}`);
        if (type) {
          add(out, `type ${type}`);
          if (cs) add(out, `confirmed ${cs}`);
          if (us) add(out, `unconfirmed ${us}`);
        }
      }
      return out;
    },
  },
  direction: () => 'datagrams (peer to peer)',
  isMessage: (k) => k.startsWith('bvlc '),
  explained: {},
};
