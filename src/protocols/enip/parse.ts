// Pure parsers of EtherNet/IP encapsulation messages (CIP Vol. 2 §2), common packet format items (§2-6), CIP messages
// and EPATHs (CIP Vol. 1 §2-4, App. C), Forward_Open/Close and Unconnected_Send (§3-5.5), and CIP I/O datagrams.
// Every read is bounded by the enclosing length; problems are pushed as anomaly codes, nothing throws.
import { hexOfRange } from '../../common/hex.js';
import { A } from './anomalies.js';
import {
  CLASS_CONNECTION_MANAGER,
  CMD_LIST_IDENTITY,
  CMD_LIST_SERVICES,
  CMD_REGISTER_SESSION,
  CMD_SEND_RR_DATA,
  CMD_SEND_UNIT_DATA,
  ENCAP_COMMANDS,
  ITEM_CONNECTED_ADDRESS,
  ITEM_CONNECTED_DATA,
  ITEM_LIST_IDENTITY,
  ITEM_LIST_SERVICES,
  ITEM_SEQUENCED_ADDRESS,
  ITEM_UNCONNECTED_DATA,
  SVC_FORWARD_CLOSE,
  SVC_FORWARD_OPEN,
  SVC_LARGE_FORWARD_OPEN,
  SVC_MULTIPLE_SERVICE_PACKET,
  SVC_UNCONNECTED_SEND,
  isLogixPath,
} from './codes.js';
import type {
  CipMessage,
  CipPath,
  CipRequest,
  CipResponse,
  CpfItem,
  EncapHeader,
  EncapMessage,
  ForwardClose,
  ForwardOpenReply,
  ForwardOpenRequest,
  Identity,
  IoPacket,
} from './types.js';

export const ENCAP_HEADER_LENGTH = 24;
/** Largest encapsulation data length the spec allows (65,535 minus the header). */
export const MAX_ENCAP_DATA_LENGTH = 65511;
export const MAX_CPF_ITEMS = 16;
export const MAX_PATH_SEGMENTS = 32;
export const MAX_MSP_SERVICES = 64;
export const MAX_NESTING = 4;

export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

function hexOf(b: Uint8Array, off: number, n: number): string {
  return hexOfRange(b, off, off + n);
}

