import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../common/anomaly.js';
import { FlowCounters } from './flow-counters.js';
import { ReassemblyEnv, TcpStream, type StreamSink } from './tcp-reassembly.js';
import { ACK, FIN, SYN, bytes, prng, text } from './testkit.js';

type Event = string; // 'abc' for data, '<gap 3>' for a gap

class Recorder implements StreamSink<null> {
  events: Event[] = [];
  streamData(_s: TcpStream<null>, buf: Uint8Array, off: number, end: number): void {
    this.events.push(text(buf.subarray(off, end)));
  }
  streamGap(_s: TcpStream<null>, n: number): void {
    this.events.push(`<gap ${n}>`);
  }
  get stream(): string {
    return this.events.join('');
  }
}

function setup(caps: { perDir?: number; segs?: number; total?: number } = {}) {
  const sink = new Recorder();
  const counters = new FlowCounters();
  const anomalies = new AnomalyCounter();
  const env = new ReassemblyEnv<null>(sink, counters, anomalies, caps.perDir ?? 1 << 18, caps.segs ?? 1024, caps.total ?? 1 << 26);
  const s = new TcpStream<null>(null, 0);
  /** Sends a segment: payload text at sequence number seq (relative to isn + 1 when isn is given). */
  const isn = 1000;
  const syn = () => s.segment(env, isn, SYN, new Uint8Array(0), 0, 0, 0);
  const seg = (rel: number, data: string, flags: number = ACK) => {
    const b = new Uint8Array(8 + data.length);
    b.set(bytes(data), 8); // payload behind some header bytes: offsets must be honoured
    s.segment(env, (isn + 1 + rel) >>> 0, flags, b, 8, 8 + data.length, 0);
  };
  const ack = (rel: number) => s.peerAcked(env, (isn + 1 + rel) >>> 0, 0);
  return { sink, counters, anomalies, env, s, syn, seg, ack };
}

test('in-order segments are delivered as they come', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'hello ');
  t.seg(6, 'world');
  assert.deepEqual(t.sink.events, ['hello ', 'world']);
  assert.equal(t.counters.outOfOrder, 0);
});

test('in-order data is a view of the packet buffer, not a copy', () => {
  const t = setup();
  t.syn();
  const b = bytes('xxABCD');
  let seen: Uint8Array | null = null;
  const env = new ReassemblyEnv<null>(
    {
      streamData: (_s, buf, off, end) => {
        seen = buf.subarray(off, end);
        assert.equal(buf, b);
      },
      streamGap: () => {},
    },
    t.counters,
    t.anomalies,
    1 << 16,
    64,
    1 << 20,
  );
  t.s.segment(env, 1001, ACK, b, 2, 6, 0);
  assert.equal(text(seen!), 'ABCD');
});

test('segments arriving 3 2 1 are delivered in order', () => {
  const t = setup();
  t.syn();
  t.seg(6, 'ccc');
  t.seg(3, 'bbb');
  assert.deepEqual(t.sink.events, []);
  t.seg(0, 'aaa');
  assert.equal(t.sink.stream, 'aaabbbccc');
  assert.equal(t.counters.outOfOrder, 2);
  assert.equal(t.s.pendingBytes, 0);
  assert.equal(t.env.bufferedTotal, 0);
});

test('duplicates are dropped and counted as retransmissions', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'abc');
  t.seg(0, 'abc');
  t.seg(6, 'ghi');
  t.seg(6, 'ghi'); // duplicate of buffered data
  t.seg(3, 'def');
  assert.equal(t.sink.stream, 'abcdefghi');
  assert.equal(t.counters.retransmissions, 2);
  assert.equal(t.anomalies.total, 0);
});

test('keep-alives (one old byte at nextSeq - 1) are not retransmissions', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'abc');
  t.seg(2, 'c');
  assert.equal(t.counters.retransmissions, 0);
  assert.equal(t.sink.stream, 'abc');
});

test('retransmitted SYNs are ignored', () => {
  const t = setup();
  t.syn();
  t.syn();
  t.seg(0, 'abc');
  assert.equal(t.sink.stream, 'abc');
  assert.equal(t.anomalies.total, 0);
});

test('partial overlaps with the same bytes are trimmed', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'abcd');
  t.seg(2, 'cdef'); // overlaps delivered data
  t.seg(8, 'ijkl');
  t.seg(10, 'klmn'); // overlaps buffered data
  t.seg(6, 'ghij'); // fills the hole, overlaps the buffered segment
  assert.equal(t.sink.stream, 'abcdefghijklmn');
  assert.equal(t.counters.overlapMismatches, 0);
  assert.ok(t.counters.overlaps >= 3);
});

test('overlaps with different bytes are anomalies; buffered data wins over a later copy', () => {
  const t = setup();
  t.syn();
  t.seg(4, 'EFGH');
  t.seg(4, 'EFXH'); // same range, different byte
  t.seg(0, 'abcd');
  assert.equal(t.sink.stream, 'abcdEFGH');
  assert.equal(t.anomalies.get('tcp.overlap_mismatch'), 1);
  assert.equal(t.counters.overlapMismatches, 1);
});

