// S7comm adapter: messages per direction, ROSCTR and job function or userdata group.subfunction (Lantern's
// transactions; tshark `-Y s7comm`), and the CPU identity from snap7.pcap against the snap7 client's printout.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetHintEvent, TransactionEvent } from '../../src/protocols/operation.js';
import { CORPUS_DIR } from '../support.js';
import { add, runLantern, type Adapter, type LanternReduction, type Multiset } from './harness.js';

const ROSCTR: Record<string, number> = { job: 1, ack: 2, ack_data: 3, userdata: 7 };

function lantern(): LanternReduction {
  const messages: Multiset = {};
  return {
    transaction(r) {
      if (r.protocol !== 's7comm' || r.type !== 'transaction') return;
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
    keys: () => messages,
  };
}

function printed(text: string, label: string): string | undefined {
  const m = new RegExp(`^\\s*${label}\\s*:\\s*(.+?)\\s*$`, 'm').exec(text);
  return m?.[1];
}

export const s7commAdapter: Adapter = {
  id: 's7comm',
  title: 'S7comm',
  manifest: /(^|;)s7comm\(/,
  keys: '`<C|S> <ROSCTR> <function>`: the sender (C client, S the port-102 side), the ROSCTR (1 job, 2 ack, 3 ack-data, 7 userdata) and the job function code or the userdata `group.subfunction` (none for ack, `?` for userdata without a parameter head); S7comm-plus is not compared; tshark: `-Y s7comm`, `s7comm.header.rosctr`, `s7comm.param.func`, `s7comm.param.userdata.funcgroup`/`subfunc`.',
  lantern,
  tshark: {
    args: ['-Y', 's7comm', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', ...['tcp.srcport', 's7comm.header.rosctr', 's7comm.param.func', 's7comm.param.userdata.funcgroup', 's7comm.param.userdata.subfunc'].flatMap((f) => ['-e', f])],
    reduce(stdout) {
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
    },
  },
  direction: (k) => (k.startsWith('C') ? 'client → server (port 102)' : 'server → client'),
  explained: {},
  extras: [
    {
      name: 'CPU identity from snap7.pcap equals the snap7 client printout (gymgit-s7-pcaps/snap7_s300_events.txt)',
      async run() {
        const pcap = join(CORPUS_DIR, 'icsnpp-s7comm/tests/traces/snap7.pcap');
        const txt = join(CORPUS_DIR, 'gymgit-s7-pcaps/snap7_s300_events.txt');
        if (!existsSync(pcap) || !existsSync(txt)) return;
        const text = readFileSync(txt, 'utf8');
        const hints: AssetHintEvent[] = [];
        const errors = await runLantern(pcap, [{ hint: (r) => void (r.protocol === 's7comm' && hints.push(r)) }]);
        assert.deepEqual(errors, []);
        const identity: Record<string, unknown> = {};
        for (const h of hints) Object.assign(identity, h.identity ?? {});
        assert.equal(identity.order_number, printed(text, 'Order Code'));
        assert.equal(identity.model, printed(text, 'Module Type Name'));
        assert.equal(identity.serial, printed(text, 'Serial Number'));
        assert.equal(identity.plc_name, printed(text, 'AS Name'));
        assert.equal(identity.name, printed(text, 'Module Name'));
        // snap7's "Catalog" version is the last three bytes of its SZL 0x0011 buffer: the boot loader record.
        assert.equal((identity.boot_loader as string).slice(1), printed(text, 'Version'));
      },
    },
  ],
};
