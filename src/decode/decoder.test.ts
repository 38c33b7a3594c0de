import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hex } from '../common/hex.js';
import { AnomalyCounter } from '../common/anomaly.js';
import { LINKTYPE } from '../common/link-types.js';
import { newFrame } from '../capture/frame.js';
import { IPPROTO, L3, Packet } from './packet.js';
import { Decoder } from './decoder.js';
import { ipv6String } from '../common/ip.js';
import { DECODE_ANOMALIES } from './anomalies.js';
import { DECLARED_CODES, Harness, undeclared } from './testkit.js';
import { readCaptureFile } from '../capture/open-capture.js';
import { prng } from '../common/prng.js';
import { CORPUS_SKIP_REASON, readManifest, REPO_ROOT } from '../common/corpus.js';
import { SAMPLE_FRAMES } from './samples.js';

test('decode fills the frame-level fields from a frame inside a larger buffer, and resets between frames', () => {
  const tcp = SAMPLE_FRAMES[0].bytes;
  const buf = new Uint8Array(tcp.length + 10);
  buf.set(tcp, 7);
  const frame = { ...newFrame(), buf, offset: 7, caplen: tcp.length, origLen: 1514, tsSec: 1700000000, tsNsec: 250_000_000, linkType: 1 };
  const anomalies = new AnomalyCounter();
  const decoder = new Decoder(anomalies);
  const pkt = new Packet();
  decoder.decode(frame, pkt);
  assert.equal(pkt.tsSec, 1700000000);
  assert.equal(pkt.tsNsec, 250_000_000);
  assert.equal(pkt.ts, 1700000000.25);
  assert.equal(pkt.linkType, 1);
  assert.equal(pkt.caplen, tcp.length);
  assert.equal(pkt.wireLen, 1514);
  assert.equal(pkt.buf, buf);
  assert.equal(pkt.frameOff, 7);
  assert.equal(pkt.frameEnd, 7 + tcp.length);
  assert.equal(pkt.srcMacOff, 13);
  assert.equal(pkt.l4Off, 7 + 34);
  assert.equal(pkt.l4, IPPROTO.TCP);

  const arp = SAMPLE_FRAMES.find((s) => s.name === 'ethernet/arp')!.bytes;
  decoder.decode({ ...frame, buf: arp, offset: 0, caplen: arp.length, origLen: arp.length }, pkt);
  assert.equal(pkt.l3, L3.ARP);
  assert.equal(pkt.l4, 0);
  assert.equal(pkt.srcPort, 0);
  assert.equal(pkt.payloadEnd, 0);
  assert.deepEqual(anomalies.toJSON(), {});
});

test('a frame record larger than its buffer is clipped, not trusted', () => {
  const h = new Harness();
  const bytes = SAMPLE_FRAMES[0].bytes;
  const frame = { ...newFrame(), buf: bytes, offset: 10, caplen: 5000, origLen: 5000, linkType: 1 };
  h.decoder.decode(frame, h.pkt);
  assert.equal(h.pkt.frameEnd, bytes.length);
  assert.equal(h.raised['link.bad_caplen'], 1);
  h.decoder.decode({ ...frame, offset: -3, caplen: -1 }, h.pkt);
  assert.equal(h.raised['link.bad_caplen'], 2);
});

test('counters serialise with names', () => {
  const h = new Harness();
  for (const s of SAMPLE_FRAMES) h.decode(s.bytes, { linkType: s.linkType });
  h.decode(hex`00 00`, { linkType: 147 });
  const json = h.decoder.counters.toJSON() as Record<string, unknown>;
  assert.equal(json.frames, SAMPLE_FRAMES.length + 1);
  assert.deepEqual(json.unsupportedLink, { user0: 1 });
  assert.equal((json.linkTypes as Record<string, number>).ethernet, SAMPLE_FRAMES.filter((s) => s.linkType === 1).length);
  assert.equal(json.fragments, 2);
  assert.ok((json.tcp as number) > 5);
  assert.ok('goose' in (json.l2 as object));
  assert.deepEqual(JSON.parse(JSON.stringify(h.decoder.counters)), json);
});

