// Fuzz: random and mutated captures through the file path and the stream path never throw, never hang, agree.
import { prng } from '../common/prng.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { AnomalyCounter } from '../common/anomaly.js';
import { CAPTURE_ANOMALIES, PCAPNG_ANOMALIES, PCAP_ANOMALIES } from './anomalies.js';
import {
  bytesOf,
  epb,
  idb,
  isb,
  nrb,
  option,
  endOfOptions,
  payload,
  pb,
  pcapFileHeader,
  pcapRecord,
  shb,
  spb,
  PCAP_MAGIC_MODIFIED,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
} from './fixtures.js';
import type { Frame, FrameHandler } from './frame.js';
import { CaptureError, readCaptureFile, readCaptureStream, type CaptureResult } from './open-capture.js';

const INPUTS = 2000;
const MAX_MS_PER_INPUT = 2000;

const dir = mkdtempSync(join(tmpdir(), 'lantern-capture-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rng = prng;

function randomPcap(r: () => number): Uint8Array {
  const le = r() < 0.5;
  const magic = [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED][Math.floor(r() * 3)];
  const parts = [pcapFileHeader({ le, magic, snapLen: r() < 0.5 ? 65535 : 128 })];
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    parts.push(pcapRecord({ le, modified: magic === PCAP_MAGIC_MODIFIED, sec: 1_700_000_000 + i, frac: i, data: payload(Math.floor(r() * 90), i) }));
  }
  return bytesOf(...parts);
}

function randomPcapng(r: () => number): Uint8Array {
  const parts: string[] = [];
  const sections = 1 + Math.floor(r() * 2);
  for (let s = 0; s < sections; s++) {
    const le = r() < 0.5;
    parts.push(shb(le));
    parts.push(idb(le, 1, 0, option(9, r() < 0.5 ? '09' : '86', le, 'if_tsresol') + endOfOptions(le)));
    parts.push(idb(le, 101, 64));
    const n = Math.floor(r() * 10);
    for (let i = 0; i < n; i++) {
      const data = payload(Math.floor(r() * 90), i);
      const kind = r();
      if (kind < 0.6) parts.push(epb(le, { ifId: Math.floor(r() * 2), units: 1_700_000_000_000_000_000n + BigInt(i), data }));
      else if (kind < 0.75) parts.push(spb(le, Math.floor(r() * 100), data));
      else if (kind < 0.85) parts.push(pb(le, { ifId: 0, units: BigInt(i) * 1000n, data }));
      else if (kind < 0.93) parts.push(nrb(le));
      else parts.push(isb(le, 0, 5n, endOfOptions(le)));
    }
  }
  return bytesOf(...parts);
}

const INTERESTING = [0, 1, 4, 7, 11, 12, 13, 16, 28, 32, 0x7fffffff, 0xffffffff, 16 * 1024 * 1024 + 4, 0x0a0d0d0a];

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const rounds = 1 + Math.floor(r() * 3);
  for (let k = 0; k < rounds; k++) {
    const op = Math.floor(r() * 6);
    if (op === 0) {
      const flips = 1 + Math.floor(r() * 8);
      for (let i = 0; i < flips && b.length > 0; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    } else if (op === 1) {
      b = b.subarray(0, Math.floor(r() * (b.length + 1)));
    } else if (op === 2 && b.length >= 4) {
      const at = r() < 0.7 ? Math.floor((r() * (b.length - 3)) / 4) * 4 : Math.floor(r() * (b.length - 3));
      const v = r() < 0.8 ? INTERESTING[Math.floor(r() * INTERESTING.length)] : Math.floor(r() * 4294967296);
      const le = r() < 0.5;
      for (let i = 0; i < 4; i++) b[at + i] = le ? (v >>> (8 * i)) & 0xff : (v >>> (24 - 8 * i)) & 0xff;
    } else if (op === 3) {
      const at = Math.floor(r() * (b.length + 1));
      const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      b = Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
    } else if (op === 4) {
      const at = Math.floor(r() * (b.length + 1));
      b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(r() * 40)))]);
    } else {
      // Splice the tail of the input onto itself at another offset.
      const from = Math.floor(r() * (b.length + 1));
      const to = Math.floor(r() * (b.length + 1));
      b = Buffer.concat([b.subarray(0, to), b.subarray(from)]);
    }
  }
  return b;
}

function makeInput(i: number, r: () => number): { bytes: Uint8Array; gzip: boolean } {
  const kind = r();
  let bytes: Uint8Array;
  if (kind < 0.05) {
    bytes = Uint8Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256));
  } else if (kind < 0.15) {
    // A valid magic followed by random bytes.
    const head = r() < 0.5 ? bytesOf(pcapFileHeader({ le: r() < 0.5 })) : bytesOf(shb(r() < 0.5));
    const tail = Uint8Array.from({ length: Math.floor(r() * 600) }, () => Math.floor(r() * 256));
    bytes = Buffer.concat([head, tail]);
  } else {
    bytes = mutate(i % 2 === 0 ? randomPcap(r) : randomPcapng(r), r);
  }
  const gzip = r() < 0.05;
  if (gzip) {
    bytes = gzipSync(bytes);
    if (r() < 0.5) bytes = mutate(bytes, r);
  }
  return { bytes, gzip };
}

