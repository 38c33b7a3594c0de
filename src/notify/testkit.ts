// Test helpers: a sample alert, and small independent readers of RFC 5424 messages and CEF records written from the
// RFCs' grammar (not from the formatters), so formatted messages are checked by parsing them back.
import type { NotifyAlert } from './types.js';

export const SAMPLE_ALERT: NotifyAlert = {
  id: 'al_4f2a9c1d0e8b7a65',
  detection: 's7.program_download',
  title: 'S7 program download to PLC-1',
  kind: 'behavior',
  severity: 'critical',
  score: 92,
  confidence: 0.9,
  techniques: ['T0843', 'T0853'],
  tactics: ['Lateral Movement', 'Execution'],
  src: { ip: '10.0.0.5', asset: 'ip:10.0.0.5' },
  dst: { ip: '10.0.0.10', asset: 'mac:00:1b:1b:aa:bb:cc' },
  protocol: 's7comm',
  first_seen: 1714564800,
  last_seen: 1714564860.5,
  count: 3,
  status: 'new',
  url: 'https://lantern.example/alerts/al_4f2a9c1d0e8b7a65',
};

export interface Parsed5424 {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID → parameters (repeated names keep the last). */
  sd: Record<string, Record<string, string>>;
  bom: boolean;
  msg: string | null;
}

/** Parses `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]`. */
export function parse5424(bytes: Buffer): Parsed5424 {
  const s = bytes.toString('utf8');
  const m = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(s);
  if (m === null) throw new Error(`not RFC 5424: ${s.slice(0, 80)}`);
  let i = m[0].length;
  const sd: Record<string, Record<string, string>> = {};
  if (s[i] === '-') i++;
  else {
    while (s[i] === '[') {
      i++;
      const idEnd = s.slice(i).search(/[ \]]/);
      if (idEnd < 0) throw new Error('unterminated SD-ELEMENT');
      const id = s.slice(i, i + idEnd);
      i += idEnd;
      const params: Record<string, string> = {};
      while (s[i] === ' ') {
        i++;
        const eq = s.indexOf('=', i);
        const name = s.slice(i, eq);
        if (!/^[^= \]"]{1,32}$/.test(name) || s[eq + 1] !== '"') throw new Error(`bad SD-PARAM at ${i}`);
        i = eq + 2;
        let value = '';
        for (;;) {
          const c = s[i];
          if (c === undefined) throw new Error('unterminated PARAM-VALUE');
          if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\' || s[i + 1] === ']')) {
            value += s[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else if (c === ']' || c === '"') {
            throw new Error(`unescaped ${c} in PARAM-VALUE`);
          } else {
            value += c;
            i++;
          }
        }
        params[name] = value;
      }
      if (s[i] !== ']') throw new Error(`expected ] at ${i}`);
      i++;
      sd[id] = params;
    }
  }
  let msg: string | null = null;
  let bom = false;
  if (i < s.length) {
    if (s[i] !== ' ') throw new Error(`expected SP before MSG at ${i}`);
    msg = s.slice(i + 1);
    if (msg.startsWith('\uFEFF')) {
      bom = true;
      msg = msg.slice(1);
    }
  }
  return { pri: Number(m[1]), version: Number(m[2]), timestamp: m[3], hostname: m[4], appName: m[5], procId: m[6], msgId: m[7], sd, bom, msg };
}

export interface ParsedCef {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  classId: string;
  name: string;
  severity: string;
  ext: Record<string, string>;
}

/** Parses `CEF:Version|Vendor|Product|Version|Class|Name|Severity|Extension` with the CEF escapes. */
export function parseCef(text: string): ParsedCef {
  if (!text.startsWith('CEF:')) throw new Error(`not CEF: ${text.slice(0, 40)}`);
  const header: string[] = [];
  let cur = '';
  let i = 4;
  while (header.length < 7) {
    const c = text[i];
    if (c === undefined) throw new Error('short CEF header');
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      cur += text[i + 1];
      i += 2;
    } else if (c === '|') {
      header.push(cur);
      cur = '';
      i++;
    } else {
      cur += c;
      i++;
    }
  }
  const rest = text.slice(i);
  // Keys start after a space (or at the start) and end at an unescaped `=`; the value runs to the next key.
  const keys: { key: string; start: number; valueStart: number }[] = [];
  const re = /(?:^| )([A-Za-z0-9_]+)=/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    const eq = m.index + m[0].length - 1;
    let backslashes = 0;
    for (let j = eq - 1; j >= 0 && rest[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 1) continue;
    // A key inside a value would have had its `=` escaped; one found here starts a new pair.
    keys.push({ key: m[1], start: m.index, valueStart: eq + 1 });
  }
  const ext: Record<string, string> = {};
  for (let k = 0; k < keys.length; k++) {
    const raw = rest.slice(keys[k].valueStart, k + 1 < keys.length ? keys[k + 1].start : rest.length);
    ext[keys[k].key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  }
  return { version: header[0], vendor: header[1], product: header[2], deviceVersion: header[3], classId: header[4], name: header[5], severity: header[6], ext };
}