test('IPv6 text form follows RFC 5952', () => {
  const v6 = (s: string) => ipv6String(hex`${s}`, 0);
  assert.equal(v6('00000000000000000000000000000000'), '::');
  assert.equal(v6('00000000000000000000000000000001'), '::1');
  assert.equal(v6('20010db8000000000001000000000001'), '2001:db8::1:0:0:1');
  assert.equal(v6('20010db8000000010001000100010001'), '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
  assert.equal(v6('20010db8000000000000000100000000'), '2001:db8::1:0:0');
  assert.equal(v6('fe800000000000000000000000000000'), 'fe80::');
  assert.equal(v6('00000000000000000000ffffc0a80101'), '::ffff:192.168.1.1');
  assert.equal(v6('20010DB8AAAA0BBB0CCC0DDD0EEE0FFF'.toLowerCase()), '2001:db8:aaaa:bbb:ccc:ddd:eee:fff');
});

test('the catalogues declare each code once', () => {
  const codes = DECODE_ANOMALIES.map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const d of DECODE_ANOMALIES) assert.match(d.code, /^[a-z0-9]+\.[a-z0-9_]+$/);
});

/** Structural promises every decoded packet keeps, whatever the input. */
function assertInvariants(pkt: Packet, where: string): void {
  const ok =
    pkt.frameOff <= pkt.frameEnd &&
    pkt.frameEnd <= pkt.buf.length &&
    pkt.l2PayloadOff <= pkt.l2PayloadEnd + (pkt.l2PayloadEnd === 0 ? pkt.l2PayloadOff : 0) &&
    pkt.l2PayloadEnd <= pkt.frameEnd &&
    pkt.payloadOff <= pkt.payloadEnd &&
    pkt.payloadEnd <= pkt.l4Buf.length &&
    (pkt.l4 === 0 || (pkt.l4Off >= 0 && pkt.l4Off <= pkt.payloadOff)) &&
    (pkt.srcMacOff < 0 || pkt.srcMacOff + 6 <= pkt.frameEnd) &&
    (pkt.dstMacOff < 0 || pkt.dstMacOff + 6 <= pkt.frameEnd) &&
    (pkt.l3 !== L3.IPV6 || pkt.dst6Off + 16 <= pkt.frameEnd) &&
    (pkt.arpTargetMacOff < 0 || pkt.arpTargetMacOff + 10 <= pkt.frameEnd) &&
    !(pkt.fragment && pkt.l4 !== 0) &&
    !(pkt.reassembled && pkt.fragment) &&
    pkt.seq >= 0 &&
    pkt.ack >= 0 &&
    pkt.src4 >= 0 &&
    (pkt.l4 === 0 || pkt.payloadWireLength >= pkt.payloadLength || pkt.payloadWireLength < 0);
  assert.ok(ok, `invariants broken: ${where}`);
}

test('every prefix of every sample frame decodes without throwing, as a short frame and as a snapped one', () => {
  for (const s of SAMPLE_FRAMES) {
    for (const snapped of [false, true]) {
      const h = new Harness();
      for (let n = 0; n <= s.bytes.length; n++) {
        const pkt = h.decode(s.bytes.subarray(0, n), { linkType: s.linkType, origLen: snapped ? s.bytes.length : n });
        assertInvariants(pkt, `${s.name} prefix ${n}`);
      }
      assert.deepEqual(undeclared(h.anomalies), [], s.name);
      if (!snapped) assert.ok(h.anomalies.total > 0, `${s.name}: short prefixes raise anomalies`);
    }
  }
});

test('a whole sample frame raises nothing; a snapped one is a payload cut or a truncated header', () => {
  for (const s of SAMPLE_FRAMES) {
    const h = new Harness();
    h.decode(s.bytes, { linkType: s.linkType });
    assert.deepEqual(h.raised, {}, s.name);
    for (let n = 0; n < s.bytes.length; n++) {
      const one = new Harness();
      const pkt = one.decode(s.bytes.subarray(0, n), { linkType: s.linkType, origLen: s.bytes.length });
      const truncated = Object.keys(one.raised).filter((c) => c.endsWith('.truncated'));
      assert.ok(pkt.payloadCut !== truncated.length > 0, `${s.name} cut at ${n}: payloadCut ${pkt.payloadCut}, ${truncated}`);
    }
  }
});

/** A reproducible stream of pseudo-random uint32 values. */
function rng(seed: number): () => number {
  const next = prng(seed);
  return () => Math.floor(next() * 4294967296);
}

const LINK_TYPES = [LINKTYPE.NULL, LINKTYPE.ETHERNET, LINKTYPE.RAW, LINKTYPE.LOOP, LINKTYPE.LINUX_SLL, LINKTYPE.IPV4, LINKTYPE.IPV6, LINKTYPE.LINUX_SLL2, 7, 65535];

