// Test helpers: pcap and pcapng pieces written as annotated hex, one field per line, and a frame collector.
import { bytesToHex, hexToBytes } from '../common/hex.js';
import type { Frame, FrameHandler } from './frame.js';

export function u8(v: number): string {
  return (v & 0xff).toString(16).padStart(2, '0');
}

export function u16(v: number, le: boolean): string {
  const b = [(v >>> 8) & 0xff, v & 0xff];
  if (le) b.reverse();
  return b.map(u8).join(' ');
}

export function u32(v: number, le: boolean): string {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  if (le) b.reverse();
  return b.map(u8).join(' ');
}

export function u64(v: bigint, le: boolean): string {
  const hi = Number((v >> 32n) & 0xffffffffn);
  const lo = Number(v & 0xffffffffn);
  return le ? `${u32(lo, le)} ${u32(hi, le)}` : `${u32(hi, le)} ${u32(lo, le)}`;
}

/** Deterministic payload bytes as hex (n bytes starting at `seed`). */
export function payload(n: number, seed = 0): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(u8(seed + i * 7));
  return out.join(' ');
}

export function byteLength(hexText: string): number {
  return hexToBytes(hexText).length;
}

function pad4(hexText: string): string {
  const n = byteLength(hexText);
  return (n & 3) === 0 ? '' : Array((4 - (n & 3)) & 3).fill('00').join(' ');
}

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

export interface PcapHeaderOptions {
  le?: boolean;
  magic?: number;
  major?: number;
  snapLen?: number;
  /** The whole 32-bit link-type field (FCS bits included). */
  linkType?: number;
}

export function pcapFileHeader(o: PcapHeaderOptions = {}): string {
  const le = o.le ?? true;
  return `
    ${u32(o.magic ?? PCAP_MAGIC_US, le)}   # magic
    ${u16(o.major ?? 2, le)}               # version major
    ${u16(4, le)}                          # version minor
    ${u32(0, le)}                          # thiszone
    ${u32(0, le)}                          # sigfigs
    ${u32(o.snapLen ?? 65535, le)}         # snaplen
    ${u32(o.linkType ?? 1, le)}            # link type (+ FCS bits)
  `;
}

export interface PcapRecordOptions {
  le?: boolean;
  sec: number;
  /** Microseconds or nanoseconds, as the magic says. */
  frac: number;
  data: string;
  caplen?: number;
  origLen?: number;
  /** a1b2cd34 files: 8 more header bytes. */
  modified?: boolean;
}

export function pcapRecord(o: PcapRecordOptions): string {
  const le = o.le ?? true;
  const n = byteLength(o.data);
  const extra = o.modified
    ? `
    ${u32(2, le)}                          # ifindex
    ${u16(0x0800, le)}                     # protocol
    01                                     # pkt_type
    00                                     # pad`
    : '';
  return `
    ${u32(o.sec, le)}                      # ts_sec
    ${u32(o.frac, le)}                     # ts_usec / ts_nsec
    ${u32(o.caplen ?? n, le)}              # caplen
    ${u32(o.origLen ?? n, le)}             # origlen${extra}
    ${o.data}                              # packet data
  `;
}

/** One pcapng option: code, length, value, padding to 4. */
export function option(code: number, value: string, le: boolean, name: string): string {
  return `
      ${u16(code, le)} ${u16(byteLength(value), le)}   # option ${name}: code, length
      ${value} ${pad4(value)}                          # ${name} value (+ padding)`;
}

export function endOfOptions(le: boolean): string {
  return `
      ${u16(0, le)} ${u16(0, le)}                      # opt_endofopt`;
}

export interface BlockOptions {
  /** Leading length to write instead of the real one. */
  length?: number;
  /** Trailing length to write instead of the leading one. */
  trailer?: number;
}

/** A block of any type: type, total length, body padded to 4, trailing length. */
export function block(type: number, body: string, le: boolean, name: string, o: BlockOptions = {}): string {
  const padding = pad4(body);
  const len = 12 + byteLength(body) + byteLength(padding);
  return `
    ${u32(type, le)}                       # ${name}: block type
    ${u32(o.length ?? len, le)}            # block total length
    ${body} ${padding}
    ${u32(o.trailer ?? o.length ?? len, le)}   # block total length (trailer)
  `;
}

