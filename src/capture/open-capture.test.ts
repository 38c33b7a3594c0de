// Opening captures: format by magic, gzip, file and stream paths agree, truncation, abort, refused inputs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { AnomalyCounter } from '../common/anomaly.js';
import {
  Collector,
  bytesOf,
  epb,
  idb,
  payload,
  pcapFileHeader,
  pcapRecord,
  shb,
  PCAP_MAGIC_MODIFIED,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
} from './fixtures.js';
import type { Frame, FrameHandler } from './frame.js';
import { CaptureError, readCaptureFile, readCaptureStream, type CaptureResult, type ReadOptions } from './open-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'lantern-capture-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(bytes: Uint8Array): string {
  const path = join(dir, `capture-${fileNo++}.bin`); // the name says nothing: format comes from the magic
  writeFileSync(path, bytes);
  return path;
}

async function fromFile(path: string, opts?: ReadOptions): Promise<{ c: Collector; a: AnomalyCounter; res: CaptureResult }> {
  const c = new Collector();
  const a = new AnomalyCounter();
  const res = await readCaptureFile(path, c, a, opts);
  return { c, a, res };
}

function pieces(bytes: Uint8Array, size: number | (() => number)): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = Math.max(1, typeof size === 'number' ? size : size());
    chunks.push(Buffer.from(bytes.subarray(i, i + n)));
    i += n;
  }
  return Readable.from(chunks);
}

async function fromStream(stream: NodeJS.ReadableStream): Promise<{ c: Collector; a: AnomalyCounter; res: CaptureResult }> {
  const c = new Collector();
  const a = new AnomalyCounter();
  const res = await readCaptureStream(stream, c, a);
  return { c, a, res };
}

function samplePcap(le: boolean, magic: number): Uint8Array {
  const modified = magic === PCAP_MAGIC_MODIFIED;
  return bytesOf(
    pcapFileHeader({ le, magic, linkType: 1 }),
    pcapRecord({ le, modified, sec: 1_700_000_000, frac: 1, data: payload(60, 1) }),
    pcapRecord({ le, modified, sec: 1_700_000_001, frac: 2, data: payload(61, 2) }),
    pcapRecord({ le, modified, sec: 1_700_000_002, frac: 3, data: payload(62, 3) }),
  );
}

function samplePcapng(le: boolean): Uint8Array {
  return bytesOf(
    shb(le),
    idb(le, 1, 0),
    idb(le, 101, 0),
    epb(le, { ifId: 0, units: 1_700_000_000_000_001n, data: payload(60, 1) }),
    epb(le, { ifId: 1, units: 1_700_000_001_000_002n, data: payload(61, 2) }),
    shb(!le),
    idb(!le, 113, 0),
    epb(!le, { ifId: 0, units: 1_700_000_002_000_003n, data: payload(62, 3) }),
  );
}

const samples: [string, Uint8Array, 'pcap' | 'pcapng', number[]][] = [];
for (const le of [true, false]) {
  const order = le ? 'LE' : 'BE';
  samples.push([`pcap µs ${order}`, samplePcap(le, PCAP_MAGIC_US), 'pcap', [1]]);
  samples.push([`pcap ns ${order}`, samplePcap(le, PCAP_MAGIC_NS), 'pcap', [1]]);
  samples.push([`pcap modified ${order}`, samplePcap(le, PCAP_MAGIC_MODIFIED), 'pcap', [1]]);
  samples.push([`pcapng ${order}`, samplePcapng(le), 'pcapng', [1, 101, 113]]);
}

