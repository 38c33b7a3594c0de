// pcapng push reader (draft-ietf-opsawg-pcapng): SHB, IDB, EPB, SPB, obsolete PB, ISB; other blocks are skipped.
import type { AnomalyCounter } from '../common/anomaly.js';
import { PCAPNG_ANOMALIES } from './anomalies.js';
import type { FrameHandler } from './frame.js';
import { PushReader, type CaptureInterface, type InterfaceStats } from './push-reader.js';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 1;
export const BLOCK_PB = 2;
export const BLOCK_SPB = 3;
export const BLOCK_NRB = 4;
export const BLOCK_ISB = 5;
export const BLOCK_EPB = 6;
export const BLOCK_SYSTEMD_JOURNAL = 9;
export const BLOCK_DSB = 0x0a;
export const BLOCK_CUSTOM = 0xbad;
export const BLOCK_CUSTOM_NO_COPY = 0x40000bad;

/** Wireshark's limit on one block; a longer length field means the block header is garbage. */
export const PCAPNG_MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
/** Interfaces kept per file (all sections together). */
export const PCAPNG_MAX_INTERFACES = 4096;
const IF_NAME_MAX_BYTES = 256;

const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_FILTERACCEPT = 6;
const ISB_OSDROP = 7;
const ISB_USRDELIV = 8;

const TWO_32 = 4294967296;

/** Smallest total length of each block type Lantern reads or recognises (header, fixed fields, trailer). */
function minBlockLength(type: number): number {
  switch (type) {
    case BLOCK_SHB:
      return 28;
    case BLOCK_IDB:
    case BLOCK_DSB:
      return 20;
    case BLOCK_PB:
    case BLOCK_EPB:
      return 32;
    case BLOCK_SPB:
    case BLOCK_CUSTOM:
    case BLOCK_CUSTOM_NO_COPY:
      return 16;
    case BLOCK_ISB:
      return 24;
    case BLOCK_NRB:
    case BLOCK_SYSTEMD_JOURNAL:
      return 12;
    default:
      return -1;
  }
}

function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

/** 64-bit unsigned value as a number (exact up to 2^53). */
function u64(b: Uint8Array, o: number, le: boolean): number {
  return le ? u32(b, o + 4, le) * TWO_32 + u32(b, o, le) : u32(b, o, le) * TWO_32 + u32(b, o + 4, le);
}

function isShbMagic(b: Uint8Array, o: number): boolean {
  return b[o] === 0x0a && b[o + 1] === 0x0d && b[o + 2] === 0x0d && b[o + 3] === 0x0a;
}

/** Byte order named by the SHB byte-order magic at b[o]: 1 little-endian, 0 big-endian, -1 neither. */
function byteOrderMagic(b: Uint8Array, o: number): number {
  if (b[o] === 0x4d && b[o + 1] === 0x3c && b[o + 2] === 0x2b && b[o + 3] === 0x1a) return 1;
  if (b[o] === 0x1a && b[o + 1] === 0x2b && b[o + 2] === 0x3c && b[o + 3] === 0x4d) return 0;
  return -1;
}

/**
 * One interface and its timestamp arithmetic. A 64-bit timestamp (high, low) counts units of 10^-k or 2^-k s. It
 * may exceed 2^53, so it is split into seconds and a remainder exactly: directly in floating point when it is below
 * 2^53, else with a floating quotient corrected by an exact 32-bit remainder (see setTime), or by long division in
 * 16-bit digits for coarse units. Resolutions finer than 1 ns are first reduced to 1 ns (decimal) or
 * 2^-30 s (binary) so the divisor stays below 2^37 and every step is an exact integer.
 */
class PcapngInterface {
  frames = 0;
  snapCheck: number;
  fcsLength: number | undefined = undefined;
  name: string | undefined = undefined;
  tsResolution = '10^-6';
  /** Units per second after the pre-scaling below. */
  unitsPerSec = 1_000_000;
  /** Nanoseconds per unit: 10^(9-k) or 1e9/2^k, exact in floating point. */
  nsPerUnit = 1000;
  /** Decimal resolutions finer than 1 ns: divide the raw count by this first. */
  preDivisor = 1;
  /** Binary resolutions finer than 2^-30 s: shift the raw count right by this first. */
  preShift = 0;
  /** if_tsoffset, seconds. */
  tsOffset = 0;
  unsupportedResolution = false;
  stats: InterfaceStats | undefined = undefined;

  constructor(
    readonly id: number,
    readonly section: number,
    readonly linkType: number,
    readonly snapLen: number,
  ) {
    this.snapCheck = snapLen === 0 ? Infinity : snapLen;
  }

