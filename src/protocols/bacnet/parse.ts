// BACnet/IP datagram parser: BVLC (Annex J.2), NPDU (§6.2), APDU header (§20.1) and the service data of the common
// services through bounded ASN.1 tag decoding (§20.2). Pure: bytes in, typed PDU with anomaly codes out; never throws.
import { hexOfRange } from '../../common/hex.js';
import { BACNET_ANOMALIES } from './anomalies.js';
import {
  ABORT_REASONS,
  APP_TAG,
  BVLC,
  BVLC_FUNCTIONS,
  BVLC_RESULT_CODES,
  BVLC_TYPE_IP,
  CONFIRMED,
  CONFIRMED_SERVICES,
  DCC_STATES,
  ERROR_CLASSES,
  ERROR_CODES,
  MAX_APDU_OCTETS,
  MAX_SEGMENTS,
  PDU,
  PDU_TYPES,
  REINITIALIZE_STATES,
  REJECT_MESSAGE_REASONS,
  REJECT_REASONS,
  SEGMENTATION,
  UNCONFIRMED,
  UNCONFIRMED_SERVICES,
  bvlcEntry,
  nameOf,
  networkMessageEntry,
  objectTypeName,
  propertyName,
  serviceEntry,
} from './codes.js';
import type { BacnetFields, BacnetPdu, BacnetValue, PropertyItem } from './types.js';

const A = BACNET_ANOMALIES.codes;
export const BVLC_HEADER_LENGTH = 4;
/** Items (properties, objects, table entries, network numbers) exported per record. */
export const MAX_ITEMS = 64;
/** Primitive values exported per property value. */
export const MAX_VALUES = 16;
/** Nesting of opening/closing tags followed inside one value. */
export const MAX_DEPTH = 8;
const MAX_STRING_CHARS = 256;
const MAX_OCTETS_HEX = 64;
const MAX_BITS = 64;

/** One decoded tag header (reused). */
class Tag {
  num = 0;
  ctx = false;
  open = false;
  close = false;
  /** Length/value/type field: the value of an application boolean. */
  lvt = 0;
  start = 0;
  len = 0;
  next = 0;
}

/** Reads a tag header at `off`; false when it does not fit before `end` or is malformed. */
export function readTag(b: Uint8Array, off: number, end: number, t: Tag): boolean {
  if (off >= end) return false;
  const x = b[off];
  let p = off + 1;
  let num = x >> 4;
  if (num === 15) {
    if (p >= end) return false;
    num = b[p++];
  }
  t.num = num;
  t.ctx = (x & 0x08) !== 0;
  const lvt = x & 0x07;
  t.lvt = lvt;
  t.open = false;
  t.close = false;
  if (lvt === 6 || lvt === 7) {
    if (!t.ctx) return false;
    t.open = lvt === 6;
    t.close = lvt === 7;
    t.start = p;
    t.len = 0;
    t.next = p;
    return true;
  }
  let len = lvt;
  if (!t.ctx && num === APP_TAG.BOOLEAN) len = 0;
  else if (lvt === 5) {
    if (p >= end) return false;
    len = b[p++];
    if (len === 254) {
      if (p + 2 > end) return false;
      len = (b[p] << 8) | b[p + 1];
      p += 2;
    } else if (len === 255) {
      if (p + 4 > end) return false;
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      p += 4;
    }
  }
  t.start = p;
  t.len = len;
  t.next = p + len;
  return t.next <= end;
}

function readUnsigned(b: Uint8Array, off: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + b[off + i];
  return v;
}

function readSigned(b: Uint8Array, off: number, len: number): number {
  if (len === 0) return 0;
  let v = readUnsigned(b, off, len);
  if ((b[off] & 0x80) !== 0) v -= 2 ** (8 * len);
  return v;
}

const scratch = new DataView(new ArrayBuffer(8));

function readFloat(b: Uint8Array, off: number, len: 4 | 8): number {
  for (let i = 0; i < len; i++) scratch.setUint8(i, b[off + i]);
  return len === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
}

