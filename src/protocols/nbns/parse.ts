// NetBIOS name service messages (RFC 1002 §4.2): the DNS-shaped header, the question, NB and NBSTAT records, and the
// first-level name decoding of RFC 1001 §14.1. Pure; never throws.
import { ipv4String } from '../../common/ip.js';
import { NAME_BAD, NAME_OK, NameReader } from '../dns/name.js';
import { NBNS_ANOMALIES } from './anomalies.js';
import { NODE_TYPES, TYPE_NB, TYPE_NBSTAT, suffixName } from './codes.js';
import type { NbnsMessage, NetbiosName, NodeStatusName } from './types.js';

const A = NBNS_ANOMALIES.codes;
export const HEADER_LENGTH = 12;
export const MAX_ADDRESSES = 16;
export const MAX_STATUS_NAMES = 32;

const names = new NameReader();

/**
 * Decodes a name read as text by NameReader (lower-cased): a first label of 32 letters a-p, two per byte, gives 15
 * name bytes (trailing spaces dropped) and the suffix byte; the wildcard `*` is padded with NULs instead.
 */
export function decodeNetbiosName(text: string): NetbiosName {
  const dot = text.indexOf('.');
  const label = dot < 0 ? text : text.slice(0, dot);
  const scope = dot < 0 ? '' : text.slice(dot + 1);
  if (label.length !== 32 || !/^[a-p]{32}$/.test(label)) return { name: text, suffix: -1, scope: '' };
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(((label.charCodeAt(i) - 0x61) << 4) | (label.charCodeAt(i + 1) - 0x61));
  return { name: nameText(bytes, 0, 15), suffix: bytes[15], scope };
}

/** 15 name bytes as text: trailing spaces and NULs dropped, bytes outside 0x20-0x7E as \DDD. */
function nameText(bytes: ArrayLike<number>, off: number, n: number): string {
  let end = off + n;
  while (end > off && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
  let s = '';
  for (let i = off; i < end; i++) {
    const c = bytes[i];
    if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
    else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
  }
  return s;
}

export function parseMessage(b: Uint8Array, start: number, end: number): NbnsMessage {
  const msg: NbnsMessage = {
    trnId: 0,
    response: false,
    opcode: 0,
    authoritative: false,
    truncated: false,
    recursionDesired: false,
    recursionAvailable: false,
    broadcast: false,
    rcode: 0,
    name: null,
    qtype: 0,
    ttl: 0,
    addresses: [],
    statusNames: [],
    mac: '',
    anomalies: [],
  };
  if (end - start < HEADER_LENGTH) {
    msg.anomalies.push(A.truncated_message);
    return msg;
  }
  msg.trnId = (b[start] << 8) | b[start + 1];
  const f1 = b[start + 2];
  const f2 = b[start + 3];
  msg.response = (f1 & 0x80) !== 0;
  msg.opcode = (f1 >> 3) & 0x0f;
  msg.authoritative = (f1 & 0x04) !== 0;
  msg.truncated = (f1 & 0x02) !== 0;
  msg.recursionDesired = (f1 & 0x01) !== 0;
  msg.recursionAvailable = (f2 & 0x80) !== 0;
  msg.broadcast = (f2 & 0x10) !== 0;
  msg.rcode = f2 & 0x0f;
  const qd = (b[start + 4] << 8) | b[start + 5];
  const rr = ((b[start + 6] << 8) | b[start + 7]) + ((b[start + 8] << 8) | b[start + 9]) + ((b[start + 10] << 8) | b[start + 11]);

  let off = start + HEADER_LENGTH;
  for (let i = 0; i < qd; i++) {
    names.read(b, start, end, off, i === 0);
    if (names.status !== NAME_OK || names.next + 4 > end) return stop(msg, names.status === NAME_BAD ? A.bad_name : A.truncated_message);
    if (i === 0) {
      msg.name = decodeNetbiosName(names.text);
      if (msg.name.suffix < 0) msg.anomalies.push(A.bad_name_encoding);
      msg.qtype = (b[names.next] << 8) | b[names.next + 1];
    }
    off = names.next + 4;
  }
  let addressesCapped = false;
  for (let i = 0; i < rr; i++) {
    names.read(b, start, end, off, msg.name === null);
    if (names.status !== NAME_OK || names.next + 10 > end) return stop(msg, names.status === NAME_BAD ? A.bad_name : A.truncated_message);
    const p = names.next;
    const type = (b[p] << 8) | b[p + 1];
    if (msg.name === null) {
      msg.name = decodeNetbiosName(names.text);
      if (msg.name.suffix < 0) msg.anomalies.push(A.bad_name_encoding);
      msg.qtype = type;
    }
    const ttl = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
    const rdOff = p + 10;
    const rdEnd = rdOff + ((b[p + 8] << 8) | b[p + 9]);
    if (rdEnd > end) return stop(msg, A.truncated_message);
    off = rdEnd;
    if (type === TYPE_NB) {
      if (msg.addresses.length === 0) msg.ttl = ttl;
      if ((rdEnd - rdOff) % 6 !== 0) msg.anomalies.push(A.bad_rdata);
      for (let o = rdOff; o + 6 <= rdEnd; o += 6) {
        if (msg.addresses.length >= MAX_ADDRESSES) {
          addressesCapped = true;
          break;
        }
        const ip = ipv4String(((b[o + 2] << 24) | (b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]) >>> 0);
        msg.addresses.push({ ip, group: (b[o] & 0x80) !== 0, node_type: NODE_TYPES[(b[o] >> 5) & 3] });
      }
    } else if (type === TYPE_NBSTAT && msg.response) {
      nodeStatus(b, rdOff, rdEnd, msg);
    }
  }
  if (addressesCapped) msg.anomalies.push(A.addresses_cap);
  if (off < end) msg.anomalies.push(A.trailing_bytes);
  return msg;
}

/** NODE_STATUS_RESPONSE data: a name count, 18 bytes per name, then statistics starting with the 6-byte unit id. */
function nodeStatus(b: Uint8Array, off: number, end: number, msg: NbnsMessage): void {
  if (off >= end) {
    msg.anomalies.push(A.bad_rdata);
    return;
  }
  const count = b[off];
  let o = off + 1;
  if (o + count * 18 > end) msg.anomalies.push(A.bad_rdata);
  for (let i = 0; i < count && o + 18 <= end; i++, o += 18) {
    if (msg.statusNames.length >= MAX_STATUS_NAMES) {
      msg.anomalies.push(A.status_names_cap);
      o = off + 1 + count * 18;
      break;
    }
    const entry: NodeStatusName = { name: nameText(b, o, 15), suffix: b[o + 15], suffix_name: suffixName(b[o + 15]), group: (b[o + 16] & 0x80) !== 0 };
    msg.statusNames.push(entry);
  }
  if (o + 6 <= end) {
    let mac = '';
    let zero = true;
    for (let i = 0; i < 6; i++) {
      const v = b[o + i];
      if (v !== 0) zero = false;
      mac += (i > 0 ? ':' : '') + (v < 16 ? '0' : '') + v.toString(16);
    }
    if (!zero) msg.mac = mac;
  }
}

function stop(msg: NbnsMessage, code: string): NbnsMessage {
  msg.anomalies.push(code);
  return msg;
}