function ascii(b: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = b[off + i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}

/** True when 24 bytes at `off` look like an encapsulation header: a known command and a length within the cap. */
export function plausibleHeader(b: Uint8Array, off: number): boolean {
  if (b.length - off < ENCAP_HEADER_LENGTH) return false;
  return ENCAP_COMMANDS[u16(b, off)] !== undefined && u16(b, off + 2) <= MAX_ENCAP_DATA_LENGTH && u32(b, off + 20) === 0;
}

export function parseHeader(b: Uint8Array, off: number): EncapHeader {
  return {
    command: u16(b, off),
    length: u16(b, off + 2),
    session: u32(b, off + 4),
    status: u32(b, off + 8),
    context: hexOf(b, off + 12, 8),
    options: u32(b, off + 20),
  };
}

/** Reads CPF items from `off` (the item count) to `end`. */
export function parseCpf(b: Uint8Array, off: number, end: number, anomalies: string[]): CpfItem[] {
  const items: CpfItem[] = [];
  if (end - off < 2) {
    anomalies.push(A.truncated);
    return items;
  }
  const count = u16(b, off);
  let o = off + 2;
  for (let i = 0; i < count; i++) {
    if (i >= MAX_CPF_ITEMS) {
      anomalies.push(A.too_many_items);
      return items;
    }
    if (end - o < 4) {
      anomalies.push(A.truncated);
      return items;
    }
    const type = u16(b, o);
    const length = u16(b, o + 2);
    o += 4;
    if (length > end - o) {
      anomalies.push(A.bad_item_length);
      items.push({ type, offset: o, length: end - o });
      return items;
    }
    items.push({ type, offset: o, length });
    o += length;
  }
  if (o < end) anomalies.push(A.trailing_bytes);
  return items;
}

/** Decodes one encapsulation message whose header starts at `off` and whose data is wholly present. */
export function parseEncap(b: Uint8Array, off: number, dir: 0 | 1, anomalies: string[]): EncapMessage {
  const header = parseHeader(b, off);
  const msg: EncapMessage = { header, items: [], connectionId: null, sequence: null, cip: null, identities: [], services: [], protocolVersion: null };
  if (header.options !== 0) anomalies.push(A.nonzero_options);
  const start = off + ENCAP_HEADER_LENGTH;
  const end = start + header.length;
  switch (header.command) {
    case CMD_REGISTER_SESSION:
      if (header.length >= 4) msg.protocolVersion = u16(b, start);
      else if (header.status === 0) anomalies.push(A.truncated);
      break;
    case CMD_LIST_IDENTITY:
    case CMD_LIST_SERVICES:
    case 0x0064:
      if (header.length === 0) break;
      msg.items = parseCpf(b, start, end, anomalies);
      for (const item of msg.items) {
        if (item.type === ITEM_LIST_IDENTITY) {
          const id = parseIdentityItem(b, item.offset, item.offset + item.length, anomalies);
          if (id !== null) msg.identities.push(id);
        } else if (item.type === ITEM_LIST_SERVICES) {
          if (item.length < 20) anomalies.push(A.truncated);
          else msg.services.push({ version: u16(b, item.offset), flags: u16(b, item.offset + 2), name: cString(b, item.offset + 4, 16) });
        }
      }
      break;
    case CMD_SEND_RR_DATA:
    case CMD_SEND_UNIT_DATA: {
      if (header.length < 6) {
        if (header.status === 0 || header.length > 0) anomalies.push(A.truncated);
        break;
      }
      msg.items = parseCpf(b, start + 6, end, anomalies);
      let data: CpfItem | null = null;
      let address = false;
      for (const item of msg.items) {
        if (item.type === ITEM_CONNECTED_ADDRESS) {
          address = true;
          if (item.length >= 4) msg.connectionId = u32(b, item.offset);
          else anomalies.push(A.truncated);
        } else if (item.type === 0x0000) address = true;
        else if ((item.type === ITEM_CONNECTED_DATA || item.type === ITEM_UNCONNECTED_DATA) && data === null) data = item;
      }
      if (data === null || !address) {
        if (header.status === 0) anomalies.push(A.missing_item);
        break;
      }
      let o = data.offset;
      const dEnd = data.offset + data.length;
      if (data.type === ITEM_CONNECTED_DATA) {
        if (dEnd - o < 2) {
          anomalies.push(A.truncated);
          break;
        }
        msg.sequence = u16(b, o);
        o += 2;
      }
      msg.cip = parseCip(b, o, dEnd, anomalies, 0);
      if (msg.cip !== null && msg.cip.kind === 'request' && dir === 1) anomalies.push(A.unexpected_request);
      if (msg.cip !== null && msg.cip.kind === 'response' && dir === 0) anomalies.push(A.unexpected_request);
      break;
    }
    default:
      break;
  }
  return msg;
}

function cString(b: Uint8Array, off: number, n: number): string {
  let len = 0;
  while (len < n && b[off + len] !== 0) len++;
  return ascii(b, off, len);
}

/** The ListIdentity CPF item (CIP Vol. 2 Table 2-4.4). */
export function parseIdentityItem(b: Uint8Array, off: number, end: number, anomalies: string[]): Identity | null {
  if (end - off < 2 + 16) {
    anomalies.push(A.truncated);
    return null;
  }
  const encap_version = u16(b, off);
  const socket = {
    family: (b[off + 2] << 8) | b[off + 3],
    port: (b[off + 4] << 8) | b[off + 5],
    address: `${b[off + 6]}.${b[off + 7]}.${b[off + 8]}.${b[off + 9]}`,
  };
  const id = parseIdentityAttributes(b, off + 18, end, anomalies, true);
  if (id === null) return null;
  id.encap_version = encap_version;
  id.socket = socket;
  return id;
}

/** Identity instance attributes 1-7 (and 8, state, when `withState`): Get_Attributes_All reply / ListIdentity item. */
export function parseIdentityAttributes(b: Uint8Array, off: number, end: number, anomalies: string[], withState: boolean): Identity | null {
  if (end - off < 15) {
    anomalies.push(A.truncated);
    return null;
  }
  const nameLength = b[off + 14];
  const nameEnd = off + 15 + nameLength;
  if (nameEnd > end) {
    anomalies.push(A.truncated);
    return null;
  }
  const id: Identity = {
    vendor_id: u16(b, off),
    device_type: u16(b, off + 2),
    product_code: u16(b, off + 4),
    revision: `${b[off + 6]}.${b[off + 7]}`,
    status: u16(b, off + 8),
    serial: `0x${u32(b, off + 10).toString(16).padStart(8, '0')}`,
    product_name: ascii(b, off + 15, nameLength),
  };
  if (nameEnd < end) id.state = b[nameEnd];
  else if (withState) anomalies.push(A.truncated);
  if (withState && nameEnd + 1 < end) anomalies.push(A.trailing_bytes);
  return id;
}

/** Decodes a CIP message (request or reply) in [off, end). */
export function parseCip(b: Uint8Array, off: number, end: number, anomalies: string[], depth: number): CipMessage | null {
  if (end - off < 2) {
    anomalies.push(A.truncated);
    return null;
  }
  const sc = b[off];
  if ((sc & 0x80) !== 0) return parseCipResponse(b, off, end, anomalies, depth);
  const pathWords = b[off + 1];
  const pathEnd = off + 2 + pathWords * 2;
  if (pathEnd > end) {
    anomalies.push(A.truncated);
    return null;
  }
  const path = parsePath(b, off + 2, pathEnd, anomalies);
  const req: CipRequest = { kind: 'request', service: sc, path, dataOffset: pathEnd, dataLength: end - pathEnd };
  decodeRequestData(b, req, anomalies, depth);
  return req;
}

function parseCipResponse(b: Uint8Array, off: number, end: number, anomalies: string[], depth: number): CipResponse | null {
  if (end - off < 4) {
    anomalies.push(A.truncated);
    return null;
  }
  const extWords = b[off + 3];
  const dataOffset = off + 4 + extWords * 2;
  if (dataOffset > end) {
    anomalies.push(A.truncated);
    return null;
  }
  const extStatus: number[] = [];
  for (let i = 0; i < extWords; i++) extStatus.push(u16(b, off + 4 + i * 2));
  const rsp: CipResponse = { kind: 'response', service: b[off] & 0x7f, status: b[off + 2], extStatus, dataOffset, dataLength: end - dataOffset };
  const svc = rsp.service;
  if (svc === SVC_MULTIPLE_SERVICE_PACKET && (rsp.status === 0 || rsp.status === 0x1e) && rsp.dataLength >= 2) {
    rsp.services = parseMultiple(b, dataOffset, end, anomalies, depth) as CipResponse[];
  } else if ((svc === SVC_FORWARD_OPEN || svc === SVC_LARGE_FORWARD_OPEN) && rsp.status === 0) {
    if (rsp.dataLength < 26) anomalies.push(A.truncated);
    else {
      const d = dataOffset;
      const fo: ForwardOpenReply = {
        o_t_connection_id: u32(b, d),
        t_o_connection_id: u32(b, d + 4),
        connection_serial: u16(b, d + 8),
        originator_vendor_id: u16(b, d + 10),
        originator_serial: u32(b, d + 12),
        o_t_api_us: u32(b, d + 16),
        t_o_api_us: u32(b, d + 20),
      };
      rsp.forwardOpen = fo;
    }
  } else if (svc === SVC_FORWARD_CLOSE && rsp.status === 0 && rsp.dataLength >= 8) {
    // Forward_Close reply; the same code on Logix objects is Read_Modify_Write_Tag, which replies without data.
    rsp.forwardClose = { connection_serial: u16(b, dataOffset), originator_vendor_id: u16(b, dataOffset + 2), originator_serial: u32(b, dataOffset + 4) };
  }
  return rsp;
}

function decodeRequestData(b: Uint8Array, req: CipRequest, anomalies: string[], depth: number): void {
  const d = req.dataOffset;
  const n = req.dataLength;
  const end = d + n;
  const cm = req.path.cls === CLASS_CONNECTION_MANAGER && req.path.symbol === null;
  const logix = isLogixPath(req.path.cls, req.path.symbol !== null);
  switch (req.service) {
    case SVC_MULTIPLE_SERVICE_PACKET:
      req.services = parseMultiple(b, d, end, anomalies, depth) as CipRequest[];
      return;
    case SVC_UNCONNECTED_SEND:
      if (cm) {
        if (n < 4) return void anomalies.push(A.truncated);
        const size = u16(b, d + 2);
        const embEnd = d + 4 + size;
        if (embEnd > end) return void anomalies.push(A.truncated);
        if (depth >= MAX_NESTING) anomalies.push(A.nested_too_deep);
        else {
          const inner = parseCip(b, d + 4, embEnd, anomalies, depth + 1);
          req.embedded = inner !== null && inner.kind === 'request' ? inner : null;
        }
        const r = embEnd + (size & 1);
        if (r + 2 <= end) {
          const routeEnd = r + 2 + b[r] * 2;
          if (routeEnd > end) anomalies.push(A.truncated);
          else req.route = parsePath(b, r + 2, routeEnd, anomalies).text;
        } else anomalies.push(A.truncated);
      } else if (!logix) return;
      else if (n >= 6) {
        req.elements = u16(b, d);
        req.fragmentOffset = u32(b, d + 2);
      } else anomalies.push(A.truncated);
      return;
    case SVC_FORWARD_OPEN:
    case SVC_LARGE_FORWARD_OPEN: {
      if (!cm) return;
      const large = req.service === SVC_LARGE_FORWARD_OPEN;
      const fixed = large ? 40 : 36;
      if (n < fixed) return void anomalies.push(A.truncated);
      const p = large ? 4 : 2;
      const fo: ForwardOpenRequest = {
        large,
        priority_time_tick: b[d],
        timeout_ticks: b[d + 1],
        o_t_connection_id: u32(b, d + 2),
        t_o_connection_id: u32(b, d + 6),
        connection_serial: u16(b, d + 10),
        originator_vendor_id: u16(b, d + 12),
        originator_serial: u32(b, d + 14),
        timeout_multiplier: b[d + 18],
        o_t_rpi_us: u32(b, d + 22),
        o_t_params: large ? u32(b, d + 26) : u16(b, d + 26),
        t_o_rpi_us: u32(b, d + 26 + p),
        t_o_params: large ? u32(b, d + 30 + p) : u16(b, d + 30 + p),
        transport_trigger: b[d + 30 + 2 * p],
        connection_path: '',
      };
      const pathOff = d + fixed;
      const pathEnd = pathOff + b[d + fixed - 1] * 2;
      if (pathEnd > end) anomalies.push(A.truncated);
      else fo.connection_path = parsePath(b, pathOff, pathEnd, anomalies).text;
      req.forwardOpen = fo;
      return;
    }
    case SVC_FORWARD_CLOSE: {
      if (!cm) {
        if (logix && n >= 2) req.dataType = u16(b, d);
        return;
      }
      if (n < 12) return void anomalies.push(A.truncated);
      const fc: ForwardClose = { connection_serial: u16(b, d + 2), originator_vendor_id: u16(b, d + 4), originator_serial: u32(b, d + 6) };
      const pathEnd = d + 12 + b[d + 10] * 2;
      if (pathEnd > end) anomalies.push(A.truncated);
      else fc.connection_path = parsePath(b, d + 12, pathEnd, anomalies).text;
      req.forwardClose = fc;
      return;
    }
    case 0x05:
      if (req.path.cls === 0x01) req.resetType = n >= 1 ? b[d] : 0;
      return;
    case 0x4c:
      if (!logix) return;
      if (n >= 2) req.elements = u16(b, d);
      else anomalies.push(A.truncated);
      return;
    case 0x4d:
    case 0x53:
      if (!logix) return;
      if (n >= 4) {
        req.dataType = u16(b, d);
        req.elements = u16(b, d + 2);
        if (req.service === 0x53 && n >= 8) req.fragmentOffset = u32(b, d + 4);
      } else anomalies.push(A.truncated);
      return;
    default:
      return;
  }
}

/** Multiple_Service_Packet body (request data or reply data): count, offsets from the count, embedded messages. */
function parseMultiple(b: Uint8Array, off: number, end: number, anomalies: string[], depth: number): CipMessage[] {
  const out: CipMessage[] = [];
  if (end - off < 2) {
    anomalies.push(A.bad_multiple_service);
    return out;
  }
  if (depth >= MAX_NESTING) {
    anomalies.push(A.nested_too_deep);
    return out;
  }
  let count = u16(b, off);
  if (count > MAX_MSP_SERVICES) {
    anomalies.push(A.too_many_services);
    count = MAX_MSP_SERVICES;
  }
  if (2 + count * 2 > end - off) {
    anomalies.push(A.bad_multiple_service);
    return out;
  }
  for (let i = 0; i < count; i++) {
    const s = off + u16(b, off + 2 + i * 2);
    const e = i + 1 < count ? off + u16(b, off + 4 + i * 2) : end;
    if (s < off + 2 + count * 2 || e > end || e < s) {
      anomalies.push(A.bad_multiple_service);
      return out;
    }
    const m = parseCip(b, s, e, anomalies, depth + 1);
    if (m !== null) out.push(m);
  }
  return out;
}

const LOGICAL_TYPES = ['class', 'instance', 'member', 'connection_point', 'attribute', 'special', 'service', 'reserved'] as const;

/** Decodes an EPATH (padded form) in [off, end). */
export function parsePath(b: Uint8Array, off: number, end: number, anomalies: string[]): CipPath {
  const path: CipPath = { cls: -1, instance: -1, attribute: -1, member: -1, connPoint: -1, symbol: null, ports: null, text: '' };
  const words: string[] = [];
  let o = off;
  let segments = 0;
  while (o < end) {
    if (++segments > MAX_PATH_SEGMENTS) {
      anomalies.push(A.too_many_segments);
      break;
    }
    const seg = b[o];
    const type = seg >> 5;
    if (type === 0) {
      // Port segment: port id in bits 0-3 (15: 16-bit port follows), bit 4: link address size byte follows.
      let p = o + 1;
      let linkSize = 1;
      if ((seg & 0x10) !== 0) {
        if (p >= end) {
          anomalies.push(A.truncated);
          break;
        }
        linkSize = b[p++];
      }
      let port = seg & 0x0f;
      if (port === 15) {
        if (p + 2 > end) {
          anomalies.push(A.truncated);
          break;
        }
        port = u16(b, p);
        p += 2;
      }
      if (p + linkSize > end) {
        anomalies.push(A.bad_path);
        break;
      }
      const link = linkSize === 1 ? String(b[p]) : ascii(b, p, linkSize);
      p += linkSize;
      if (((p - o) & 1) !== 0) p++;
      const s = `${port}/${link}`;
      path.ports = path.ports === null ? s : `${path.ports},${s}`;
      words.push(`port ${s}`);
      o = p;
    } else if (type === 1) {
      const lt = (seg >> 2) & 7;
      const fmt = seg & 3;
      let value: number;
      if (lt === 5) {
        // Electronic key: key format (4) and 8 bytes of key.
        if (o + 10 > end) {
          anomalies.push(A.bad_path);
          break;
        }
        words.push(`key vendor ${u16(b, o + 2)} type ${u16(b, o + 4)} product ${u16(b, o + 6)} rev ${b[o + 8] & 0x7f}.${b[o + 9]}`);
        o += 10;
        continue;
      }
      if (fmt === 0) {
        if (o + 2 > end) {
          anomalies.push(A.truncated);
          break;
        }
        value = b[o + 1];
        o += 2;
      } else if (fmt === 1) {
        if (o + 4 > end) {
          anomalies.push(A.truncated);
          break;
        }
        value = u16(b, o + 2);
        o += 4;
      } else if (fmt === 2) {
        if (o + 6 > end) {
          anomalies.push(A.truncated);
          break;
        }
        value = u32(b, o + 2);
        o += 6;
      } else {
        anomalies.push(A.bad_path);
        break;
      }
      const name = LOGICAL_TYPES[lt];
      if (lt === 0) path.cls = value;
      else if (lt === 1) path.instance = value;
      else if (lt === 2) path.member = value;
      else if (lt === 3) path.connPoint = value;
      else if (lt === 4) path.attribute = value;
      words.push(lt === 0 ? `class 0x${value.toString(16).padStart(2, '0')}` : `${name} ${value}`);
    } else if (type === 2) {
      // Network segment: 0x50 extended (word count), else one data byte.
      if (seg === 0x50) {
        if (o + 2 > end) {
          anomalies.push(A.truncated);
          break;
        }
        o += 2 + b[o + 1] * 2;
      } else o += 2;
      words.push(`network 0x${seg.toString(16)}`);
    } else if (type === 3) {
      // Symbolic segment (not the ANSI form): size in low 5 bits, then characters.
      const n = seg & 0x1f;
      if (n === 0 || o + 1 + n > end) {
        anomalies.push(A.bad_path);
        break;
      }
      const s = ascii(b, o + 1, n);
      path.symbol = path.symbol === null ? s : `${path.symbol}.${s}`;
      words.push(`symbol ${s}`);
      o += 1 + n + ((1 + n) & 1);
    } else if (type === 4) {
      if (seg === 0x91) {
        if (o + 2 > end) {
          anomalies.push(A.truncated);
          break;
        }
        const n = b[o + 1];
        if (o + 2 + n > end) {
          anomalies.push(A.bad_path);
          break;
        }
        const s = ascii(b, o + 2, n);
        path.symbol = path.symbol === null ? s : `${path.symbol}.${s}`;
        words.push(`symbol ${s}`);
        o += 2 + n + (n & 1);
      } else if (seg === 0x80) {
        if (o + 2 > end) {
          anomalies.push(A.truncated);
          break;
        }
        words.push(`data ${b[o + 1]} words`);
        o += 2 + b[o + 1] * 2;
      } else {
        anomalies.push(A.bad_path);
        break;
      }
    } else {
      anomalies.push(A.bad_path);
      break;
    }
  }
  if (o > end) anomalies.push(A.bad_path);
  path.text = words.join(', ');
  return path;
}

/**
 * A CIP I/O datagram (CIP Vol. 2 §3-2.2): CPF with a sequenced address item (connection id, sequence) and a connected
 * data item. Returns null when the datagram is not shaped so.
 */
export function parseIoPacket(b: Uint8Array): IoPacket | null {
  if (b.length < 2 + 4 + 8 + 4) return null;
  const count = u16(b, 0);
  if (count < 2 || count > 4) return null;
  if (u16(b, 2) !== ITEM_SEQUENCED_ADDRESS || u16(b, 4) !== 8) return null;
  const t = u16(b, 14);
  if (t !== ITEM_CONNECTED_DATA) return null;
  const len = u16(b, 16);
  if (18 + len > b.length) return null;
  return { connectionId: u32(b, 6), sequence: u32(b, 10), dataLength: len };
}
