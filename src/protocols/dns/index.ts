// DNS module descriptor: DNS over UDP and TCP (port 53), multicast DNS (UDP 5353) and LLMNR (UDP 5355), one grammar.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { DNS_ANOMALIES } from './anomalies.js';
import { DNS_PORT, HEADER_LENGTH, LLMNR_PORT, MDNS_PORT } from './codes.js';
import { MAX_PLAUSIBLE_QUESTIONS, plausibleHeader, questionFits, walkMessage } from './parse.js';
import { DnsSession } from './session.js';

/**
 * The detection buffer holds 2 KiB per direction: a longer first TCP message (a zone transfer) is judged on its header
 * and its one question.
 */
const PROBE_WHOLE_LIMIT = 2046;

/**
 * A message the probe takes for DNS: a defined opcode, at most 16 questions, at least one question or answer, a query
 * with rcode 0, every counted question and record inside the message and nothing after them, and not a NetBIOS name
 * service message (a first name of 32 letters A-P, RFC 1002 §4.1).
 */
export function looksLikeDns(b: Uint8Array, start: number, end: number, whole: boolean): boolean {
  if (end - start < HEADER_LENGTH || !plausibleHeader(b, start)) return false;
  const qd = (b[start + 4] << 8) | b[start + 5];
  const an = (b[start + 6] << 8) | b[start + 7];
  if (qd + an === 0 || qd > MAX_PLAUSIBLE_QUESTIONS) return false;
  if ((b[start + 2] & 0x80) === 0 && (b[start + 3] & 0x0f) !== 0) return false;
  if (isNetbiosName(b, start + HEADER_LENGTH, end)) return false;
  if (!whole) return true;
  return walkMessage(b, start, end) === end;
}

function isNetbiosName(b: Uint8Array, off: number, end: number): boolean {
  if (off + 33 > end || b[off] !== 32) return false;
  for (let i = off + 1; i < off + 33; i++) if (b[i] < 0x41 || b[i] > 0x50) return false;
  return true;
}

export function probeDns(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  if (transport === 'udp') return looksLikeDns(data, 0, data.length, true) ? 'match' : 'no_match';
  if (data.length < 2) return 'need_more';
  const length = (data[0] << 8) | data[1];
  if (length < HEADER_LENGTH) return 'no_match';
  if (data.length >= 2 + length) return looksLikeDns(data, 2, 2 + length, true) ? 'match' : 'no_match';
  if (data.length < 2 + HEADER_LENGTH) return 'need_more';
  if (!looksLikeDns(data, 2, data.length, false)) return 'no_match';
  if (length <= PROBE_WHOLE_LIMIT || data.length < 2 + PROBE_WHOLE_LIMIT) return 'need_more';
  return questionFits(data, 2, data.length) ? 'match' : 'no_match';
}

export const dnsModule: ProtocolModule = {
  id: 'dns',
  name: 'DNS, mDNS and LLMNR',
  transports: ['udp', 'tcp'],
  ports: [DNS_PORT, MDNS_PORT, LLMNR_PORT],
  anomalies: DNS_ANOMALIES.definitions,
  probe: probeDns,
  createSession: (ctx) => new DnsSession(ctx),
};
