// Decode throughput on synthetic loops: `node dist/src/decode/decode.bench.js [frames]`. Prints ns per frame.

import { AnomalyCounter } from '../common/anomaly.js';
import { newFrame } from '../capture/frame.js';
import { Packet } from './packet.js';
import { Decoder } from './decoder.js';
import { SAMPLE_FRAMES } from './samples.js';

function bench(name: string, frames: readonly { linkType: number; bytes: Uint8Array }[], count: number): void {
  const decoder = new Decoder(new AnomalyCounter());
  const pkt = new Packet();
  const frame = newFrame();
  let bytes = 0;
  let check = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const f = frames[i % frames.length];
      frame.buf = f.bytes;
      frame.caplen = f.bytes.length;
      frame.origLen = f.bytes.length;
      frame.linkType = f.linkType;
      frame.tsSec = 1_700_000_000 + (i >> 20);
      decoder.decode(frame, pkt);
      check += pkt.dstPort;
      bytes += f.bytes.length;
    }
  };
  run(Math.min(count, 200_000)); // warm up
  bytes = 0;
  const t0 = process.hrtime.bigint();
  run(count);
  const ns = Number(process.hrtime.bigint() - t0);
  const perFrame = ns / count;
  console.log(
    `${name.padEnd(34)} ${perFrame.toFixed(1).padStart(7)} ns/frame  ${(1e3 / perFrame).toFixed(2).padStart(6)} M frames/s  ${((bytes / ns) * 1e3).toFixed(0).padStart(6)} MB/s  (${check & 1})`,
  );
}

const count = Number(process.argv[2] ?? 1_000_000);
const byName = (n: string) => SAMPLE_FRAMES.filter((s) => s.name === n);
bench('ethernet/ipv4/tcp, 60 B payload', byName('ethernet/ipv4/tcp'), count);
bench('ethernet/vlan/ipv4/tcp', byName('ethernet/vlan/ipv4/tcp'), count);
bench('ethernet/qinq/ipv6 ext/udp', byName('ethernet/qinq/ipv6 ext/udp'), count);
bench('ethernet/vlan/goose (L2 counted)', byName('ethernet/vlan/goose'), count);
bench('null/ipv4/tcp', byName('null le/ipv4/tcp'), count);
bench('mix of all samples', SAMPLE_FRAMES.filter((s) => !s.name.includes('fragment')), count);
