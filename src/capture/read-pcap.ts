// Classic pcap push reader (draft-ietf-opsawg-pcap): both byte orders, µs and ns magics, Kuznetzov's modified format.
import type { AnomalyCounter } from '../common/anomaly.js';
import { PCAP_ANOMALIES } from './anomalies.js';
import type { FrameHandler } from './frame.js';
import { PushReader, type CaptureInterface } from './push-reader.js';

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
/** a1b2cd34 files (Alexey Kuznetzov's patched libpcap) add ifindex(4), protocol(2), pkt_type(1), pad(1). */
export const PCAP_MODIFIED_RECORD_HEADER_LENGTH = 24;

export const PCAP_MAGIC_BIG_ENDIAN = 1;
export const PCAP_MAGIC_NANOSECOND = 2;
export const PCAP_MAGIC_MODIFIED = 4;

/**
 * Largest captured length accepted whatever the snap length says: libpcap refuses records above
 * max(snaplen, 262144) (262144 is tcpdump's maximum snap length), so no libpcap-written file holds one and a larger
 * value means the header is garbage.
 */
const PCAP_MIN_RECORD_CAP = 262144;
/** Absolute cap on one record, the same as the pcapng block cap. */
const PCAP_MAX_RECORD_CAP = 16 * 1024 * 1024;
/** While resynchronising, a candidate header's time must lie within this of the last good frame's. */
const RESYNC_MAX_TIME_JUMP_SEC = 7 * 86400;