  /** if_tsresol: bit 7 clear, 10^-k; set, 2^-k. Returns false when the resolution cannot be handled. */
  setResolution(raw: number): boolean {
    const k = raw & 0x7f;
    this.preDivisor = 1;
    this.preShift = 0;
    this.unsupportedResolution = false;
    if ((raw & 0x80) === 0) {
      this.tsResolution = `10^-${k}`;
      if (k > 19) return this.unsupported();
      if (k <= 9) {
        this.unitsPerSec = 10 ** k;
        this.nsPerUnit = 10 ** (9 - k);
      } else {
        this.preDivisor = 10 ** (k - 9);
        this.unitsPerSec = 1e9;
        this.nsPerUnit = 1;
      }
    } else {
      this.tsResolution = `2^-${k}`;
      if (k > 63) return this.unsupported();
      const kk = Math.min(k, 30);
      this.preShift = k - kk;
      this.unitsPerSec = 2 ** kk;
      this.nsPerUnit = 1e9 / 2 ** kk;
    }
    return true;
  }

  private unsupported(): boolean {
    this.unsupportedResolution = true;
    return false;
  }

  toInfo(): CaptureInterface {
    const info: CaptureInterface = {
      id: this.id,
      section: this.section,
      linkType: this.linkType,
      snapLen: this.snapLen,
      tsResolution: this.tsResolution,
      frames: this.frames,
    };
    if (this.fcsLength !== undefined) info.fcsLength = this.fcsLength;
    if (this.name !== undefined) info.name = this.name;
    return info;
  }
}

const utf8 = new TextDecoder('utf-8');

export class PcapngReader extends PushReader {
  /** Sections started (Section Header Blocks read). */
  sections = 0;
  /** Blocks read past without use: NRB, DSB, custom, systemd journal, and unknown types. */
  skippedBlocks = 0;

  private inSection = false;
  private le = true;
  /** Interfaces of the current section, by local id; null for an IDB that could not be kept. */
  private sectionIfaces: (PcapngInterface | null)[] = [];
  private readonly allIfaces: PcapngInterface[] = [];
  private interfaceCapHit = false;
  protected readonly resyncCodes = PCAPNG_ANOMALIES.codes;
  /** Scratch for splitting 64-bit timestamps without allocating. */
  private tsHigh = 0;
  private tsLow = 0;
  private divRem = 0;

  constructor(handler: FrameHandler, anomalies: AnomalyCounter, initialCapacity?: number) {
    super(handler, anomalies, initialCapacity);
  }

  get linkTypes(): number[] {
    const out: number[] = [];
    for (const i of this.allIfaces) if (!out.includes(i.linkType)) out.push(i.linkType);
    return out;
  }

  get interfaces(): CaptureInterface[] {
    return this.allIfaces.map((i) => i.toInfo());
  }

  get interfaceStats(): InterfaceStats[] {
    const out: InterfaceStats[] = [];
    for (const i of this.allIfaces) if (i.stats) out.push({ ...i.stats });
    return out;
  }