test('an in-order segment that overtakes buffered data with different bytes is an anomaly', () => {
  const t = setup();
  t.syn();
  t.seg(2, 'cd');
  t.seg(0, 'abXd'); // in order, covers the buffered 'cd' with 'Xd'
  assert.equal(t.sink.stream, 'abXd');
  assert.equal(t.anomalies.get('tcp.overlap_mismatch'), 1);
});

test('an exact retransmission of delivered data with different bytes is an anomaly', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'read coil 1');
  t.seg(11, 'read coil 2');
  t.seg(0, 'read coil 1'); // same bytes: a plain retransmission
  assert.equal(t.anomalies.get('tcp.overlap_mismatch'), 0);
  t.seg(0, 'WRITE coil1'); // same seq and length, other bytes
  assert.equal(t.anomalies.get('tcp.overlap_mismatch'), 1);
  assert.equal(t.counters.retransmissions, 2);
  assert.equal(t.sink.stream, 'read coil 1read coil 2');
});

test('a gap proven by the peer ACK is reported with its size and the stream resumes', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'aaa');
  t.seg(6, 'ccc'); // 'bbb' lost by the capture
  t.ack(3); // acknowledges only what we have: no gap yet
  assert.deepEqual(t.sink.events, ['aaa']);
  t.ack(9); // the receiver got bytes we never saw
  assert.deepEqual(t.sink.events, ['aaa', '<gap 3>', 'ccc']);
  assert.equal(t.counters.gaps, 1);
  assert.equal(t.counters.gapBytes, 3);
  assert.equal(t.anomalies.get('tcp.gap'), 1);
  t.seg(9, 'ddd');
  assert.deepEqual(t.sink.events, ['aaa', '<gap 3>', 'ccc', 'ddd']);
  t.seg(3, 'bbb'); // too late: old data now
  assert.equal(t.counters.retransmissions, 1);
});

test('a segment arriving after the peer acknowledged past its start resolves the gap at once', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'aaa');
  t.ack(9);
  t.seg(6, 'ccc');
  assert.deepEqual(t.sink.events, ['aaa', '<gap 3>', 'ccc']);
});

test('a hole before the FIN is a gap once the peer acknowledges the FIN', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'aaa');
  t.seg(6, '', ACK | FIN); // FIN at rel 6: 'bbb' lost
  assert.equal(t.s.finished, false);
  t.ack(7);
  assert.deepEqual(t.sink.events, ['aaa', '<gap 3>']);
  assert.equal(t.s.finished, true);
});

test('flushPending reports each hole, then the data after it', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'a');
  t.seg(3, 'd');
  t.seg(6, 'g');
  t.s.flushPending(t.env, 0);
  assert.deepEqual(t.sink.events, ['a', '<gap 2>', 'd', '<gap 2>', 'g']);
  assert.equal(t.env.bufferedTotal, 0);
});

test('mid-stream pickup: the first segment sets the expected sequence number', () => {
  const t = setup();
  t.seg(500, 'xyz');
  t.seg(503, 'uvw');
  assert.equal(t.sink.stream, 'xyzuvw');
  assert.equal(t.counters.midstreamPickups, 1);
  assert.equal(t.s.synSeen, false);
});

test('sequence numbers wrap around 2^32', () => {
  const t = setup();
  const isn = 0xfffffffa;
  const send = (seq: number, data: string) => {
    const b = bytes(data);
    t.s.segment(t.env, seq >>> 0, ACK, b, 0, b.length, 0);
  };
  t.s.segment(t.env, isn, SYN, new Uint8Array(0), 0, 0, 0);
  send(isn + 1, 'abcd'); // 0xfffffffb .. 0xfffffffe
  send(isn + 9, 'ijkl'); // wraps: 0x00000003, buffered
  send(isn + 5, 'efgh'); // 0xffffffff .. 0x00000002: fills the hole across the wrap
  send(isn + 13, 'mnop');
  assert.equal(t.sink.stream, 'abcdefghijklmnop');
  send(isn + 5, 'efgh'); // old data across the wrap
  assert.equal(t.counters.retransmissions, 1);
  assert.equal(t.s.nextSeq, (isn + 17) | 0);
});

test('data beyond the FIN is dropped and counted', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'abc', ACK | FIN);
  t.seg(3, 'zzz');
  t.seg(2, 'cZZ'); // overlaps the last byte: the part beyond the FIN is cut
  assert.equal(t.sink.stream, 'abc');
  assert.equal(t.anomalies.get('tcp.data_after_fin'), 2);
  assert.equal(t.s.finished, true);
});

test('a SYN carrying data is kept and counted', () => {
  const t = setup();
  const b = bytes('early');
  t.s.segment(t.env, 77, SYN, b, 0, b.length, 0);
  assert.equal(t.sink.stream, 'early');
  assert.equal(t.anomalies.get('tcp.syn_with_data'), 1);
});