function hexOf(b: Uint8Array, off: number, len: number, cap = MAX_OCTETS_HEX): string {
  const n = Math.min(len, cap);
  return hexOfRange(b, off, off + n) + (n < len ? '…' : '');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** BACnet CharacterString: a character-set octet then the text (§20.2.9); unknown sets come back as hex. */
function readCharString(b: Uint8Array, off: number, len: number): string {
  if (len === 0) return '';
  const set = b[off];
  const body = b.subarray(off + 1, off + len);
  let s: string;
  if (set === 0) s = utf8.decode(body.subarray(0, Math.min(body.length, MAX_STRING_CHARS * 4)));
  else if (set === 5) {
    s = '';
    for (let i = 0; i < body.length && i < MAX_STRING_CHARS; i++) s += String.fromCharCode(body[i]);
  } else if (set === 4) {
    s = '';
    for (let i = 0; i + 1 < body.length && s.length < MAX_STRING_CHARS; i += 2) s += String.fromCharCode((body[i] << 8) | body[i + 1]);
  } else if (set === 3) {
    s = '';
    for (let i = 0; i + 3 < body.length && s.length < MAX_STRING_CHARS; i += 4) {
      const cp = ((body[i] << 24) | (body[i + 1] << 16) | (body[i + 2] << 8) | body[i + 3]) >>> 0;
      s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    }
  } else return `charset_${set}:${hexOf(b, off + 1, len - 1)}`;
  // Trailing NULs are common padding in device strings.
  s = s.replace(/\0+$/, '');
  return s.length > MAX_STRING_CHARS ? s.slice(0, MAX_STRING_CHARS) + '…' : s;
}

function two(n: number): string {
  return n === 255 ? '*' : n < 10 ? `0${n}` : String(n);
}

export function objectIdString(v: number): string {
  return `${objectTypeName(v >>> 22)}:${v & 0x3fffff}`;
}

/** Decodes an application-tagged primitive; undefined when its length is invalid for its type. */
function appValue(b: Uint8Array, t: Tag): BacnetValue | undefined {
  const o = t.start;
  const n = t.len;
  switch (t.num) {
    case APP_TAG.NULL:
      return n === 0 ? null : undefined;
    case APP_TAG.BOOLEAN:
      return t.lvt !== 0;
    case APP_TAG.UNSIGNED:
    case APP_TAG.ENUMERATED:
      return n >= 1 && n <= 8 ? readUnsigned(b, o, n) : undefined;
    case APP_TAG.SIGNED:
      return n >= 1 && n <= 8 ? readSigned(b, o, n) : undefined;
    case APP_TAG.REAL:
      return n === 4 ? readFloat(b, o, 4) : undefined;
    case APP_TAG.DOUBLE:
      return n === 8 ? readFloat(b, o, 8) : undefined;
    case APP_TAG.OCTET_STRING:
      return hexOf(b, o, n);
    case APP_TAG.CHARACTER_STRING:
      return readCharString(b, o, n);
    case APP_TAG.BIT_STRING: {
      if (n === 0) return '';
      const bits = Math.max(0, (n - 1) * 8 - (b[o] & 7));
      let s = '';
      for (let i = 0; i < bits && i < MAX_BITS; i++) s += (b[o + 1 + (i >> 3)] >> (7 - (i & 7))) & 1;
      return bits > MAX_BITS ? s + '…' : s;
    }
    case APP_TAG.DATE:
      if (n !== 4) return undefined;
      return `${b[o] === 255 ? '*' : 1900 + b[o]}-${two(b[o + 1])}-${two(b[o + 2])}`;
    case APP_TAG.TIME:
      if (n !== 4) return undefined;
      return `${two(b[o])}:${two(b[o + 1])}:${two(b[o + 2])}.${two(b[o + 3])}`;
    case APP_TAG.OBJECT_ID:
      return n === 4 ? objectIdString(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0) : undefined;
    default:
      return hexOf(b, o, n);
  }
}

/** A cursor over one service's data, with the anomalies it raises. */
class Reader {
  readonly t = new Tag();
  constructor(
    readonly b: Uint8Array,
    public off: number,
    readonly end: number,
    readonly anomalies: string[],
  ) {}

  get done(): boolean {
    return this.off >= this.end;
  }

  bad(): void {
    if (!this.anomalies.includes(A.bad_tag)) this.anomalies.push(A.bad_tag);
    this.off = this.end;
  }

  /** True (tag in `t`, not consumed) when the next tag is context tag `num` of the given kind. */
  isCtx(num: number, kind: 'prim' | 'open' | 'close' = 'prim'): boolean {
    if (!readTag(this.b, this.off, this.end, this.t)) return false;
    const t = this.t;
    if (!t.ctx || t.num !== num) return false;
    return kind === 'open' ? t.open : kind === 'close' ? t.close : !t.open && !t.close;
  }

  /** Context-tagged unsigned/enumerated `num`, or -1 when absent (`required` marks a bad tag). */
  ctxUnsigned(num: number, required = false): number {
    if (!this.isCtx(num) || this.t.len < 1 || this.t.len > 8) {
      if (required) this.bad();
      return -1;
    }
    const v = readUnsigned(this.b, this.t.start, this.t.len);
    this.off = this.t.next;
    return v;
  }

  ctxObjectId(num: number, required = false): number {
    if (!this.isCtx(num) || this.t.len !== 4) {
      if (required) this.bad();
      return -1;
    }
    const o = this.t.start;
    this.off = this.t.next;
    return ((this.b[o] << 24) | (this.b[o + 1] << 16) | (this.b[o + 2] << 8) | this.b[o + 3]) >>> 0;
  }

  /** Skips a present context tag `num` (primitive); true when it was there. */
  ctxSkip(num: number): { start: number; len: number } | null {
    if (!this.isCtx(num)) return null;
    const r = { start: this.t.start, len: this.t.len };
    this.off = this.t.next;
    return r;
  }

  open(num: number, required = true): boolean {
    if (this.isCtx(num, 'open')) {
      this.off = this.t.next;
      return true;
    }
    if (required) this.bad();
    return false;
  }

  close(num: number): boolean {
    if (this.isCtx(num, 'close')) {
      this.off = this.t.next;
      return true;
    }
    this.bad();
    return false;
  }

  /** Next application-tagged value of tag `num` (consumed), or undefined (marks a bad tag when `required`). */
  app(num: number, required = true): BacnetValue | undefined {
    if (readTag(this.b, this.off, this.end, this.t) && !this.t.ctx && this.t.num === num) {
      const v = appValue(this.b, this.t);
      if (v !== undefined) {
        this.off = this.t.next;
        return v;
      }
    }
    if (required) this.bad();
    return undefined;
  }

  /**
   * The values between opening tag `num` (already consumed) and its closing tag: primitives into the item, constructed
   * parts skipped (depth-capped). Leaves the cursor after the closing tag.
   */
  valuesUntilClose(num: number, item: PropertyItem): void {
    const values: BacnetValue[] = [];
    let total = 0;
    let depth = 0;
    while (this.off < this.end) {
      if (!readTag(this.b, this.off, this.end, this.t)) return this.bad();
      const t = this.t;
      if (t.close) {
        if (depth === 0) {
          if (t.num !== num) return this.bad();
          this.off = t.next;
          break;
        }
        depth--;
      } else if (t.open) {
        item.constructed = true;
        if (++depth > MAX_DEPTH) {
          if (!this.anomalies.includes(A.tag_depth_cap)) this.anomalies.push(A.tag_depth_cap);
          this.off = this.end;
          return;
        }
      } else if (t.ctx) {
        item.constructed = true;
      } else if (depth === 0) {
        const v = appValue(this.b, t);
        if (v === undefined) return this.bad();
        total++;
        if (values.length < MAX_VALUES) values.push(v);
      }
      this.off = t.next;
      if (this.off >= this.end && (depth > 0 || !t.close)) return this.bad();
    }
    if (total === 1) item.value = values[0];
    else if (total > 1) item.values = values;
  }
}

function setObject(item: PropertyItem, oid: number): void {
  item.object_type = oid >>> 22;
  item.object_type_name = objectTypeName(item.object_type);
  item.instance = oid & 0x3fffff;
}

function setProperty(item: PropertyItem, prop: number): void {
  item.property = prop;
  item.property_name = propertyName(prop);
}

function pushItem(f: BacnetFields, item: PropertyItem, anomalies: string[]): void {
  f.items ??= [];
  f.items_total = (f.items_total ?? 0) + 1;
  if (f.items.length < MAX_ITEMS) f.items.push(item);
  else if (!anomalies.includes(A.item_cap)) anomalies.push(A.item_cap);
}

function ipPort(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}:${(b[o + 4] << 8) | b[o + 5]}`;
}

function newPdu(): BacnetPdu {
  return {
    bvlcFunction: -1,
    networkMessage: -1,
    apduType: -1,
    invokeId: -1,
    service: -1,
    segmented: false,
    moreFollows: false,
    sequenceNumber: -1,
    dest: '',
    src: '',
    errorCode: -1,
    errorName: '',
    fields: {},
    anomalies: [],
  };
}

/** Parses one UDP payload: BVLC, then the NPDU it carries, then the APDU or network-layer message. */
export function parseDatagram(b: Uint8Array): BacnetPdu {
  const pdu = newPdu();
  const f = pdu.fields;
  const an = pdu.anomalies;
  if (b.length < BVLC_HEADER_LENGTH || b[0] !== BVLC_TYPE_IP) {
    an.push(b.length >= 1 && b[0] !== BVLC_TYPE_IP ? A.bad_bvlc_type : A.truncated);
    return pdu;
  }
  const fn = b[1];
  pdu.bvlcFunction = fn;
  f.bvlc_function = fn;
  f.bvlc_function_name = bvlcEntry(fn).name;
  if (BVLC_FUNCTIONS[fn] === undefined) an.push(A.unknown_bvlc_function);
  // A BVLC length that disagrees with the datagram is counted, and the datagram is parsed whole, as Wireshark does
  // (icsnpp-bacnet's bacnet_example.pcap has ReinitializeDevice requests with BVLC length 17 in 25-byte datagrams).
  const end = b.length;
  if (((b[2] << 8) | b[3]) !== end) an.push(A.bvlc_length_mismatch);
  let off = BVLC_HEADER_LENGTH;
  switch (fn) {
    case BVLC.RESULT:
      if (end - off < 2) an.push(A.truncated);
      else {
        f.bvlc_result_code = (b[off] << 8) | b[off + 1];
        f.bvlc_result_name = nameOf(BVLC_RESULT_CODES, f.bvlc_result_code);
        if (end - off > 2) an.push(A.trailing_bytes);
      }
      return pdu;
    case BVLC.WRITE_BDT:
    case BVLC.READ_BDT_ACK: {
      if ((end - off) % 10 !== 0) an.push(A.truncated);
      f.bdt = [];
      f.table_entries = Math.floor((end - off) / 10);
      for (; off + 10 <= end; off += 10) {
        if (f.bdt.length >= MAX_ITEMS) {
          an.push(A.item_cap);
          break;
        }
        f.bdt.push({ address: ipPort(b, off), mask: `${b[off + 6]}.${b[off + 7]}.${b[off + 8]}.${b[off + 9]}` });
      }
      return pdu;
    }
    case BVLC.READ_FDT_ACK: {
      if ((end - off) % 10 !== 0) an.push(A.truncated);
      f.fdt = [];
      f.table_entries = Math.floor((end - off) / 10);
      for (; off + 10 <= end; off += 10) {
        if (f.fdt.length >= MAX_ITEMS) {
          an.push(A.item_cap);
          break;
        }
        f.fdt.push({ address: ipPort(b, off), ttl: (b[off + 6] << 8) | b[off + 7], remaining: (b[off + 8] << 8) | b[off + 9] });
      }
      return pdu;
    }
    case BVLC.REGISTER_FOREIGN_DEVICE:
      if (end - off < 2) an.push(A.truncated);
      else f.fd_ttl = (b[off] << 8) | b[off + 1];
      if (end - off > 2) an.push(A.trailing_bytes);
      return pdu;
    case BVLC.DELETE_FDT_ENTRY:
      if (end - off < 6) an.push(A.truncated);
      else f.fdt_entry = ipPort(b, off);
      if (end - off > 6) an.push(A.trailing_bytes);
      return pdu;
    case BVLC.READ_BDT:
    case BVLC.READ_FDT:
      if (end > off) an.push(A.trailing_bytes);
      return pdu;
    case BVLC.FORWARDED_NPDU:
      if (end - off < 6) {
        an.push(A.truncated);
        return pdu;
      }
      f.forwarded_from = ipPort(b, off);
      off += 6;
      break;
    case BVLC.DISTRIBUTE_BROADCAST:
    case BVLC.ORIGINAL_UNICAST:
    case BVLC.ORIGINAL_BROADCAST:
      break;
    default:
      return pdu;
  }
  parseNpdu(b, off, end, pdu);
  return pdu;
}

function addressHex(b: Uint8Array, off: number, len: number): string {
  if (len === 6) return ipPort(b, off);
  return hexOf(b, off, len);
}

/** NPDU (§6.2): version, control, optional DNET/DADR, SNET/SADR, hop count, then a network message or an APDU. */
export function parseNpdu(b: Uint8Array, off: number, end: number, pdu: BacnetPdu): void {
  const f = pdu.fields;
  const an = pdu.anomalies;
  if (end - off < 2) {
    an.push(A.truncated);
    return;
  }
  if (b[off] !== 1) {
    an.push(A.bad_npdu_version);
    return;
  }
  const control = b[off + 1];
  off += 2;
  if ((control & 0x50) !== 0) an.push(A.npdu_reserved_bits);
  const hasDest = (control & 0x20) !== 0;
  const hasSrc = (control & 0x08) !== 0;
  f.expecting_reply = (control & 0x04) !== 0;
  f.priority_class = control & 0x03;
  let dnet = -1;
  let dadr = '';
  let snet = -1;
  let sadr = '';
  if (hasDest) {
    if (end - off < 3 || end - off < 3 + b[off + 2]) {
      an.push(A.truncated);
      return;
    }
    dnet = (b[off] << 8) | b[off + 1];
    const dlen = b[off + 2];
    dadr = addressHex(b, off + 3, dlen);
    off += 3 + dlen;
    f.dnet = dnet;
    f.dadr = dadr;
    if (dnet === 0) an.push(A.invalid_address);
  }
  if (hasSrc) {
    if (end - off < 3 || end - off < 3 + b[off + 2]) {
      an.push(A.truncated);
      return;
    }
    snet = (b[off] << 8) | b[off + 1];
    const slen = b[off + 2];
    sadr = addressHex(b, off + 3, slen);
    off += 3 + slen;
    f.snet = snet;
    f.sadr = sadr;
    if (slen === 0 || snet === 0 || snet === 0xffff) an.push(A.invalid_address);
  }
  if (hasDest) {
    if (off >= end) {
      an.push(A.truncated);
      return;
    }
    f.hop_count = b[off++];
  }
  const dest = hasDest ? `${dnet}/${dadr}` : '';
  const src = hasSrc ? `${snet}/${sadr}` : '';
  if ((control & 0x80) !== 0) {
    parseNetworkMessage(b, off, end, pdu);
    return;
  }
  parseApdu(b, off, end, pdu, dest, src);
}

function parseNetworkMessage(b: Uint8Array, off: number, end: number, pdu: BacnetPdu): void {
  const f = pdu.fields;
  const an = pdu.anomalies;
  if (off >= end) {
    an.push(A.truncated);
    return;
  }
  const type = b[off++];
  pdu.networkMessage = type;
  f.network_message = type;
  f.network_message_name = networkMessageEntry(type).name;
  if (type >= 0x80) {
    if (end - off < 2) an.push(A.truncated);
    else f.vendor_id = (b[off] << 8) | b[off + 1];
    return;
  }
  const networkList = (): void => {
    f.networks = [];
    for (; off + 2 <= end; off += 2) {
      if (f.networks.length >= MAX_ITEMS) {
        an.push(A.item_cap);
        return;
      }
      f.networks.push((b[off] << 8) | b[off + 1]);
    }
    if (off < end) an.push(A.truncated);
  };
  switch (type) {
    case 0x00: // Who-Is-Router-To-Network [DNET]
    case 0x01: // I-Am-Router-To-Network DNET*
    case 0x04: // Router-Busy
    case 0x05: // Router-Available
    case 0x09: // Disconnect-Connection-To-Network DNET
      networkList();
      return;
    case 0x02: // I-Could-Be-Router-To-Network DNET, performance index
      if (end - off < 3) an.push(A.truncated);
      else {
        f.networks = [(b[off] << 8) | b[off + 1]];
        f.performance_index = b[off + 2];
      }
      return;
    case 0x03: // Reject-Message-To-Network reason, DNET
      if (end - off < 3) an.push(A.truncated);
      else {
        f.network_reject_reason = b[off];
        f.network_reject_reason_name = nameOf(REJECT_MESSAGE_REASONS, b[off]);
        f.networks = [(b[off + 1] << 8) | b[off + 2]];
      }
      return;
    case 0x06: // Initialize-Routing-Table(-Ack): count, then DNET, port id, info length, info
    case 0x07: {
      if (off >= end) {
        if (type === 0x06) an.push(A.truncated);
        return;
      }
      const count = b[off++];
      f.routing_table_ports = count;
      f.networks = [];
      for (let i = 0; i < count; i++) {
        if (end - off < 4 || end - off < 4 + b[off + 3]) {
          an.push(A.truncated);
          return;
        }
        if (f.networks.length < MAX_ITEMS) f.networks.push((b[off] << 8) | b[off + 1]);
        off += 4 + b[off + 3];
      }
      return;
    }
    case 0x08: // Establish-Connection-To-Network DNET, termination time
      if (end - off < 3) an.push(A.truncated);
      else f.networks = [(b[off] << 8) | b[off + 1]];
      return;
    case 0x13: // Network-Number-Is number, flag
      if (end - off < 3) an.push(A.truncated);
      else {
        f.network_number = (b[off] << 8) | b[off + 1];
        f.network_number_configured = b[off + 2] === 1;
      }
      return;
    default:
      return;
  }
}

/** APDU header (§20.1) and, for unsegmented (or first-segment) PDUs, the service data. */
export function parseApdu(b: Uint8Array, off: number, end: number, pdu: BacnetPdu, dest: string, src: string): void {
  const f = pdu.fields;
  const an = pdu.anomalies;
  if (off >= end) {
    an.push(A.truncated);
    return;
  }
  const b0 = b[off];
  const type = b0 >> 4;
  pdu.apduType = type;
  f.pdu_type = type;
  f.pdu_type_name = nameOf(PDU_TYPES, type);
  const need = (n: number): boolean => {
    if (end - off >= n) return true;
    an.push(A.truncated);
    return false;
  };
  pdu.dest = dest;
  pdu.src = src;
  switch (type) {
    case PDU.CONFIRMED_REQUEST: {
      if (!need(4)) return;
      pdu.segmented = (b0 & 0x08) !== 0;
      pdu.moreFollows = (b0 & 0x04) !== 0;
      f.segmented_response_accepted = (b0 & 0x02) !== 0;
      f.max_segments = MAX_SEGMENTS[(b[off + 1] >> 4) & 7];
      f.max_apdu = MAX_APDU_OCTETS[b[off + 1] & 0x0f] ?? b[off + 1] & 0x0f;
      pdu.invokeId = b[off + 2];
      off += 3;
      if (pdu.segmented) {
        if (!need(3)) return;
        pdu.sequenceNumber = b[off];
        f.window_size = b[off + 1];
        off += 2;
      }
      pdu.service = b[off++];
      if (CONFIRMED_SERVICES[pdu.service] === undefined) an.push(A.unknown_service);
      break;
    }
    case PDU.UNCONFIRMED_REQUEST:
      if (!need(2)) return;
      pdu.service = b[off + 1];
      off += 2;
      if (UNCONFIRMED_SERVICES[pdu.service] === undefined) an.push(A.unknown_service);
      break;
    case PDU.SIMPLE_ACK:
      if (!need(3)) return;
      pdu.invokeId = b[off + 1];
      pdu.service = b[off + 2];
      off += 3;
      break;
    case PDU.COMPLEX_ACK:
      if (!need(3)) return;
      pdu.segmented = (b0 & 0x08) !== 0;
      pdu.moreFollows = (b0 & 0x04) !== 0;
      pdu.invokeId = b[off + 1];
      off += 2;
      if (pdu.segmented) {
        if (!need(3)) return;
        pdu.sequenceNumber = b[off];
        f.window_size = b[off + 1];
        off += 2;
      }
      pdu.service = b[off++];
      break;
    case PDU.SEGMENT_ACK:
      if (!need(4)) return;
      f.negative_ack = (b0 & 0x02) !== 0;
      f.sent_by_server = (b0 & 0x01) !== 0;
      pdu.invokeId = b[off + 1];
      pdu.sequenceNumber = b[off + 2];
      f.window_size = b[off + 3];
      if (end - off > 4) an.push(A.trailing_bytes);
      return;
    case PDU.ERROR:
      if (!need(3)) return;
      pdu.invokeId = b[off + 1];
      pdu.service = b[off + 2];
      off += 3;
      break;
    case PDU.REJECT:
    case PDU.ABORT: {
      if (!need(3)) return;
      pdu.invokeId = b[off + 1];
      const reason = b[off + 2];
      pdu.errorCode = reason;
      if (type === PDU.REJECT) {
        f.reject_reason = reason;
        f.reject_reason_name = pdu.errorName = reason >= 64 ? `proprietary_${reason}` : nameOf(REJECT_REASONS, reason);
      } else {
        f.sent_by_server = (b0 & 0x01) !== 0;
        f.abort_reason = reason;
        f.abort_reason_name = pdu.errorName = reason >= 64 ? `proprietary_${reason}` : nameOf(ABORT_REASONS, reason);
      }
      if (end - off > 3) an.push(A.trailing_bytes);
      return;
    }
    default:
      an.push(A.unknown_pdu_type);
      return;
  }
  if (pdu.invokeId >= 0) f.invoke_id = pdu.invokeId;
  f.service = pdu.service;
  f.service_name = serviceEntry(type !== PDU.UNCONFIRMED_REQUEST, pdu.service).name;
  if (pdu.segmented) {
    f.segmented = true;
    f.more_follows = pdu.moreFollows;
    f.sequence_number = pdu.sequenceNumber;
    // Service data of a segmented message is only whole once reassembled: not decoded.
    return;
  }
  const r = new Reader(b, off, end, an);
  if (type === PDU.ERROR) parseError(r, pdu);
  else if (type === PDU.CONFIRMED_REQUEST) parseConfirmedRequest(r, pdu.service, f);
  else if (type === PDU.UNCONFIRMED_REQUEST) parseUnconfirmed(r, pdu.service, f);
  else if (type === PDU.COMPLEX_ACK) parseComplexAck(r, pdu.service, f);
  else return;
  if (!r.done && !an.includes(A.bad_tag) && knownServiceData(type, pdu.service)) an.push(A.trailing_bytes);
}

/** Services whose whole data the parser reads (trailing bytes after them are an anomaly). */
function knownServiceData(type: number, service: number): boolean {
  if (type === PDU.ERROR) return false;
  if (type === PDU.UNCONFIRMED_REQUEST) return service === UNCONFIRMED.I_AM || service === UNCONFIRMED.WHO_IS || service === UNCONFIRMED.WHO_HAS || service === UNCONFIRMED.I_HAVE;
  if (type === PDU.COMPLEX_ACK) return service === CONFIRMED.READ_PROPERTY || service === CONFIRMED.READ_PROPERTY_MULTIPLE;
  return (
    service === CONFIRMED.READ_PROPERTY ||
    service === CONFIRMED.READ_PROPERTY_MULTIPLE ||
    service === CONFIRMED.WRITE_PROPERTY ||
    service === CONFIRMED.WRITE_PROPERTY_MULTIPLE ||
    service === CONFIRMED.DEVICE_COMMUNICATION_CONTROL ||
    service === CONFIRMED.REINITIALIZE_DEVICE ||
    service === CONFIRMED.DELETE_OBJECT
  );
}

function errorPair(r: Reader, target: PropertyItem): boolean {
  const cls = r.app(APP_TAG.ENUMERATED);
  const code = r.app(APP_TAG.ENUMERATED);
  if (typeof cls !== 'number' || typeof code !== 'number') return false;
  target.error_class = cls;
  target.error_class_name = nameOf(ERROR_CLASSES, cls);
  target.error_code = code;
  target.error_code_name = nameOf(ERROR_CODES, code);
  return true;
}

/** Error PDU: class and code, bare or inside context tag 0 (CreateObject, WritePropertyMultiple... errors). */
function parseError(r: Reader, pdu: BacnetPdu): void {
  const wrapped = r.open(0, false);
  if (!errorPair(r, pdu.fields)) return;
  pdu.errorCode = pdu.fields.error_code!;
  pdu.errorName = pdu.fields.error_code_name!;
  if (wrapped) r.close(0);
  r.off = r.end;
}

function parseConfirmedRequest(r: Reader, service: number, f: BacnetFields): void {
  switch (service) {
    case CONFIRMED.READ_PROPERTY:
    case CONFIRMED.READ_RANGE: {
      const oid = r.ctxObjectId(0, true);
      if (oid < 0) return;
      setObject(f, oid);
      const prop = r.ctxUnsigned(1, true);
      if (prop < 0) return;
      setProperty(f, prop);
      const idx = r.ctxUnsigned(2);
      if (idx >= 0) f.array_index = idx;
      if (service === CONFIRMED.READ_RANGE) r.off = r.end;
      return;
    }
    case CONFIRMED.WRITE_PROPERTY: {
      const oid = r.ctxObjectId(0, true);
      if (oid < 0) return;
      setObject(f, oid);
      const prop = r.ctxUnsigned(1, true);
      if (prop < 0) return;
      setProperty(f, prop);
      const idx = r.ctxUnsigned(2);
      if (idx >= 0) f.array_index = idx;
      if (!r.open(3)) return;
      r.valuesUntilClose(3, f);
      const prio = r.ctxUnsigned(4);
      if (prio >= 0) f.priority = prio;
      return;
    }
    case CONFIRMED.READ_PROPERTY_MULTIPLE:
      // ReadAccessSpecification*: [0] object, [1] { ([0] property, [1] index?)* }
      while (!r.done) {
        const oid = r.ctxObjectId(0, true);
        if (oid < 0 || !r.open(1)) return;
        while (!r.done && !r.isCtx(1, 'close')) {
          const item: PropertyItem = {};
          setObject(item, oid);
          const prop = r.ctxUnsigned(0, true);
          if (prop < 0) return;
          setProperty(item, prop);
          const idx = r.ctxUnsigned(1);
          if (idx >= 0) item.array_index = idx;
          pushItem(f, item, r.anomalies);
        }
        if (!r.close(1)) return;
      }
      return;
    case CONFIRMED.WRITE_PROPERTY_MULTIPLE:
      // WriteAccessSpecification*: [0] object, [1] { ([0] property, [1] index?, [2] {value}, [3] priority?)* }
      while (!r.done) {
        const oid = r.ctxObjectId(0, true);
        if (oid < 0 || !r.open(1)) return;
        while (!r.done && !r.isCtx(1, 'close')) {
          const item: PropertyItem = {};
          setObject(item, oid);
          const prop = r.ctxUnsigned(0, true);
          if (prop < 0) return;
          setProperty(item, prop);
          const idx = r.ctxUnsigned(1);
          if (idx >= 0) item.array_index = idx;
          if (!r.open(2)) return;
          r.valuesUntilClose(2, item);
          const prio = r.ctxUnsigned(3);
          if (prio >= 0) item.priority = prio;
          pushItem(f, item, r.anomalies);
        }
        if (!r.close(1)) return;
      }
      return;
    case CONFIRMED.DEVICE_COMMUNICATION_CONTROL: {
      const dur = r.ctxUnsigned(0);
      if (dur >= 0) f.time_duration = dur;
      const state = r.ctxUnsigned(1, true);
      if (state < 0) return;
      f.enable_disable = state;
      f.enable_disable_name = nameOf(DCC_STATES, state);
      // The password's value is never exported.
      f.password_present = r.ctxSkip(2) !== null;
      return;
    }
    case CONFIRMED.REINITIALIZE_DEVICE: {
      const state = r.ctxUnsigned(0, true);
      if (state < 0) return;
      f.reinit_state = state;
      f.reinit_state_name = nameOf(REINITIALIZE_STATES, state);
      f.password_present = r.ctxSkip(1) !== null;
      return;
    }
    case CONFIRMED.DELETE_OBJECT: {
      const oid = r.app(APP_TAG.OBJECT_ID);
      if (typeof oid === 'string') objectFromString(f, r);
      return;
    }
    case CONFIRMED.CREATE_OBJECT: {
      if (!r.open(0)) return;
      const type = r.ctxUnsigned(0);
      if (type >= 0) {
        f.object_type = type;
        f.object_type_name = objectTypeName(type);
      } else {
        const oid = r.ctxObjectId(1, true);
        if (oid >= 0) setObject(f, oid);
      }
      r.off = r.end;
      return;
    }
    case CONFIRMED.ATOMIC_READ_FILE:
    case CONFIRMED.ATOMIC_WRITE_FILE: {
      const oid = r.app(APP_TAG.OBJECT_ID);
      if (typeof oid !== 'string') return;
      objectFromString(f, r);
      // Stream access [0] or record access [1]: start position, then a count (read) or the data (write).
      const access = r.isCtx(0, 'open') ? 0 : r.isCtx(1, 'open') ? 1 : -1;
      if (access >= 0 && r.open(access)) {
        const start = r.app(APP_TAG.SIGNED, false);
        if (typeof start === 'number') f.file_start = start;
        if (service === CONFIRMED.ATOMIC_READ_FILE) {
          const count = r.app(APP_TAG.UNSIGNED, false);
          if (typeof count === 'number') f.file_count = count;
        } else if (access === 1) {
          const count = r.app(APP_TAG.UNSIGNED, false);
          if (typeof count === 'number') f.file_count = count;
        } else if (readTag(r.b, r.off, r.end, r.t) && !r.t.ctx && r.t.num === APP_TAG.OCTET_STRING) {
          f.file_count = r.t.len;
        }
      }
      r.off = r.end;
      return;
    }
    case CONFIRMED.SUBSCRIBE_COV:
    case CONFIRMED.SUBSCRIBE_COV_PROPERTY: {
      const pid = r.ctxUnsigned(0, true);
      if (pid < 0) return;
      f.subscriber_process_id = pid;
      const oid = r.ctxObjectId(1, true);
      if (oid < 0) return;
      setObject(f, oid);
      r.ctxSkip(2); // issueConfirmedNotifications
      const life = r.ctxUnsigned(3);
      if (life >= 0) f.lifetime = life;
      if (service === CONFIRMED.SUBSCRIBE_COV_PROPERTY && r.open(4, false)) {
        const prop = r.ctxUnsigned(0);
        if (prop >= 0) setProperty(f, prop);
      }
      r.off = r.end;
      return;
    }
    case CONFIRMED.CONFIRMED_COV_NOTIFICATION:
      covNotification(r, f);
      return;
    default:
      r.off = r.end;
  }
}

/** The object id just read by app(OBJECT_ID) (still in the reader's tag) into object_type/instance. */
function objectFromString(f: PropertyItem, r: Reader): void {
  const o = r.t.start;
  setObject(f, ((r.b[o] << 24) | (r.b[o + 1] << 16) | (r.b[o + 2] << 8) | r.b[o + 3]) >>> 0);
}

function covNotification(r: Reader, f: BacnetFields): void {
  const pid = r.ctxUnsigned(0, true);
  if (pid < 0) return;
  f.subscriber_process_id = pid;
  const dev = r.ctxObjectId(1, true);
  if (dev < 0) return;
  f.device_instance = dev & 0x3fffff;
  const oid = r.ctxObjectId(2, true);
  if (oid < 0) return;
  setObject(f, oid);
  const rem = r.ctxUnsigned(3);
  if (rem >= 0) f.lifetime = rem;
  if (!r.open(4, false)) return;
  while (!r.done && !r.isCtx(4, 'close')) {
    const item: PropertyItem = {};
    setObject(item, oid);
    const prop = r.ctxUnsigned(0, true);
    if (prop < 0) return;
    setProperty(item, prop);
    const idx = r.ctxUnsigned(1);
    if (idx >= 0) item.array_index = idx;
    if (!r.open(2)) return;
    r.valuesUntilClose(2, item);
    const prio = r.ctxUnsigned(3);
    if (prio >= 0) item.priority = prio;
    pushItem(f, item, r.anomalies);
  }
  r.off = r.end;
}

function parseComplexAck(r: Reader, service: number, f: BacnetFields): void {
  switch (service) {
    case CONFIRMED.READ_PROPERTY: {
      const oid = r.ctxObjectId(0, true);
      if (oid < 0) return;
      setObject(f, oid);
      const prop = r.ctxUnsigned(1, true);
      if (prop < 0) return;
      setProperty(f, prop);
      const idx = r.ctxUnsigned(2);
      if (idx >= 0) f.array_index = idx;
      if (!r.open(3)) return;
      r.valuesUntilClose(3, f);
      return;
    }
    case CONFIRMED.READ_PROPERTY_MULTIPLE:
      // ReadAccessResult*: [0] object, [1] { ([2] property, [3] index?, [4] {value} | [5] {class, code})* }
      while (!r.done) {
        const oid = r.ctxObjectId(0, true);
        if (oid < 0 || !r.open(1)) return;
        while (!r.done && !r.isCtx(1, 'close')) {
          const item: PropertyItem = {};
          setObject(item, oid);
          const prop = r.ctxUnsigned(2, true);
          if (prop < 0) return;
          setProperty(item, prop);
          const idx = r.ctxUnsigned(3);
          if (idx >= 0) item.array_index = idx;
          if (r.open(4, false)) r.valuesUntilClose(4, item);
          else if (r.open(5)) {
            if (!errorPair(r, item) || !r.close(5)) return;
          } else return;
          pushItem(f, item, r.anomalies);
        }
        if (!r.close(1)) return;
      }
      return;
    case CONFIRMED.CREATE_OBJECT: {
      const oid = r.app(APP_TAG.OBJECT_ID, false);
      if (typeof oid === 'string') objectFromString(f, r);
      r.off = r.end;
      return;
    }
    case CONFIRMED.ATOMIC_READ_FILE:
    default:
      r.off = r.end;
  }
}

function parseUnconfirmed(r: Reader, service: number, f: BacnetFields): void {
  switch (service) {
    case UNCONFIRMED.I_AM: {
      const dev = r.app(APP_TAG.OBJECT_ID);
      if (typeof dev !== 'string') return;
      const o = r.t.start;
      const oid = ((r.b[o] << 24) | (r.b[o + 1] << 16) | (r.b[o + 2] << 8) | r.b[o + 3]) >>> 0;
      setObject(f, oid);
      f.device_instance = oid & 0x3fffff;
      const maxApdu = r.app(APP_TAG.UNSIGNED);
      if (typeof maxApdu !== 'number') return;
      f.max_apdu = maxApdu;
      const seg = r.app(APP_TAG.ENUMERATED);
      if (typeof seg !== 'number') return;
      f.segmentation = seg;
      f.segmentation_name = nameOf(SEGMENTATION, seg);
      const vendor = r.app(APP_TAG.UNSIGNED);
      if (typeof vendor === 'number') f.vendor_id = vendor;
      return;
    }
    case UNCONFIRMED.WHO_IS: {
      if (r.done) return;
      const low = r.ctxUnsigned(0, true);
      if (low < 0) return;
      const high = r.ctxUnsigned(1, true);
      if (high < 0) return;
      f.low_limit = low;
      f.high_limit = high;
      return;
    }
    case UNCONFIRMED.WHO_HAS: {
      const low = r.ctxUnsigned(0);
      if (low >= 0) {
        f.low_limit = low;
        const high = r.ctxUnsigned(1, true);
        if (high < 0) return;
        f.high_limit = high;
      }
      const oid = r.ctxObjectId(2);
      if (oid >= 0) {
        setObject(f, oid);
        return;
      }
      const name = r.ctxSkip(3);
      if (name === null) return r.bad();
      f.object_name = readCharString(r.b, name.start, name.len);
      return;
    }
    case UNCONFIRMED.I_HAVE: {
      const dev = r.app(APP_TAG.OBJECT_ID);
      if (typeof dev !== 'string') return;
      let o = r.t.start;
      f.device_instance = (((r.b[o] << 24) | (r.b[o + 1] << 16) | (r.b[o + 2] << 8) | r.b[o + 3]) >>> 0) & 0x3fffff;
      const obj = r.app(APP_TAG.OBJECT_ID);
      if (typeof obj !== 'string') return;
      o = r.t.start;
      setObject(f, ((r.b[o] << 24) | (r.b[o + 1] << 16) | (r.b[o + 2] << 8) | r.b[o + 3]) >>> 0);
      const name = r.app(APP_TAG.CHARACTER_STRING);
      if (typeof name === 'string') f.object_name = name;
      return;
    }
    case UNCONFIRMED.UNCONFIRMED_COV_NOTIFICATION:
      covNotification(r, f);
      return;
    case UNCONFIRMED.TIME_SYNCHRONIZATION:
    case UNCONFIRMED.UTC_TIME_SYNCHRONIZATION: {
      const date = r.app(APP_TAG.DATE, false);
      if (typeof date === 'string') f.date = date;
      const time = r.app(APP_TAG.TIME, false);
      if (typeof time === 'string') f.time = time;
      r.off = r.end;
      return;
    }
    default:
      r.off = r.end;
  }
}