test('fuzz: random and mutated frames of every link type never throw and raise only declared codes', () => {
  const next = rng(0x1a2b3c4d);
  const h = new Harness({ maxFragmentDatagrams: 64, maxFragmentBytes: 64 * 1024, fragmentTimeoutSec: 2 });
  let ts = 1_700_000_000;
  const decodeFuzzed = (bytes: Uint8Array, linkType: number, where: string) => {
    const origLen = next() % 4 === 0 ? bytes.length + (next() % 100) : bytes.length;
    ts += next() % 3 === 0 ? 1 : 0;
    const pkt = h.decode(bytes, { linkType, origLen, tsSec: ts });
    assertInvariants(pkt, where);
    if (next() % 50 === 0) h.decoder.expire(ts);
  };
  for (let i = 0; i < 20_000; i++) {
    const bytes = new Uint8Array(next() % 160);
    for (let j = 0; j < bytes.length; j++) bytes[j] = next() & 0xff;
    decodeFuzzed(bytes, LINK_TYPES[next() % LINK_TYPES.length], `random ${i}`);
  }
  for (let i = 0; i < 40_000; i++) {
    const s = SAMPLE_FRAMES[next() % SAMPLE_FRAMES.length];
    let bytes = s.bytes.slice();
    const mutations = 1 + (next() % 4);
    for (let m = 0; m < mutations; m++) {
      const kind = next() % 6;
      const at = next() % Math.max(1, bytes.length);
      if (kind <= 2) bytes[at] = next() & 0xff; // overwrite a byte
      else if (kind === 3) bytes[at] ^= 1 << (next() % 8); // flip a bit
      else if (kind === 4) bytes = bytes.slice(0, at); // truncate
      else {
        // duplicate a slice (stacks tags, headers, options)
        const len = next() % 24;
        const grown = new Uint8Array(bytes.length + len);
        grown.set(bytes.subarray(0, at), 0);
        grown.set(bytes.subarray(at, at + len), at);
        grown.set(bytes.subarray(at), at + Math.min(len, bytes.length - at));
        bytes = grown;
      }
    }
    decodeFuzzed(bytes, next() % 20 === 0 ? LINK_TYPES[next() % LINK_TYPES.length] : s.linkType, `mutated ${s.name} ${i}`);
  }
  assert.deepEqual(undeclared(h.anomalies), []);
  const raised = Object.keys(h.raised);
  assert.ok(raised.length > 30, `the fuzz reaches many anomaly codes (${raised.length}): ${raised.join(' ')}`);
  assert.ok(h.decoder.counters.fragments > 100);
});

// The shared corpus of real ICS captures, when present: every frame decodes, only declared codes are raised.
test('real captures of the ICS corpus decode without undeclared anomalies', { skip: CORPUS_SKIP_REASON }, async () => {
  const h = new Harness();
  let frames = 0;
  for (const { absPath: file } of readManifest()) {
    await readCaptureFile(
      file,
      {
        onFrame(frame) {
          h.decoder.decode(frame, h.pkt);
          assertInvariants(h.pkt, file);
          frames++;
        },
      },
      new AnomalyCounter(),
    );
  }
  assert.deepEqual(undeclared(h.anomalies), []);
  assert.ok(frames > 100_000, `frames read: ${frames}`);
  const c = h.decoder.counters;
  assert.ok(c.tcp > 0 && c.udp > 0 && c.ipv6 > 0 && c.vlanTagged > 0 && c.loopback > 0);
  if (process.env.DECODE_CORPUS_REPORT) console.log(JSON.stringify({ counters: c, anomalies: h.raised }, null, 1));
});

test('DECLARED_CODES covers the catalogues', () => {
  assert.equal(DECLARED_CODES.size, DECODE_ANOMALIES.length);
});

test('the project loopback capture: kernel-made IPv4 and IPv6 fragments reassemble into the datagrams sent', async () => {
  const path = join(REPO_ROOT, 'test/testdata/loopback.pcap');
  const h = new Harness();
  const reassembled: Array<[number, number, number, boolean]> = [];
  let n = 0;
  await readCaptureFile(path, { onFrame(frame) {
    n++;
    h.decoder.decode(frame, h.pkt);
    const p = h.pkt;
    if (p.reassembled) {
      let all0x42 = true;
      for (let i = p.payloadOff; i < p.payloadEnd; i++) if (p.l4Buf[i] !== 0x42) all0x42 = false;
      reassembled.push([n, p.l3, p.payloadLength, all0x42]);
    }
  } }, new AnomalyCounter());
  assert.equal(n, 38);
  assert.deepEqual(reassembled, [
    [27, L3.IPV4, 4000, true],
    [33, L3.IPV6, 3000, true],
  ]);
  const c = h.decoder.counters;
  assert.equal(c.fragments, 6);
  assert.equal(c.fragmentsReassembled, 2);
  assert.deepEqual(h.raised, {});
});