export function shb(le: boolean, o: { major?: number; options?: string } = {}): string {
  return block(
    0x0a0d0d0a,
    `
      ${u32(0x1a2b3c4d, le)}               # byte-order magic
      ${u16(o.major ?? 1, le)} ${u16(0, le)}   # version 1.0
      ff ff ff ff ff ff ff ff              # section length: unknown
      ${o.options ?? ''}`,
    le,
    'SHB',
  );
}

export function idb(le: boolean, linkType: number, snapLen: number, options = ''): string {
  return block(
    1,
    `
      ${u16(linkType, le)} ${u16(0, le)}   # link type, reserved
      ${u32(snapLen, le)}                  # snaplen
      ${options}`,
    le,
    'IDB',
  );
}

/** Splits a 64-bit timestamp count into its high and low words. */
export function tsWords(units: bigint): { high: number; low: number } {
  return { high: Number(units >> 32n), low: Number(units & 0xffffffffn) };
}

export interface EpbOptions {
  ifId: number;
  units: bigint;
  data: string;
  caplen?: number;
  origLen?: number;
  options?: string;
}

export function epb(le: boolean, o: EpbOptions, b: BlockOptions = {}): string {
  const { high, low } = tsWords(o.units);
  const n = byteLength(o.data);
  return block(
    6,
    `
      ${u32(o.ifId, le)}                   # interface id
      ${u32(high, le)}                     # timestamp (high)
      ${u32(low, le)}                      # timestamp (low)
      ${u32(o.caplen ?? n, le)}            # captured length
      ${u32(o.origLen ?? n, le)}           # original length
      ${o.data} ${pad4(o.data)}            # packet data (+ padding)
      ${o.options ?? ''}`,
    le,
    'EPB',
    b,
  );
}

export function pb(le: boolean, o: EpbOptions & { drops?: number }): string {
  const { high, low } = tsWords(o.units);
  const n = byteLength(o.data);
  return block(
    2,
    `
      ${u16(o.ifId, le)} ${u16(o.drops ?? 0, le)}   # interface id, drops count
      ${u32(high, le)}                     # timestamp (high)
      ${u32(low, le)}                      # timestamp (low)
      ${u32(o.caplen ?? n, le)}            # captured length
      ${u32(o.origLen ?? n, le)}           # original length
      ${o.data} ${pad4(o.data)}            # packet data (+ padding)`,
    le,
    'PB',
  );
}

export function spb(le: boolean, origLen: number, data: string): string {
  return block(
    3,
    `
      ${u32(origLen, le)}                  # original length
      ${data} ${pad4(data)}                # packet data (+ padding)`,
    le,
    'SPB',
  );
}

export function isb(le: boolean, ifId: number, units: bigint, options: string): string {
  const { high, low } = tsWords(units);
  return block(
    5,
    `
      ${u32(ifId, le)}                     # interface id
      ${u32(high, le)}                     # timestamp (high)
      ${u32(low, le)}                      # timestamp (low)
      ${options}`,
    le,
    'ISB',
  );
}

export function nrb(le: boolean): string {
  return block(
    4,
    `
      ${u16(1, le)} ${u16(8, le)}          # nrb_record_ipv4, length 8
      c0 a8 00 01                          # 192.168.0.1
      70 6c 63 00                          # "plc\\0"
      ${u16(0, le)} ${u16(0, le)}          # nrb_record_end`,
    le,
    'NRB',
  );
}

/** Concatenates annotated-hex pieces into bytes. */
export function bytesOf(...pieces: string[]): Uint8Array {
  return hexToBytes(pieces.join('\n'));
}

export interface CollectedFrame {
  data: string;
  caplen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  streamOffset: number;
}

/** A handler that copies every frame (frames are borrowed views, so they must be copied to be kept). */
export class Collector implements FrameHandler {
  readonly frames: CollectedFrame[] = [];

  onFrame(f: Frame): void {
    this.frames.push({
      data: bytesToHex(f.buf.subarray(f.offset, f.offset + f.caplen)),
      caplen: f.caplen,
      origLen: f.origLen,
      tsSec: f.tsSec,
      tsNsec: f.tsNsec,
      linkType: f.linkType,
      interfaceId: f.interfaceId,
      streamOffset: f.streamOffset,
    });
  }
}

/** Hex of `data` without spaces, as Collector stores frame bytes. */
export function plain(hexText: string): string {
  return bytesToHex(hexToBytes(hexText));
}
