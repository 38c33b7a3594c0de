// DNS message grammar (RFC 1035 §4.1; mDNS RFC 6762 §18, LLMNR RFC 4795 §2.1 share it): header, questions and
// resource records of b[start, end), with the common record data decoded to text. Pure; never throws.
import { hexOfRange } from '../../common/hex.js';
import { ipv4String, ipv6String } from '../../common/ip.js';
import { DNS_ANOMALIES } from './anomalies.js';
import { HEADER_LENGTH, OPCODES, TYPE, typeName } from './codes.js';
import { NAME_BAD, NAME_OK, NameReader, reverseAddress } from './name.js';
import type { DnsAnswer, DnsBinding, DnsMessage, DnsQuestion } from './types.js';

const A = DNS_ANOMALIES.codes;
export const MAX_ANSWERS = 32;
/** Address bindings (A, AAAA, reverse PTR) kept per message for asset hints. */
export const MAX_BINDINGS = 32;
export const MAX_TXT_BYTES = 512;
export const MAX_OPAQUE_BYTES = 64;
/** A plausible message has at most this many questions (DNS over TCP framing check, probe). */
export const MAX_PLAUSIBLE_QUESTIONS = 16;

const names = new NameReader();
const rdataNames = new NameReader();

/** Header fields a message must have to be taken for DNS: a defined opcode and a handful of questions. */
export function plausibleHeader(b: Uint8Array, off: number): boolean {
  const opcode = (b[off + 2] >> 3) & 0x0f;
  if (OPCODES[opcode] === undefined || opcode === 1) return false;
  return ((b[off + 4] << 8) | b[off + 5]) <= MAX_PLAUSIBLE_QUESTIONS;
}

/**
 * Walks a whole message without building text: the offset where its last counted record ends, or -1 when a name or
 * record does not fit. For the probe.
 */
export function walkMessage(b: Uint8Array, start: number, end: number): number {
  if (end - start < HEADER_LENGTH) return -1;
  let off = start + HEADER_LENGTH;
  const qd = (b[start + 4] << 8) | b[start + 5];
  for (let i = 0; i < qd; i++) {
    names.read(b, start, end, off, false);
    if (names.status !== NAME_OK || names.next + 4 > end) return -1;
    off = names.next + 4;
  }
  const rr = ((b[start + 6] << 8) | b[start + 7]) + ((b[start + 8] << 8) | b[start + 9]) + ((b[start + 10] << 8) | b[start + 11]);
  for (let i = 0; i < rr; i++) {
    names.read(b, start, end, off, false);
    if (names.status !== NAME_OK || names.next + 10 > end) return -1;
    const rdEnd = names.next + 10 + ((b[names.next + 8] << 8) | b[names.next + 9]);
    if (rdEnd > end) return -1;
    off = rdEnd;
  }
  return off;
}

/**
 * For the start of a message too long to see whole: true when it has exactly one question, within b[start, end), of
 * class IN, CH, NONE or ANY.
 */
export function questionFits(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < HEADER_LENGTH || ((b[start + 4] << 8) | b[start + 5]) !== 1) return false;
  names.read(b, start, end, start + HEADER_LENGTH, false);
  if (names.status !== NAME_OK || names.next + 4 > end) return false;
  const cls = ((b[names.next + 2] << 8) | b[names.next + 3]) & 0x7fff;
  return cls === 1 || cls === 3 || cls === 254 || cls === 255;
}