test('segments absurdly far from the expected sequence number are dropped', () => {
  const t = setup();
  t.syn();
  t.seg(0, 'ok');
  t.seg(0x50000000, 'far');
  assert.equal(t.sink.stream, 'ok');
  assert.equal(t.anomalies.get('tcp.bad_seq'), 1);
  assert.equal(t.s.pendingCount, 0);
});

test('the per-direction byte cap gives up the oldest hole', () => {
  const t = setup({ perDir: 8 });
  t.syn();
  t.seg(0, 'a');
  t.seg(2, 'cccc'); // hole at 1
  t.seg(7, 'hhhh'); // hole at 6; 8 bytes buffered
  assert.equal(t.s.pendingBytes, 8);
  t.seg(11, 'mm'); // over the cap: skip the first hole
  assert.deepEqual(t.sink.events, ['a', '<gap 1>', 'cccc']);
  assert.equal(t.anomalies.get('tcp.out_of_order_cap'), 1);
  assert.equal(t.counters.bufferCapHits, 1);
  assert.equal(t.s.pendingBytes, 6);
  t.seg(6, 'g');
  assert.deepEqual(t.sink.events, ['a', '<gap 1>', 'cccc', 'g', 'hhhh', 'mm']);
});

test('the per-direction segment cap and the table-wide cap bound buffering', () => {
  const t = setup({ segs: 2 });
  t.syn();
  t.seg(2, 'c');
  t.seg(4, 'e');
  t.seg(6, 'g'); // third segment: skip to the first buffered one
  assert.deepEqual(t.sink.events, ['<gap 2>', 'c']);
  assert.ok(t.s.pendingCount <= 2);

  const u = setup({ total: 4 });
  u.syn();
  u.seg(10, 'abcdef'); // larger than the whole table budget, nothing buffered: skip to it
  assert.deepEqual(u.sink.events, ['<gap 10>', 'abcdef']);
  assert.equal(u.anomalies.get('flow.buffer_cap'), 1);
  assert.equal(u.env.bufferedTotal, 0);
});

test('property: random segmentation, shuffling and duplicates deliver the original stream', () => {
  const rnd = prng(12345);
  for (let round = 0; round < 200; round++) {
    const t = setup();
    const length = 1 + Math.floor(rnd() * 3000);
    const original = new Uint8Array(length);
    for (let i = 0; i < length; i++) original[i] = Math.floor(rnd() * 256);
    // Segments [start, end), possibly overlapping, covering everything.
    const segs: [number, number][] = [];
    for (let at = 0; at < length; ) {
      const n = 1 + Math.floor(rnd() * 200);
      const back = segs.length > 0 && rnd() < 0.2 ? Math.floor(rnd() * Math.min(at, 50)) : 0;
      segs.push([at - back, Math.min(length, at + n)]);
      at = Math.min(length, at + n);
    }
    const dups = Math.floor(rnd() * segs.length);
    for (let i = 0; i < dups; i++) segs.push(segs[Math.floor(rnd() * segs.length)]);
    for (let i = segs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [segs[i], segs[j]] = [segs[j], segs[i]];
    }
    const isn = Math.floor(rnd() * 4294967296); // wraps in some rounds
    const got: number[] = [];
    const env = new ReassemblyEnv<null>(
      {
        streamData: (_s, buf, off, end) => {
          for (let i = off; i < end; i++) got.push(buf[i]);
        },
        streamGap: () => assert.fail('no gap expected'),
      },
      t.counters,
      t.anomalies,
      1 << 20,
      1 << 16,
      1 << 26,
    );
    t.s.segment(env, isn, SYN, new Uint8Array(0), 0, 0, 0);
    for (const [a, b] of segs) t.s.segment(env, (isn + 1 + a) >>> 0, ACK, original, a, b, 0);
    assert.deepEqual(Uint8Array.from(got), original, `round ${round}`);
    assert.equal(t.anomalies.get('tcp.overlap_mismatch'), 0);
    assert.equal(env.bufferedTotal, 0);
  }
});

test('bytes cut by the snap length are a gap right after the captured part', () => {
  const t = setup();
  t.syn();
  const b = bytes('abcdef');
  t.s.segment(t.env, 1001, ACK, b, 0, 3, 0, 3); // 'abc' captured, 3 more bytes on the wire
  t.seg(6, 'ghi');
  assert.deepEqual(t.sink.events, ['abc', '<gap 3>', 'ghi']);
  assert.equal(t.counters.outOfOrder, 0);
  t.s.segment(t.env, 1010, ACK, new Uint8Array(0), 0, 0, 0, 4); // nothing captured, 4 bytes on the wire
  assert.deepEqual(t.sink.events.slice(3), ['<gap 4>']);

  const u = setup();
  u.syn();
  u.seg(0, 'abc');
  u.s.segment(u.env, 1001, ACK, bytes('abc'), 0, 3, 0, 3); // a cut retransmission: the bytes after it may still come
  u.seg(3, 'def');
  assert.deepEqual(u.sink.events, ['abc', 'def']);
});