for (const [name, bytes, format, linkTypes] of samples) {
  test(`${name}: file, gzip file, 1-byte stream and gzip stream give the same frames`, async () => {
    const plain = await fromFile(file(bytes));
    assert.equal(plain.res.format, format);
    assert.equal(plain.res.compressed, false);
    assert.equal(plain.res.frames, 3);
    assert.equal(plain.res.fileBytes, bytes.length);
    assert.equal(plain.res.truncated, false);
    assert.deepEqual(plain.res.linkTypes, linkTypes);
    assert.equal(plain.a.total, 0);
    assert.deepEqual(
      plain.c.frames.map((f) => [f.tsSec, f.caplen]),
      [
        [1_700_000_000, 60],
        [1_700_000_001, 61],
        [1_700_000_002, 62],
      ],
    );

    const gz = gzipSync(bytes);
    const zipped = await fromFile(file(gz));
    assert.equal(zipped.res.compressed, true);
    assert.equal(zipped.res.format, format);
    assert.equal(zipped.res.fileBytes, gz.length);
    assert.deepEqual(zipped.c.frames, plain.c.frames);

    const oneByte = await fromStream(pieces(bytes, 1));
    assert.deepEqual(oneByte.c.frames, plain.c.frames);
    assert.deepEqual(oneByte.res, plain.res);

    const zippedStream = await fromStream(pieces(gz, 1));
    assert.deepEqual(zippedStream.c.frames, plain.c.frames);
    assert.deepEqual(zippedStream.res, zipped.res);
  });
}

test('a file larger than several read chunks: records across chunk boundaries, progress, same frames as a stream', async () => {
  // ~10 MB of records of varied sizes, so records straddle the 4 MiB read chunks at odd offsets.
  const parts: Uint8Array[] = [bytesOf(pcapFileHeader({ snapLen: 262144 }))];
  let total = parts[0].length;
  let frames = 0;
  for (let i = 0; total < 10_000_000; i++) {
    // Bulk records are written with Buffer calls (hex text for 10 MB would be slow); the layout is pcapRecord's.
    const n = 40 + ((i * 7919) % 3000);
    const record = Buffer.alloc(16 + n, i & 0xff);
    record.writeUInt32LE(1000 + (i >> 10), 0); // ts_sec
    record.writeUInt32LE(i % 1_000_000, 4); // ts_usec
    record.writeUInt32LE(n, 8); // caplen
    record.writeUInt32LE(n, 12); // origlen
    parts.push(record);
    total += record.length;
    frames++;
  }
  const bytes = Buffer.concat(parts);
  const path = file(bytes);
  const progress: number[] = [];
  const fileFrames = new FrameLog();
  const viaFile = await readCaptureFile(path, fileFrames, new AnomalyCounter(), { onProgress: (n) => progress.push(n) });
  assert.equal(viaFile.frames, frames);
  assert.equal(fileFrames.bad, 0, 'every frame holds its own fill byte');
  assert.ok(progress.length >= 3, 'progress after every chunk');
  assert.equal(progress.at(-1), bytes.length);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i] > progress[i - 1]);
  let seed = 1;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return 1 + (seed % 200_000);
  };
  const streamFrames = new FrameLog();
  const viaStream = await readCaptureStream(pieces(bytes, random), streamFrames, new AnomalyCounter());
  assert.deepEqual(viaStream, viaFile);
  assert.deepEqual(streamFrames.log, fileFrames.log);
});

/** Records each frame's fields (not its bytes: too many to keep as hex) and checks its bytes are its fill byte. */
class FrameLog implements FrameHandler {
  readonly log: number[] = [];
  bad = 0;

  onFrame(f: Frame): void {
    this.log.push(f.caplen, f.origLen, f.tsSec, f.tsNsec, f.streamOffset);
    const fillByte = (this.log.length / 5 - 1) & 0xff;
    if (f.buf[f.offset] !== fillByte || f.buf[f.offset + f.caplen - 1] !== fillByte) this.bad++;
  }
}