/** Parses the message b[start, end). */
export function parseMessage(b: Uint8Array, start: number, end: number): DnsMessage {
  const msg: DnsMessage = {
    id: 0,
    response: false,
    opcode: 0,
    authoritative: false,
    truncated: false,
    recursionDesired: false,
    recursionAvailable: false,
    rcode: 0,
    questionCount: 0,
    answerCount: 0,
    authorityCount: 0,
    additionalCount: 0,
    question: null,
    answers: [],
    hasCname: false,
    bindings: [],
    anomalies: [],
  };
  if (end - start < HEADER_LENGTH) {
    msg.anomalies.push(A.truncated_message);
    if (end - start >= 2) msg.id = (b[start] << 8) | b[start + 1];
    if (end - start >= 3) msg.response = (b[start + 2] & 0x80) !== 0;
    return msg;
  }
  msg.id = (b[start] << 8) | b[start + 1];
  const f1 = b[start + 2];
  const f2 = b[start + 3];
  msg.response = (f1 & 0x80) !== 0;
  msg.opcode = (f1 >> 3) & 0x0f;
  msg.authoritative = (f1 & 0x04) !== 0;
  msg.truncated = (f1 & 0x02) !== 0;
  msg.recursionDesired = (f1 & 0x01) !== 0;
  msg.recursionAvailable = (f2 & 0x80) !== 0;
  msg.rcode = f2 & 0x0f;
  msg.questionCount = (b[start + 4] << 8) | b[start + 5];
  msg.answerCount = (b[start + 6] << 8) | b[start + 7];
  msg.authorityCount = (b[start + 8] << 8) | b[start + 9];
  msg.additionalCount = (b[start + 10] << 8) | b[start + 11];
  if (msg.questionCount > 1) msg.anomalies.push(A.multiple_questions);

  let off = start + HEADER_LENGTH;
  for (let i = 0; i < msg.questionCount; i++) {
    names.read(b, start, end, off, i === 0);
    if (names.status !== NAME_OK || names.next + 4 > end) return stop(msg, names.status === NAME_BAD ? A.bad_name : A.truncated_message);
    const q = names.next;
    if (i === 0) {
      const cls = (b[q + 2] << 8) | b[q + 3];
      const question: DnsQuestion = { name: names.text, type: (b[q] << 8) | b[q + 1], class: cls & 0x7fff, unicastResponse: (cls & 0x8000) !== 0 };
      msg.question = question;
    }
    off = q + 4;
  }

  const sections = [msg.answerCount, msg.authorityCount, msg.additionalCount];
  let capped = false;
  let dataCapped = false;
  let badRdata = false;
  for (let section = 0; section < 3; section++) {
    for (let i = 0; i < sections[section]; i++) {
      names.read(b, start, end, off, false);
      if (names.status !== NAME_OK || names.next + 10 > end) return stop(msg, names.status === NAME_BAD ? A.bad_name : A.truncated_message);
      const owner = off;
      const p = names.next;
      const type = (b[p] << 8) | b[p + 1];
      const ttl = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
      const rdOff = p + 10;
      const rdEnd = rdOff + ((b[p + 8] << 8) | b[p + 9]);
      if (rdEnd > end) return stop(msg, A.truncated_message);
      off = rdEnd;
      if (section === 0 && type === TYPE.CNAME) msg.hasCname = true;
      const exported = section === 0 && msg.answers.length < MAX_ANSWERS;
      if (section === 0 && !exported) capped = true;
      const binds = (type === TYPE.A || type === TYPE.AAAA || type === TYPE.PTR) && msg.bindings.length < MAX_BINDINGS;
      if (!exported && !binds) continue;
      names.read(b, start, end, owner, true);
      const ownerName = names.text;
      const rd = rdataText(b, start, end, type, rdOff, rdEnd);
      if (rd.bad) badRdata = true;
      if (rd.capped) dataCapped = true;
      if (exported) {
        const answer: DnsAnswer = { name: ownerName, type: typeName(type), ttl, data: rd.text };
        msg.answers.push(answer);
      }
      if (binds && !rd.bad) {
        let binding: DnsBinding | null = null;
        if (type === TYPE.PTR) {
          const ip = reverseAddress(ownerName);
          if (ip !== null) binding = { ip, name: rd.text, ttl, section };
        } else {
          binding = { ip: rd.text, name: ownerName, ttl, section };
        }
        if (binding !== null) msg.bindings.push(binding);
      }
    }
  }
  if (capped) msg.anomalies.push(A.answers_cap);
  if (dataCapped) msg.anomalies.push(A.data_capped);
  if (badRdata) msg.anomalies.push(A.bad_rdata);
  if (off < end) msg.anomalies.push(A.trailing_bytes);
  return msg;
}