/** Folds every frame field and the frame's bytes into one number, and checks the view is inside its buffer. */
class Digest implements FrameHandler {
  frames = 0;
  hash = 0;

  onFrame(f: Frame): void {
    assert.ok(f.offset >= 0 && f.offset + f.caplen <= f.buf.length, 'frame view inside its buffer');
    this.frames++;
    let h = this.hash;
    for (const v of [f.caplen, f.origLen, f.tsSec, f.tsNsec, f.linkType, f.interfaceId, f.streamOffset]) {
      h = (Math.imul(h, 31) + (v | 0)) | 0;
    }
    for (let i = 0; i < f.caplen; i++) h = (Math.imul(h, 31) + f.buf[f.offset + i]) | 0;
    this.hash = h;
  }
}

interface Outcome {
  error?: string;
  result?: CaptureResult;
  frames: number;
  hash: number;
  anomalies: Record<string, number>;
  ms: number;
}

async function outcome(read: (h: Digest, a: AnomalyCounter) => Promise<CaptureResult>): Promise<Outcome> {
  const h = new Digest();
  const a = new AnomalyCounter();
  const t0 = performance.now();
  try {
    const result = await read(h, a);
    return { result, frames: h.frames, hash: h.hash, anomalies: a.toJSON(), ms: performance.now() - t0 };
  } catch (err) {
    assert.ok(err instanceof CaptureError, `only CaptureError may escape: ${String(err)}`);
    assert.ok(['capture.not_a_capture', 'capture.empty'].includes(err.code), err.code);
    assert.equal(h.frames, 0, 'no frame before a CaptureError');
    return { error: err.code, frames: 0, hash: 0, anomalies: a.toJSON(), ms: performance.now() - t0 };
  }
}

const KNOWN_CODES = new Set(
  [CAPTURE_ANOMALIES, PCAP_ANOMALIES, PCAPNG_ANOMALIES].flatMap((c) => c.definitions.map((d) => d.code)),
);

test(`fuzz: ${INPUTS} random and mutated inputs through readCaptureFile and readCaptureStream`, { timeout: 300_000 }, async () => {
  const r = rng(0x1a2b3c4d);
  let framesSeen = 0;
  let errors = 0;
  let maxMs = 0;
  const seen = new AnomalyCounter();
  for (let i = 0; i < INPUTS; i++) {
    const { bytes, gzip } = makeInput(i, r);
    const path = join(dir, `input-${i}`);
    writeFileSync(path, bytes);
    const viaFile = await outcome((h, a) => readCaptureFile(path, h, a));
    const chunks: Buffer[] = [];
    for (let o = 0; o < bytes.length; ) {
      const n = 1 + Math.floor(r() * (r() < 0.3 ? 4 : 200));
      chunks.push(Buffer.from(bytes.subarray(o, o + n)));
      o += n;
    }
    const viaStream = await outcome((h, a) => readCaptureStream(Readable.from(chunks), h, a));
    const what = `input ${i} (${bytes.length} bytes${gzip ? ', gzip' : ''})`;
    maxMs = Math.max(maxMs, viaFile.ms, viaStream.ms);
    assert.ok(viaFile.ms < MAX_MS_PER_INPUT && viaStream.ms < MAX_MS_PER_INPUT, `${what} took too long`);
    for (const o of [viaFile, viaStream]) {
      for (const code of Object.keys(o.anomalies)) assert.ok(KNOWN_CODES.has(code), `${what}: undeclared ${code}`);
      if (o.result) {
        assert.equal(o.result.frames, o.frames, what);
        // No record is shorter than 16 bytes (pcap record header, pcapng SPB); decompression can multiply bytes.
        if (!gzip) assert.ok(o.frames <= Math.floor(bytes.length / 16), `${what}: ${o.frames} frames is implausible`);
      }
    }
    if (!gzip) {
      // Chunking must not change anything (gzip errors may surface at chunk-dependent points, so gzip is exempt).
      assert.equal(viaStream.error, viaFile.error, what);
      assert.equal(viaStream.frames, viaFile.frames, what);
      assert.equal(viaStream.hash, viaFile.hash, what);
      assert.deepEqual(viaStream.anomalies, viaFile.anomalies, what);
      assert.deepEqual(viaStream.result, viaFile.result, what);
    }
    for (const [code, n] of Object.entries(viaFile.anomalies)) seen.add(code, n);
    framesSeen += viaFile.frames;
    if (viaFile.error) errors++;
  }
  console.log(`fuzz: ${INPUTS} inputs, ${framesSeen} frames, ${errors} refused as not captures, slowest ${maxMs.toFixed(1)} ms`);
  console.log(`fuzz anomalies: ${JSON.stringify(seen.toJSON())}`);
});