test('abort: a signal aborted during the read stops it between chunks with aborted = true', async () => {
  const record = bytesOf(pcapRecord({ sec: 1, frac: 0, data: payload(1000) }));
  const parts: Uint8Array[] = [bytesOf(pcapFileHeader()), ...Array<Uint8Array>(12_000).fill(record)];
  const path = file(Buffer.concat(parts));
  const controller = new AbortController();
  const res = await readCaptureFile(path, { onFrame: () => {} }, new AnomalyCounter(), {
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  assert.equal(res.aborted, true);
  assert.equal(res.truncated, false);
  assert.ok(res.frames > 0 && res.frames < 12_000, `frames ${res.frames}`);

  const before = new AbortController();
  before.abort();
  await assert.rejects(
    readCaptureStream(pieces(Buffer.concat(parts), 65536), new Collector(), new AnomalyCounter(), { signal: before.signal }),
    (err: unknown) => err instanceof CaptureError && err.code === 'capture.aborted',
  );
});

test('truncated files return every complete frame and truncated = true, plain or gzip', async () => {
  for (const bytes of [samplePcap(true, PCAP_MAGIC_US), samplePcapng(false)]) {
    const cut = bytes.subarray(0, bytes.length - 10);
    const r = await fromFile(file(cut));
    assert.equal(r.res.frames, 2);
    assert.equal(r.res.truncated, true);
    assert.equal(r.a.get('capture.truncated'), 1);

    const s = await fromStream(pieces(cut, 3));
    assert.deepEqual(s.res, r.res);

    const gz = await fromFile(file(gzipSync(cut)));
    assert.equal(gz.res.frames, 2);
    assert.equal(gz.res.truncated, true);
  }
});

test('a gzip file cut short: what decompresses is read, then truncated with capture.gzip_truncated', async () => {
  const parts: Uint8Array[] = [bytesOf(pcapFileHeader())];
  for (let i = 0; i < 2000; i++) parts.push(bytesOf(pcapRecord({ sec: 1, frac: i, data: payload(200, i) })));
  const gz = gzipSync(Buffer.concat(parts));
  const r = await fromFile(file(gz.subarray(0, gz.length >> 1)));
  assert.equal(r.res.compressed, true);
  assert.equal(r.res.truncated, true);
  assert.equal(r.a.get('capture.gzip_truncated'), 1);
  assert.ok(r.res.frames > 0 && r.res.frames < 2000);
});

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CaptureError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

test('inputs that are not captures are refused before any frame, with one-line messages', async () => {
  const c = new Collector();
  const a = new AnomalyCounter();
  await rejectsWith(readCaptureFile(join(dir, 'missing.pcap'), c, a), 'capture.not_found', /no such file/);
  await rejectsWith(readCaptureFile(dir, c, a), 'capture.is_directory', /is a directory/);
  await rejectsWith(readCaptureFile(file(new Uint8Array(0)), c, a), 'capture.empty', /is empty/);
  await rejectsWith(
    readCaptureFile(file(Buffer.from('<!DOCTYPE html>\n<html></html>\n')), c, a),
    'capture.not_a_capture',
    /not a pcap, pcapng or gzip file \(it starts with 3c 21 44 4f\)/,
  );
  await rejectsWith(readCaptureFile(file(Uint8Array.of(0xd4, 0xc3, 0xb2)), c, a), 'capture.not_a_capture', /only 3 bytes/);
  await rejectsWith(readCaptureFile(file(gzipSync(Buffer.from('hello world'))), c, a), 'capture.not_a_capture', /decompressed/);
  await rejectsWith(readCaptureFile(file(gzipSync(Buffer.alloc(0))), c, a), 'capture.empty', /gzip data is empty/);
  await rejectsWith(readCaptureFile(file(Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8)), c, a), 'capture.not_a_capture', /gzip/);
  await rejectsWith(readCaptureStream(Readable.from([]), c, a), 'capture.empty', /input is empty/);
  await rejectsWith(readCaptureStream(pieces(Buffer.from('hello'), 1), c, a), 'capture.not_a_capture', /input is not/);
  assert.equal(c.frames.length, 0);
  assert.equal(a.total, 0);
});

test('a handler that throws rejects the read (it is a bug, not bad input) from both paths', async () => {
  const bytes = samplePcap(true, PCAP_MAGIC_US);
  const boom = { onFrame: () => { throw new Error('handler bug'); } };
  await assert.rejects(readCaptureFile(file(bytes), boom, new AnomalyCounter()), /handler bug/);
  await assert.rejects(readCaptureStream(pieces(bytes, 7), boom, new AnomalyCounter()), /handler bug/);
});