function stop(msg: DnsMessage, code: string): DnsMessage {
  msg.anomalies.push(code);
  return msg;
}

interface RdataText {
  text: string;
  bad: boolean;
  capped: boolean;
}

const rd: RdataText = { text: '', bad: false, capped: false };

/** Record data as text (master-file like); opaque types as hex. Returns a shared object: read it at once. */
function rdataText(b: Uint8Array, start: number, end: number, type: number, off: number, rdEnd: number): RdataText {
  rd.bad = false;
  rd.capped = false;
  rd.text = '';
  const len = rdEnd - off;
  switch (type) {
    case TYPE.A:
      if (len === 4) rd.text = ipv4String(((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0);
      else rd.bad = true;
      break;
    case TYPE.AAAA:
      if (len === 16) rd.text = ipv6String(b, off);
      else rd.bad = true;
      break;
    case TYPE.NS:
    case TYPE.CNAME:
    case TYPE.PTR:
    case TYPE.DNAME:
      rd.text = rdataName(b, start, end, off, rdEnd);
      break;
    case TYPE.MX:
      if (len < 3) rd.bad = true;
      else rd.text = `${(b[off] << 8) | b[off + 1]} ${rdataName(b, start, end, off + 2, rdEnd)}`;
      break;
    case TYPE.SRV:
      if (len < 7) rd.bad = true;
      else rd.text = `${(b[off] << 8) | b[off + 1]} ${(b[off + 2] << 8) | b[off + 3]} ${(b[off + 4] << 8) | b[off + 5]} ${rdataName(b, start, end, off + 6, rdEnd)}`;
      break;
    case TYPE.SOA: {
      const mname = rdataName(b, start, end, off, rdEnd);
      if (rd.bad) break;
      const rname = rdataName(b, start, end, rdataNames.next, rdEnd);
      const n = rdataNames.next;
      if (rd.bad || n + 20 > rdEnd) {
        rd.bad = true;
        break;
      }
      const u32 = (o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
      rd.text = `${mname} ${rname} ${u32(n)} ${u32(n + 4)} ${u32(n + 8)} ${u32(n + 12)} ${u32(n + 16)}`;
      break;
    }
    case TYPE.TXT:
    case TYPE.HINFO:
      rd.text = characterStrings(b, off, rdEnd);
      break;
    default:
      if (len > MAX_OPAQUE_BYTES) rd.capped = true;
      rd.text = hexOfRange(b, off, off + Math.min(len, MAX_OPAQUE_BYTES));
  }
  if (rd.bad && rd.text === '') rd.text = hexOfRange(b, off, off + Math.min(len, MAX_OPAQUE_BYTES));
  return rd;
}

/** A name inside record data; marks the data bad when the name is broken or runs past the data. */
function rdataName(b: Uint8Array, start: number, end: number, off: number, rdEnd: number): string {
  rdataNames.read(b, start, end, off, true);
  if (rdataNames.status !== NAME_OK || rdataNames.next > rdEnd) {
    rd.bad = true;
    return '';
  }
  return rdataNames.text;
}

/** <character-string>s (RFC 1035 §3.3) quoted and space-separated, the first MAX_TXT_BYTES bytes of the data. */
function characterStrings(b: Uint8Array, off: number, rdEnd: number): string {
  const limit = Math.min(rdEnd, off + MAX_TXT_BYTES);
  if (rdEnd > limit) rd.capped = true;
  let s = '';
  let o = off;
  while (o < limit) {
    const n = b[o];
    const e = Math.min(o + 1 + n, limit);
    if (o + 1 + n > rdEnd) rd.bad = true;
    if (s.length > 0) s += ' ';
    s += '"';
    for (let i = o + 1; i < e; i++) {
      const c = b[i];
      if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
      else if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
      else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
    }
    s += '"';
    o += 1 + n;
  }
  return s;
}