/** Magic at b[o..o+4) as PCAP_MAGIC_* flags, or -1 when it is not a pcap magic. */
export function pcapMagic(b: Uint8Array, o: number): number {
  const m = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  switch (m) {
    case 0xa1b2c3d4:
      return PCAP_MAGIC_BIG_ENDIAN;
    case 0xd4c3b2a1:
      return 0;
    case 0xa1b23c4d:
      return PCAP_MAGIC_BIG_ENDIAN | PCAP_MAGIC_NANOSECOND;
    case 0x4d3cb2a1:
      return PCAP_MAGIC_NANOSECOND;
    case 0xa1b2cd34:
      return PCAP_MAGIC_BIG_ENDIAN | PCAP_MAGIC_MODIFIED;
    case 0x34cdb2a1:
      return PCAP_MAGIC_MODIFIED;
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

export class PcapReader extends PushReader {
  /** Whether the file header has been read (and was a pcap header). */
  headerRead = false;
  littleEndian = true;
  nanosecond = false;
  modified = false;
  versionMajor = 0;
  versionMinor = 0;
  snapLen = 0;
  linkType = 0;
  fcsLength: number | undefined = undefined;

  private headerLength = PCAP_RECORD_HEADER_LENGTH;
  private recordCap = PCAP_MIN_RECORD_CAP;
  /** Snap length for the caplen check (Infinity when the header says 0). */
  private snapCheck = Infinity;
  private fracLimit = 1_000_000;
  private fracToNs = 1000;
  private badMagic = false;
  protected readonly resyncCodes = PCAP_ANOMALIES.codes;
  private lastTsSec = -1;

  constructor(handler: FrameHandler, anomalies: AnomalyCounter, initialCapacity?: number) {
    super(handler, anomalies, initialCapacity);
  }

  get linkTypes(): number[] {
    return this.headerRead ? [this.linkType] : [];
  }

  get interfaces(): CaptureInterface[] {
    if (!this.headerRead) return [];
    const info: CaptureInterface = {
      id: 0,
      section: 0,
      linkType: this.linkType,
      snapLen: this.snapLen,
      tsResolution: this.nanosecond ? '10^-9' : '10^-6',
      frames: this.frames,
    };
    if (this.fcsLength !== undefined) info.fcsLength = this.fcsLength;
    return [info];
  }

  protected parse(ending: boolean): void {
    if (this.badMagic) {
      this.skippedBytes += this.fill - this.pos;
      this.pos = this.fill;
      return;
    }
    if (!this.headerRead) {
      if (this.fill - this.pos < PCAP_FILE_HEADER_LENGTH) return;
      if (!this.readFileHeader()) return;
    }
    if (this.resyncing && !this.resync(ending)) return;

    const b = this.buf;
    const fill = this.fill;
    const frame = this.frame;
    const handler = this.handler;
    const le = this.littleEndian;
    const hl = this.headerLength;
    const cap = this.recordCap;
    frame.buf = this.view;
    frame.linkType = this.linkType;
    frame.interfaceId = 0;
    let pos = this.pos;
    while (fill - pos >= hl) {
      let sec: number, frac: number, caplen: number, origLen: number;
      if (le) {
        sec = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
        frac = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16) | (b[pos + 7] << 24)) >>> 0;
        caplen = (b[pos + 8] | (b[pos + 9] << 8) | (b[pos + 10] << 16) | (b[pos + 11] << 24)) >>> 0;
        origLen = (b[pos + 12] | (b[pos + 13] << 8) | (b[pos + 14] << 16) | (b[pos + 15] << 24)) >>> 0;
      } else {
        sec = ((b[pos] << 24) | (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]) >>> 0;
        frac = ((b[pos + 4] << 24) | (b[pos + 5] << 16) | (b[pos + 6] << 8) | b[pos + 7]) >>> 0;
        caplen = ((b[pos + 8] << 24) | (b[pos + 9] << 16) | (b[pos + 10] << 8) | b[pos + 11]) >>> 0;
        origLen = ((b[pos + 12] << 24) | (b[pos + 13] << 16) | (b[pos + 14] << 8) | b[pos + 15]) >>> 0;
      }
      const next = pos + hl + caplen;
      // A record running past the end of input is a truncated file, unless plausible records follow inside it:
      // then its length was garbage.
      if (caplen > cap || (next > fill && ending && this.recordsFollow(pos + 1))) {
        this.anomalies.add(PCAP_ANOMALIES.codes.bad_record_length);
        this.resyncing = true;
        // Never retry the same offset: the scan starts one byte further.
        this.pos = pos + 1;
        this.skippedBytes += 1;
        if (!this.resync(ending)) return;
        pos = this.pos;
        continue;
      }
      if (next > fill) break;
      if (caplen > origLen) this.anomalies.add(PCAP_ANOMALIES.codes.caplen_exceeds_origlen);
      if (caplen > this.snapCheck) this.anomalies.add(PCAP_ANOMALIES.codes.caplen_exceeds_snaplen);
      if (frac >= this.fracLimit) {
        this.anomalies.add(PCAP_ANOMALIES.codes.bad_timestamp_fraction);
        sec += Math.floor(frac / this.fracLimit);
        frac %= this.fracLimit;
      }
      frame.offset = pos + hl;
      frame.caplen = caplen;
      frame.origLen = origLen;
      frame.tsSec = sec;
      frame.tsNsec = frac * this.fracToNs;
      frame.streamOffset = this.base + pos;
      this.lastTsSec = sec;
      pos = next;
      this.pos = pos;
      this.frames++;
      handler.onFrame(frame);
    }
    this.pos = pos;
  }

  private readFileHeader(): boolean {
    const b = this.buf;
    const o = this.pos;
    const kind = pcapMagic(b, o);
    if (kind < 0) {
      this.badMagic = true;
      this.anomalies.add(PCAP_ANOMALIES.codes.bad_magic);
      this.skippedBytes += this.fill - this.pos;
      this.pos = this.fill;
      return false;
    }
    const le = (kind & PCAP_MAGIC_BIG_ENDIAN) === 0;
    this.littleEndian = le;
    this.nanosecond = (kind & PCAP_MAGIC_NANOSECOND) !== 0;
    this.modified = (kind & PCAP_MAGIC_MODIFIED) !== 0;
    this.headerLength = this.modified ? PCAP_MODIFIED_RECORD_HEADER_LENGTH : PCAP_RECORD_HEADER_LENGTH;
    this.fracLimit = this.nanosecond ? 1_000_000_000 : 1_000_000;
    this.fracToNs = this.nanosecond ? 1 : 1000;
    this.versionMajor = u16(b, o + 4, le);
    this.versionMinor = u16(b, o + 6, le);
    if (this.versionMajor !== 2) this.anomalies.add(PCAP_ANOMALIES.codes.unsupported_version);
    this.snapLen = u32(b, o + 16, le);
    this.snapCheck = this.snapLen === 0 ? Infinity : this.snapLen;
    this.recordCap = Math.max(Math.min(this.snapLen, PCAP_MAX_RECORD_CAP), PCAP_MIN_RECORD_CAP);
    const field = u32(b, o + 20, le);
    this.linkType = field & 0xffff;
    if (((field >>> 16) & 0x3ff) !== 0) this.anomalies.add(PCAP_ANOMALIES.codes.reserved_linktype_bits);
    // Bit 26 says the FCS length is known; bits 28-31 give it in 16-bit words.
    if ((field & 0x04000000) !== 0) this.fcsLength = ((field >>> 28) & 0xf) * 2;
    this.frame.linkType = this.linkType;
    this.frame.interfaceId = 0;
    this.headerRead = true;
    this.pos = o + PCAP_FILE_HEADER_LENGTH;
    return true;
  }

  /** Whether a record header at b[o] looks real; returns its captured length, or -1. */
  private plausibleRecord(o: number): number {
    const b = this.buf;
    const le = this.littleEndian;
    const sec = u32(b, o, le);
    const frac = u32(b, o + 4, le);
    const caplen = u32(b, o + 8, le);
    const origLen = u32(b, o + 12, le);
    if (caplen === 0 || caplen > this.recordCap || caplen > origLen || origLen > PCAP_MAX_RECORD_CAP) return -1;
    if (frac >= this.fracLimit) return -1;
    if (this.lastTsSec >= 0 && Math.abs(sec - this.lastTsSec) > RESYNC_MAX_TIME_JUMP_SEC) return -1;
    return caplen;
  }

  /**
   * Scans forward from `from`, one byte at a time, for a plausible record header whose successor is also plausible
   * (or which ends exactly at the end of input). Returns the offset where the scan stopped: the record found
   * (scanFound set), a candidate that needs more bytes (not ending), or where too few bytes remain for a header.
   */
  protected scan(from: number, ending: boolean): number {
    const b = this.buf;
    const hl = this.headerLength;
    const fill = this.fill;
    // The top byte of a plausible caplen (<= 16 MiB) is 0 or 1: a cheap first filter over garbage.
    const caplenTop = this.littleEndian ? 11 : 8;
    this.scanFound = false;
    let p = from;
    for (; fill - p >= hl; p++) {
      if (b[p + caplenTop] > 1) continue;
      const caplen = this.plausibleRecord(p);
      if (caplen < 0) continue;
      const next = p + hl + caplen;
      if (next + hl <= fill) {
        if (this.plausibleRecord(next) >= 0) {
          this.scanFound = true;
          break;
        }
      } else if (!ending) {
        break;
      } else if (next === fill) {
        this.scanFound = true;
        break;
      }
    }
    return p;
  }

  private recordsFollow(from: number): boolean {
    this.scan(from, true);
    return this.scanFound;
  }

}
