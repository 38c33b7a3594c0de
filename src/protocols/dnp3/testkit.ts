// Test helpers: DNP3 link frames with their CRCs around a transport segment, for the parser and session tests.
import { crc16Dnp } from './parse.js';

/** One link frame: header (start, length, control, destination, source) and user data cut in CRC'd 16-octet blocks. */
export function linkFrame(control: number, dst: number, src: number, userData: Uint8Array): Uint8Array {
  const head = [0x05, 0x64, 5 + userData.length, control, dst & 0xff, dst >> 8, src & 0xff, src >> 8];
  const out: number[] = [...head];
  const hc = crc16Dnp(Uint8Array.from(head), 0, 8);
  out.push(hc & 0xff, hc >> 8);
  for (let i = 0; i < userData.length; i += 16) {
    const block = userData.subarray(i, Math.min(i + 16, userData.length));
    out.push(...block);
    const c = crc16Dnp(block, 0, block.length);
    out.push(c & 0xff, c >> 8);
  }
  return Uint8Array.from(out);
}

/** An application fragment in one unconfirmed user-data frame (transport FIR|FIN, sequence `tseq`). */
export function appFrame(fromMaster: boolean, dst: number, src: number, app: Uint8Array, tseq = 0): Uint8Array {
  return linkFrame(fromMaster ? 0xc4 : 0x44, dst, src, Uint8Array.from([0xc0 | tseq, ...app]));
}

/** An application fragment cut into transport segments of at most `per` octets, one frame each. */
export function segmentedFrames(fromMaster: boolean, dst: number, src: number, app: Uint8Array, per: number, firstSeq = 0): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let seq = firstSeq;
  for (let i = 0; i < app.length; i += per) {
    const th = (i === 0 ? 0x40 : 0) | (i + per >= app.length ? 0x80 : 0) | (seq & 0x3f);
    frames.push(linkFrame(fromMaster ? 0xc4 : 0x44, dst, src, Uint8Array.from([th, ...app.subarray(i, i + per)])));
    seq++;
  }
  return frames;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