  protected parse(ending: boolean): void {
    const b = this.buf;
    this.frame.buf = this.view;
    for (;;) {
      if (this.resyncing && !this.resync(ending)) return;
      const pos = this.pos;
      const avail = this.fill - pos;
      if (avail < 12) return;
      let type: number;
      let le = this.le;
      if (isShbMagic(b, pos)) {
        type = BLOCK_SHB;
        const order = byteOrderMagic(b, pos + 8);
        if (order < 0) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_byte_order_magic);
          this.startResync(pos);
          continue;
        }
        le = order === 1;
      } else if (!this.inSection) {
        this.anomalies.add(PCAPNG_ANOMALIES.codes.missing_section_header);
        this.startResync(pos);
        continue;
      } else {
        type = u32(b, pos, le);
      }
      const len = u32(b, pos + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > PCAPNG_MAX_BLOCK_LENGTH) {
        this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_block_length);
        this.startResync(pos);
        continue;
      }
      if (avail < len) {
        // A block running past the end of input is a truncated file, unless plausible blocks follow inside it:
        // then its length was garbage.
        if (!ending) return;
        this.scan(pos + 1, true);
        if (!this.scanFound) return;
        this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_block_length);
        this.startResync(pos);
        continue;
      }
      if (u32(b, pos + len - 4, le) !== len) {
        // Which length is wrong? Trust the leading one only if a plausible block follows it.
        const next = pos + len;
        if (next + 12 <= this.fill) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.block_length_mismatch);
          if (this.plausibleBlockHeader(next)) {
            this.skippedBytes += len;
            this.pos = next;
          } else {
            this.startResync(pos);
          }
          continue;
        }
        if (!ending) return;
        this.anomalies.add(PCAPNG_ANOMALIES.codes.block_length_mismatch);
        if (next === this.fill) {
          this.skippedBytes += len;
          this.pos = next;
        } else {
          this.startResync(pos);
        }
        continue;
      }
      this.pos = pos + len;
      const min = minBlockLength(type);
      if (len < min) {
        this.anomalies.add(PCAPNG_ANOMALIES.codes.block_too_short);
        // Keep the structure: a short SHB still starts a section, a short IDB still takes an interface id.
        if (type === BLOCK_SHB) this.sectionHeader(pos, le, false);
        else if (type === BLOCK_IDB) this.addInterface(null);
        continue;
      }
      switch (type) {
        case BLOCK_EPB:
          this.packet(pos, len, false);
          break;
        case BLOCK_SPB:
          this.simplePacket(pos, len);
          break;
        case BLOCK_IDB:
          this.interfaceDescription(pos, len);
          break;
        case BLOCK_SHB:
          this.sectionHeader(pos, le, true);
          break;
        case BLOCK_PB:
          this.packet(pos, len, true);
          break;
        case BLOCK_ISB:
          this.interfaceStatistics(pos, len);
          break;
        case BLOCK_NRB:
        case BLOCK_DSB:
        case BLOCK_CUSTOM:
        case BLOCK_CUSTOM_NO_COPY:
        case BLOCK_SYSTEMD_JOURNAL:
          this.skippedBlocks++;
          break;
        default:
          this.skippedBlocks++;
          this.anomalies.add(PCAPNG_ANOMALIES.codes.unknown_block);
      }
    }
  }

  private sectionHeader(pos: number, le: boolean, complete: boolean): void {
    this.le = le;
    this.inSection = true;
    this.sections++;
    this.sectionIfaces = [];
    if (complete && u16(this.buf, pos + 12, le) !== 1) this.anomalies.add(PCAPNG_ANOMALIES.codes.unsupported_version);
  }

  private addInterface(iface: PcapngInterface | null): void {
    this.sectionIfaces.push(iface);
    if (iface) this.allIfaces.push(iface);
  }

  private interfaceDescription(pos: number, len: number): void {
    const b = this.buf;
    const le = this.le;
    if (this.allIfaces.length >= PCAPNG_MAX_INTERFACES) {
      if (!this.interfaceCapHit) this.anomalies.add(PCAPNG_ANOMALIES.codes.too_many_interfaces);
      this.interfaceCapHit = true;
      this.addInterface(null);
      return;
    }
    const iface = new PcapngInterface(this.allIfaces.length, this.sections - 1, u16(b, pos + 8, le), u32(b, pos + 12, le));
    const end = pos + len - 4;
    for (let o = pos + 16; o + 4 <= end; ) {
      const code = u16(b, o, le);
      const optLen = u16(b, o + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const v = o + 4;
      if (v + optLen > end) {
        this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
        break;
      }
      if (code === IF_TSRESOL) {
        if (optLen !== 1) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
          break;
        }
        if (!iface.setResolution(b[v])) this.anomalies.add(PCAPNG_ANOMALIES.codes.unsupported_tsresol);
      } else if (code === IF_TSOFFSET) {
        if (optLen !== 8) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
          break;
        }
        // Signed 64-bit seconds.
        const hi = le ? u32(b, v + 4, le) | 0 : u32(b, v, le) | 0;
        const lo = le ? u32(b, v, le) : u32(b, v + 4, le);
        iface.tsOffset = hi * TWO_32 + lo;
      } else if (code === IF_FCSLEN) {
        if (optLen !== 1) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
          break;
        }
        iface.fcsLength = b[v];
      } else if (code === IF_NAME) {
        let n = optLen;
        if (n > IF_NAME_MAX_BYTES) {
          n = IF_NAME_MAX_BYTES;
          this.anomalies.add(PCAPNG_ANOMALIES.codes.option_truncated);
        }
        // Writers may or may not include a terminating NUL.
        let e = v + n;
        while (e > v && b[e - 1] === 0) e--;
        iface.name = utf8.decode(b.subarray(v, e));
      }
      o = v + ((optLen + 3) & ~3);
    }
    this.addInterface(iface);
  }

  private interfaceStatistics(pos: number, len: number): void {
    const b = this.buf;
    const le = this.le;
    const id = u32(b, pos + 8, le);
    const iface = id < this.sectionIfaces.length ? this.sectionIfaces[id] : null;
    if (!iface) {
      this.anomalies.add(PCAPNG_ANOMALIES.codes.unknown_interface);
      return;
    }
    // Counters are cumulative: the last ISB of an interface wins.
    const stats: InterfaceStats = { id: iface.id };
    const end = pos + len - 4;
    for (let o = pos + 20; o + 4 <= end; ) {
      const code = u16(b, o, le);
      const optLen = u16(b, o + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const v = o + 4;
      if (v + optLen > end) {
        this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
        break;
      }
      if (code >= ISB_IFRECV && code <= ISB_USRDELIV) {
        if (optLen !== 8) {
          this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_option);
          break;
        }
        const n = u64(b, v, le);
        if (code === ISB_IFRECV) stats.ifRecv = n;
        else if (code === ISB_IFDROP) stats.ifDrop = n;
        else if (code === ISB_FILTERACCEPT) stats.filterAccept = n;
        else if (code === ISB_OSDROP) stats.osDrop = n;
        else stats.usrDeliv = n;
      }
      o = v + ((optLen + 3) & ~3);
    }
    iface.stats = stats;
  }

  /** Enhanced Packet Block, or with `obsolete` the Packet Block (16-bit interface id, 16-bit drop count). */
  private packet(pos: number, len: number, obsolete: boolean): void {
    const b = this.buf;
    const le = this.le;
    const ifaces = this.sectionIfaces;
    const id = obsolete ? u16(b, pos + 8, le) : u32(b, pos + 8, le);
    if (id >= ifaces.length) {
      this.anomalies.add(
        ifaces.length === 0 ? PCAPNG_ANOMALIES.codes.packet_before_interface : PCAPNG_ANOMALIES.codes.unknown_interface,
      );
      return;
    }
    const iface = ifaces[id];
    if (iface === null) {
      this.anomalies.add(PCAPNG_ANOMALIES.codes.unknown_interface);
      return;
    }
    const caplen = u32(b, pos + 20, le);
    const origLen = u32(b, pos + 24, le);
    if (caplen > len - 32) {
      this.anomalies.add(PCAPNG_ANOMALIES.codes.bad_packet_length);
      return;
    }
    if (caplen > origLen) this.anomalies.add(PCAPNG_ANOMALIES.codes.caplen_exceeds_origlen);
    if (caplen > iface.snapCheck) this.anomalies.add(PCAPNG_ANOMALIES.codes.caplen_exceeds_snaplen);
    const frame = this.frame;
    this.setTime(u32(b, pos + 12, le), u32(b, pos + 16, le), iface);
    frame.offset = pos + 28;
    frame.caplen = caplen;
    frame.origLen = origLen;
    frame.linkType = iface.linkType;
    frame.interfaceId = iface.id;
    frame.streamOffset = this.base + pos;
    this.frames++;
    iface.frames++;
    this.handler.onFrame(frame);
  }

  /** Simple Packet Block: interface 0, no timestamp (0, as tshark shows it), caplen = min(origLen, snaplen, room). */
  private simplePacket(pos: number, len: number): void {
    const ifaces = this.sectionIfaces;
    if (ifaces.length === 0) {
      this.anomalies.add(PCAPNG_ANOMALIES.codes.packet_before_interface);
      return;
    }
    const iface = ifaces[0];
    if (iface === null) {
      this.anomalies.add(PCAPNG_ANOMALIES.codes.unknown_interface);
      return;
    }
    const origLen = u32(this.buf, pos + 8, this.le);
    const caplen = Math.min(origLen, len - 16, iface.snapCheck);
    const frame = this.frame;
    frame.offset = pos + 12;
    frame.caplen = caplen;
    frame.origLen = origLen;
    frame.tsSec = 0;
    frame.tsNsec = 0;
    frame.linkType = iface.linkType;
    frame.interfaceId = iface.id;
    frame.streamOffset = this.base + pos;
    this.frames++;
    iface.frames++;
    this.handler.onFrame(frame);
  }

  /** Sets frame.tsSec / tsNsec from a raw 64-bit count of the interface's units (see PcapngInterface). */
  private setTime(high: number, low: number, iface: PcapngInterface): void {
    const frame = this.frame;
    if (iface.unsupportedResolution) {
      frame.tsSec = 0;
      frame.tsNsec = 0;
      return;
    }
    if (iface.preShift > 0) {
      const s = iface.preShift;
      if (s >= 32) {
        low = high >>> (s - 32);
        high = 0;
      } else {
        low = ((low >>> s) | (high << (32 - s))) >>> 0;
        high = high >>> s;
      }
    }
    if (iface.preDivisor > 1) {
      this.divide(high, low, iface.preDivisor);
      high = this.tsHigh;
      low = this.tsLow;
    }
    const units = iface.unitsPerSec;
    let sec: number;
    let rem: number;
    if (high < 0x200000) {
      // Below 2^53: exact in floating point; the quotient may round up by one, which the remainder reveals.
      const t = high * TWO_32 + low;
      sec = Math.floor(t / units);
      rem = t - sec * units;
      if (rem < 0) {
        sec -= 1;
        rem += units;
      } else if (rem >= units) {
        sec += 1;
        rem -= units;
      }
    } else if (units >= 65536) {
      // Above 2^53 (e.g. nanoseconds since 1970): with units >= 2^16 the floating quotient is off by at most one.
      // The remainder then lies in [-units, 2 * units), narrower than 2^32, so computing it modulo 2^32 (exact
      // 32-bit arithmetic) recovers it, and it says which way to correct.
      sec = Math.floor((high * TWO_32 + low) / units);
      const r32 = (low - Math.imul(sec % TWO_32, units)) >>> 0;
      rem = r32 < 2 * units ? r32 : r32 - TWO_32;
      if (rem < 0) {
        sec -= 1;
        rem += units;
      } else if (rem >= units) {
        sec += 1;
        rem -= units;
      }
    } else {
      rem = this.divide(high, low, units);
      sec = this.tsHigh * TWO_32 + this.tsLow;
    }
    frame.tsSec = sec + iface.tsOffset;
    frame.tsNsec = Math.floor(rem * iface.nsPerUnit);
  }

  /** (high, low) / d by long division in 16-bit digits (d < 2^37 keeps every step exact); quotient in tsHigh/tsLow. */
  private divide(high: number, low: number, d: number): number {
    const q3 = this.divideStep(0, high >>> 16, d);
    const q2 = this.divideStep(this.divRem, high & 0xffff, d);
    const q1 = this.divideStep(this.divRem, low >>> 16, d);
    const q0 = this.divideStep(this.divRem, low & 0xffff, d);
    this.tsHigh = q3 * 65536 + q2;
    this.tsLow = q1 * 65536 + q0;
    return this.divRem;
  }

  /** (rem * 2^16 + digit) / d with rem < d: returns the quotient (< 2^16), leaves the remainder in divRem. */
  private divideStep(rem: number, digit: number, d: number): number {
    const cur = rem * 65536 + digit;
    let q = Math.floor(cur / d);
    let r = cur - q * d;
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
    this.divRem = r;
    return q;
  }

  /** A block header at b[o] that could be real: known type (or SHB with a valid byte-order magic), sane length. */
  private plausibleBlockHeader(o: number): boolean {
    const b = this.buf;
    let le = this.le;
    let type: number;
    if (isShbMagic(b, o)) {
      const order = byteOrderMagic(b, o + 8);
      if (order < 0) return false;
      le = order === 1;
      type = BLOCK_SHB;
    } else {
      if (!this.inSection) return false;
      type = u32(b, o, le);
    }
    const min = minBlockLength(type);
    const len = u32(b, o + 4, le);
    return min > 0 && len >= min && (len & 3) === 0 && len <= PCAPNG_MAX_BLOCK_LENGTH;
  }

  private startResync(badBlock: number): void {
    this.resyncing = true;
    // Never retry the same offset.
    this.pos = badBlock + 1;
    this.skippedBytes += 1;
  }

  /**
   * Scans forward from `from`, one byte at a time, for a plausible block: a plausible header whose trailing length
   * matches. Returns the offset where the scan stopped: the block found (scanFound set), a candidate that needs
   * more bytes (not ending; at most one 16 MiB block is then buffered), or where too few bytes remain for a header.
   */
  protected scan(from: number, ending: boolean): number {
    const b = this.buf;
    const fill = this.fill;
    // A plausible length (<= 16 MiB) has a top byte of 0 or 1; an SHB may use the other byte order, so let 0a through.
    const lenTop = this.le ? 7 : 4;
    this.scanFound = false;
    let p = from;
    for (; fill - p >= 12; p++) {
      if (b[p + lenTop] > 1 && b[p] !== 0x0a) continue;
      if (!this.plausibleBlockHeader(p)) continue;
      const le = isShbMagic(b, p) ? byteOrderMagic(b, p + 8) === 1 : this.le;
      const len = u32(b, p + 4, le);
      if (len > fill - p) {
        if (ending) continue;
        break;
      }
      if (u32(b, p + len - 4, le) === len) {
        this.scanFound = true;
        break;
      }
    }
    return p;
  }

}
