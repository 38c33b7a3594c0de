// DHCPv4 / BOOTP messages (RFC 2131 §2 header, RFC 2132 options, option overload §9.3 into `file` and `sname`). Pure;
// never throws.
import { hexOfRange } from '../../common/hex.js';
import { ipv4String } from '../../common/ip.js';
import { NAME_OK, NameReader } from '../dns/name.js';
import { DHCP_ANOMALIES } from './anomalies.js';
import { HEADER_LENGTH, MAGIC_COOKIE, MESSAGE_TYPES, OPTION, OP_REPLY, OP_REQUEST } from './codes.js';
import type { DhcpFields, DhcpMessage } from './types.js';

const A = DHCP_ANOMALIES.codes;
const SNAME_OFFSET = 44;
const FILE_OFFSET = 108;
const names = new NameReader();

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const ip = (b: Uint8Array, o: number) => ipv4String(u32(b, o));

/** True when the bytes start like a DHCP message: op 1 or 2, a sane hardware address length and hop count, the cookie. */
export function looksLikeDhcp(b: Uint8Array): boolean {
  return b.length >= HEADER_LENGTH + 4 && (b[0] === OP_REQUEST || b[0] === OP_REPLY) && b[2] <= 16 && b[3] <= 16 && u32(b, HEADER_LENGTH) === MAGIC_COOKIE;
}

export function parseMessage(b: Uint8Array): DhcpMessage | null {
  const anomalies: string[] = [];
  if (b.length < HEADER_LENGTH) return null;
  const op = b[0];
  if (op !== OP_REQUEST && op !== OP_REPLY) anomalies.push(A.bad_op);
  const hlen = b[2];
  const f: DhcpFields = {
    op,
    xid: u32(b, 4),
    msg_type: 0,
    secs: (b[8] << 8) | b[9],
    broadcast: (b[10] & 0x80) !== 0,
    options: [],
  };
  if (b[3] !== 0) f.hops = b[3];
  if (b[1] === 1 && hlen === 6) f.client_mac = mac(b, 28);
  else if (hlen > 0) f.client_hw = hexOfRange(b, 28, 28 + Math.min(hlen, 16));
  const addr = (o: number) => (u32(b, o) === 0 ? undefined : ip(b, o));
  const ciaddr = addr(12);
  const yiaddr = addr(16);
  const siaddr = addr(20);
  const giaddr = addr(24);
  if (ciaddr !== undefined) f.ciaddr = ciaddr;
  if (yiaddr !== undefined) f.yiaddr = yiaddr;
  if (siaddr !== undefined) f.siaddr = siaddr;
  if (giaddr !== undefined) f.giaddr = giaddr;
  if (b.length < HEADER_LENGTH + 4 || u32(b, HEADER_LENGTH) !== MAGIC_COOKIE) {
    anomalies.push(A.no_magic_cookie);
    return { fields: f, anomalies };
  }
  const overload = options(b, HEADER_LENGTH + 4, b.length, f, anomalies);
  if (overload === 1 || overload === 3) options(b, FILE_OFFSET, FILE_OFFSET + 128, f, anomalies);
  if (overload === 2 || overload === 3) options(b, SNAME_OFFSET, SNAME_OFFSET + 64, f, anomalies);
  if (f.msg_type !== 0 && MESSAGE_TYPES[f.msg_type] === undefined) anomalies.push(A.unknown_message_type);
  return { fields: f, anomalies };
}

/** Options in b[off, end) into `f`; returns the option overload value (0 when absent). */
function options(b: Uint8Array, off: number, end: number, f: DhcpFields, anomalies: string[]): number {
  let overload = 0;
  let o = off;
  while (o < end) {
    const code = b[o];
    if (code === OPTION.PAD) {
      o++;
      continue;
    }
    if (code === OPTION.END) break;
    if (o + 2 > end || o + 2 + b[o + 1] > end) {
      anomalies.push(A.truncated_option);
      break;
    }
    const len = b[o + 1];
    const v = o + 2;
    f.options.push(code);
    let badLength = false;
    switch (code) {
      case OPTION.MESSAGE_TYPE:
        if (len === 1) f.msg_type = b[v];
        else badLength = true;
        break;
      case OPTION.OVERLOAD:
        if (len === 1) overload = b[v];
        else badLength = true;
        break;
      case OPTION.HOST_NAME:
        f.host_name = text(b, v, v + len);
        break;
      case OPTION.DOMAIN_NAME:
        f.domain_name = text(b, v, v + len);
        break;
      case OPTION.VENDOR_CLASS:
        f.vendor_class = text(b, v, v + len);
        break;
      case OPTION.MESSAGE:
        f.message = text(b, v, v + len);
        break;
      case OPTION.PARAMETER_LIST: {
        let s = '';
        for (let i = v; i < v + len; i++) s += (i > v ? ',' : '') + b[i];
        f.param_list = s;
        break;
      }
      case OPTION.CLIENT_ID:
        f.client_id = len === 7 && b[v] === 1 ? mac(b, v + 1) : hexOfRange(b, v, v + len);
        break;
      case OPTION.REQUESTED_IP:
      case OPTION.SERVER_ID:
      case OPTION.SUBNET_MASK:
        if (len !== 4) badLength = true;
        else if (code === OPTION.REQUESTED_IP) f.requested_ip = ip(b, v);
        else if (code === OPTION.SERVER_ID) f.server_id = ip(b, v);
        else f.subnet_mask = ip(b, v);
        break;
      case OPTION.LEASE_TIME:
        if (len === 4) f.lease_time = u32(b, v);
        else badLength = true;
        break;
      case OPTION.ROUTER:
        if (len >= 4 && len % 4 === 0) f.router = ip(b, v);
        else badLength = true;
        break;
      case OPTION.DNS_SERVERS:
        if (len >= 4 && len % 4 === 0) {
          f.dns_servers = [];
          for (let i = v; i + 4 <= v + len; i += 4) f.dns_servers.push(ip(b, i));
        } else badLength = true;
        break;
      case OPTION.CLIENT_FQDN:
        if (len < 3) badLength = true;
        else if ((b[v] & 0x04) !== 0) {
          names.read(b, v + 3, v + len, v + 3, true);
          if (names.status === NAME_OK) f.fqdn = names.text;
          else badLength = true;
        } else if (len > 3) f.fqdn = text(b, v + 3, v + len);
        break;
    }
    if (badLength) anomalies.push(A.bad_option_length);
    o = v + len;
  }
  return overload;
}

function mac(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i > 0 ? ':' : '') + (b[o + i] < 16 ? '0' : '') + b[o + i].toString(16);
  return s;
}

/** Option text: printable ASCII as is, a trailing NUL dropped, other bytes as \DDD. */
function text(b: Uint8Array, off: number, end: number): string {
  while (end > off && b[end - 1] === 0) end--;
  let s = '';
  for (let i = off; i < end; i++) {
    const c = b[i];
    if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
    else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
  }
  return s;
}
