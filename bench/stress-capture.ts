// Builds a hostile capture for the memory bound: more concurrent TCP connections than the flow table holds, each
// leaving out-of-order data buffered behind a hole, plus undecided UDP flows and IP fragments that never complete.
// `node dist/bench/stress-capture.js [OUT] [CONNECTIONS]`, then `lantern analyze OUT` and read peak_rss_bytes.
import { PcapngWriter } from '../src/capture/write-pcapng.js';

const out = process.argv[2] ?? '/tmp/lantern-bench/stress.pcapng';
const connections = Number(process.argv[3] ?? 400_000);
const SEGMENT_BYTES = 1200;

const w = new PcapngWriter(out, { application: 'lantern stress-capture' });
const ifId = w.addInterface(1, 65535, false);
const frame = new Uint8Array(14 + 20 + 20 + SEGMENT_BYTES);
let sec = 1_700_000_000;
let usec = 0;

function ethIpv4(src: number, dst: number, proto: number, ipPayload: number, id = 0, fragField = 0): number {
  frame.fill(0, 0, 34);
  frame.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00]);
  const total = 20 + ipPayload;
  frame.set([0x45, 0, total >> 8, total & 0xff, id >> 8, id & 0xff, fragField >> 8, fragField & 0xff, 64, proto, 0, 0], 14);
  frame.set([src >>> 24, (src >>> 16) & 0xff, (src >>> 8) & 0xff, src & 0xff, dst >>> 24, (dst >>> 16) & 0xff, (dst >>> 8) & 0xff, dst & 0xff], 26);
  return 14 + total;
}

function tcp(src: number, dst: number, sport: number, dport: number, seq: number, flags: number, payload: number): void {
  const len = ethIpv4(src, dst, 6, 20 + payload);
  const t = 34;
  frame.fill(0, t, t + 20);
  frame.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, seq >>> 24, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff], t);
  frame[t + 12] = 0x50;
  frame[t + 13] = flags;
  frame[t + 14] = 0xff;
  frame[t + 15] = 0xff;
  for (let i = 0; i < payload; i++) frame[t + 20 + i] = (i * 31 + seq) & 0xff;
  emit(len);
}

function emit(len: number): void {
  usec += 10;
  if (usec >= 1_000_000) {
    usec -= 1_000_000;
    sec++;
  }
  w.writePacket(ifId, sec, usec * 1000, frame, 0, len, len);
}

for (let i = 0; i < connections; i++) {
  const client = (10 << 24) | (1 << 16) | (i >>> 16);
  const server = (10 << 24) | (2 << 16) | (i & 0xffff);
  const sport = 1024 + (i % 60000);
  tcp(client, server, sport, 502, 1000, 0x02, 0); // SYN
  tcp(client, server, sport, 502, 1001 + SEGMENT_BYTES, 0x18, SEGMENT_BYTES); // data after a hole: buffered
  tcp(client, server, sport, 502, 1001 + 3 * SEGMENT_BYTES, 0x18, SEGMENT_BYTES); // and more
  if (i % 4 === 0) {
    // an undecided UDP flow and the first fragment of a datagram that never completes
    const len = ethIpv4(client, server, 17, 8 + 64);
    frame.set([0x30, 0x39, 0x00, 0x35, 0, 72, 0, 0], 34);
    emit(len);
    const flen = ethIpv4(client, server, 17, 1000, i & 0xffff, 0x2000);
    emit(flen);
  }
}
w.close();
console.log(`wrote ${out}: ${w.packetsWritten} frames, ${(w.bytesWritten / 1e6).toFixed(1)} MB, ${connections} connections`);
