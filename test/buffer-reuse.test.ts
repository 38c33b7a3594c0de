// Regression: bytes a stage keeps beyond the frame (an out-of-order TCP segment) must be copies. The readers reuse
// their buffer; a Node Buffer's slice() is a view, so a kept "copy" was silently overwritten by later reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { PcapngWriter } from '../src/capture/write-pcapng.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { ProtocolRegistry } from '../src/protocols/registry.js';
import type { ProtocolModule } from '../src/protocols/protocol.js';

function tcpFrame(sport: number, dport: number, seq: number, flags: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(54 + payload.length);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]); // Ethernet: dst, src, IPv4
  const total = 40 + payload.length;
  f.set([0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14); // IPv4
  f.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, seq >>> 24, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0], 34); // TCP
  f.set(payload, 54);
  return f;
}

test('an out-of-order segment kept across many reads is delivered intact', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'lantern-reuse-')), 'reuse.pcapng');
  const w = new PcapngWriter(path);
  const ifId = w.addInterface(1, 65535, false);
  let usec = 0;
  const put = (frame: Uint8Array) => w.writePacket(ifId, 1_700_000_000, (usec += 10) * 1000, frame, 0, frame.length, frame.length);
  const text = (s: string) => new TextEncoder().encode(s);
  put(tcpFrame(40000, 7777, 1000, 0x02, new Uint8Array(0))); // SYN
  put(tcpFrame(40000, 7777, 1001 + 6, 0x18, text('second'))); // ahead of a hole: buffered
  // 8 MB of another flow in between: the reader's 4 MB buffer is refilled twice over.
  const filler = new Uint8Array(1400).fill(0x55);
  for (let i = 0; i < 6000; i++) put(tcpFrame(50000, 9999, 5000 + i * 1400, 0x18, filler));
  put(tcpFrame(40000, 7777, 1001, 0x18, text('first:'))); // fills the hole
  w.close();

  const received: string[] = [];
  const recorder: ProtocolModule = {
    id: 'recorder',
    name: 'records what it is given',
    transports: ['tcp'],
    ports: [7777],
    anomalies: [],
    probe: () => 'match',
    createSession: () => ({
      onData: (_dir, data) => void received.push(new TextDecoder().decode(data)),
      onGap: () => {},
      onEnd: () => {},
    }),
  };
  const pipeline = new Pipeline({ registry: new ProtocolRegistry([recorder]) });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.equal(received.filter((s) => !/^U+$/.test(s)).join(''), 'first:second');
});
