import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../common/anomaly.js';
import { hex } from '../common/hex.js';
import { IPPROTO } from '../decode/packet.js';
import type { ProtocolEvent, ProtocolModule } from '../protocols/protocol.js';
import { ProtocolRegistry } from '../protocols/registry.js';
import { FlowTable, type FlowRecord, type FlowTableOptions } from './flow-table.js';
import { ACK, FIN, PSH, RST, SYN, packet, prng, recordingModule, streamOf, text, type PacketSpec } from './testkit.js';

function harness(modules: ProtocolModule[] = [], options: Partial<FlowTableOptions> = {}) {
  const anomalies = new AnomalyCounter();
  const records: FlowRecord[] = [];
  const table = new FlowTable(new ProtocolRegistry(modules), anomalies, options, { onFlowEnd: (r) => records.push(r) });
  return { table, anomalies, records, send: (spec: PacketSpec) => table.process(packet(spec)) };
}

type Harness = ReturnType<typeof harness>;

/** One TCP connection whose sequence numbers follow the data sent. */
class Conn {
  cseq: number;
  sseq: number;
  ts: number;

  constructor(
    readonly h: Harness,
    readonly o: { c?: string; s?: string; cp?: number; sp?: number; cisn?: number; sisn?: number; ts?: number; vlan?: number } = {},
  ) {
    this.cseq = ((o.cisn ?? 1000) + 1) >>> 0;
    this.sseq = ((o.sisn ?? 5000) + 1) >>> 0;
    this.ts = o.ts ?? 100;
  }

  private fromClient(flags: number, seq: number, payload: Uint8Array | string = ''): void {
    this.h.send({
      src: this.o.c ?? '10.0.0.1',
      dst: this.o.s ?? '10.0.0.2',
      sport: this.o.cp ?? 50000,
      dport: this.o.sp ?? 502,
      flags,
      seq,
      ack: this.sseq,
      payload,
      ts: this.ts,
      vlanOuter: this.o.vlan ?? 0,
    });
  }

  private fromServer(flags: number, seq: number, payload: Uint8Array | string = ''): void {
    this.h.send({
      src: this.o.s ?? '10.0.0.2',
      dst: this.o.c ?? '10.0.0.1',
      sport: this.o.sp ?? 502,
      dport: this.o.cp ?? 50000,
      flags,
      seq,
      ack: this.cseq,
      payload,
      ts: this.ts,
      vlanOuter: this.o.vlan ?? 0,
    });
  }

  syn(): this {
    this.fromClient(SYN, (this.cseq - 1) >>> 0);
    return this;
  }

  synAck(): this {
    this.fromServer(SYN | ACK, (this.sseq - 1) >>> 0);
    return this;
  }

  handshake(): this {
    this.syn().synAck();
    this.fromClient(ACK, this.cseq);
    return this;
  }

  c(data: Uint8Array | string, flags: number = ACK | PSH): this {
    this.fromClient(flags, this.cseq, data);
    this.cseq = (this.cseq + data.length) >>> 0;
    return this;
  }

  s(data: Uint8Array | string, flags: number = ACK | PSH): this {
    this.fromServer(flags, this.sseq, data);
    this.sseq = (this.sseq + data.length) >>> 0;
    return this;
  }

  /** Client data at a sequence offset from now, without advancing (for reordering and loss). */
  cAt(offset: number, data: string): this {
    this.fromClient(ACK | PSH, (this.cseq + offset) >>> 0, data);
    return this;
  }

  ackFromServer(): this {
    this.fromServer(ACK, this.sseq);
    return this;
  }

  finC(): this {
    this.fromClient(FIN | ACK, this.cseq);
    this.cseq = (this.cseq + 1) >>> 0;
    return this;
  }

  finS(): this {
    this.fromServer(FIN | ACK, this.sseq);
    this.sseq = (this.sseq + 1) >>> 0;
    return this;
  }

  ackC(): this {
    this.fromClient(ACK, this.cseq);
    return this;
  }

  rstC(): this {
    this.fromClient(RST | ACK, this.cseq);
    return this;
  }

  at(ts: number): this {
    this.ts = ts;
    return this;
  }
}

// Roles.

test('handshake: the SYN sender is the client, whatever its port', () => {
  const h = harness();
  new Conn(h, { c: '10.0.0.9', cp: 502, s: '10.0.0.1', sp: 50000 }).handshake().c('x').s('y');
  h.table.flush(200);
  const r = h.records[0];
  assert.deepEqual(r.client, { ip: '10.0.0.9', port: 502 });
  assert.deepEqual(r.server, { ip: '10.0.0.1', port: 50000 });
  assert.equal(r.roleSource, 'handshake');
  assert.equal(r.tcp!.handshake, true);
});

test('handshake: a SYN+ACK seen first makes its sender the server', () => {
  const h = harness();
  new Conn(h, { cp: 40000, sp: 41000 }).synAck().c('x');
  h.table.flush(200);
  assert.deepEqual(h.records[0].server, { ip: '10.0.0.2', port: 41000 });
  assert.equal(h.records[0].roleSource, 'handshake');
});

test('port hints: without a handshake the service port is the server', () => {
  const dnp3ish = recordingModule('dnp', { ports: [20000] });
  const h = harness([dnp3ish.module]);
  h.send({ src: '10.0.0.2', dst: '10.0.0.1', sport: 502, dport: 50000, payload: 'resp' }); // well-known vs ephemeral
  h.send({ src: '10.0.0.3', dst: '10.0.0.4', sport: 40000, dport: 20000, payload: 'req' }); // module hint port
  h.send({ src: '10.0.0.5', dst: '10.0.0.6', sport: 5000, dport: 55000, payload: 'resp' }); // registered vs ephemeral
  h.send({ src: '10.0.0.7', dst: '10.0.0.8', sport: 20000, dport: 443, payload: 'x' }); // a hint beats well-known
  h.table.flush(1);
  const servers = h.records.map((r) => `${r.server.ip}:${r.server.port} ${r.roleSource}`);
  assert.deepEqual(servers, [
    '10.0.0.2:502 port_hint',
    '10.0.0.4:20000 port_hint',
    '10.0.0.5:5000 port_hint',
    '10.0.0.7:20000 port_hint',
  ]);
});

test('first packet: when ports say nothing the first sender is the client', () => {
  const h = harness();
  h.send({ src: '10.0.0.2', dst: '10.0.0.1', sport: 6000, dport: 5000, proto: IPPROTO.UDP, payload: 'a' });
  h.send({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 6000, proto: IPPROTO.UDP, payload: 'b' });
  h.table.flush(1);
  const r = h.records[0];
  assert.deepEqual(r.client, { ip: '10.0.0.2', port: 6000 });
  assert.equal(r.roleSource, 'first_packet');
  assert.equal(r.packetsToServer, 1);
  assert.equal(r.packetsToClient, 1);
});

// Keys and lifecycle.

test('A->B and B->A are one flow with per-direction counts', () => {
  const h = harness();
  new Conn(h).handshake().c('request').s('response!').c('r2');
  assert.equal(h.table.counters.created, 1);
  assert.equal(h.table.size, 1);
  h.table.flush(200);
  const r = h.records[0];
  assert.equal(r.packetsToServer, 4);
  assert.equal(r.packetsToClient, 2);
  assert.equal(r.payloadBytesToServer, 9);
  assert.equal(r.payloadBytesToClient, 9);
  assert.equal(r.endReason, 'end_of_input');
  assert.equal(r.protocol, 'unknown'); // empty registry: no probe can say yes
});

test('VLANs separate flows with the same addresses and ports', () => {
  const h = harness();
  new Conn(h, { vlan: 10 }).handshake();
  new Conn(h, { vlan: 20 }).handshake();
  new Conn(h).handshake();
  assert.equal(h.table.counters.created, 3);
  h.table.flush(200);
  assert.deepEqual(
    h.records.map((r) => r.vlan),
    [
      [10, 0],
      [20, 0],
      [0, 0],
    ],
  );
});

test('FINs both ways end the flow; late packets are absorbed; a new SYN on the same ports is a new flow', () => {
  const h = harness();
  const c = new Conn(h).handshake().c('a').s('b').finC().finS();
  assert.equal(h.records.length, 1);
  assert.equal(h.records[0].endReason, 'fin');
  c.ackC(); // last ACK: no new flow
  assert.equal(h.table.counters.created, 1);
  c.c('late');
  assert.equal(h.anomalies.get('tcp.data_after_fin'), 1);
  assert.equal(h.table.counters.active, 0);
  assert.equal(h.table.size, 1); // lingering
  new Conn(h, { cisn: 90000 }).at(101).handshake().c('again');
  assert.equal(h.table.counters.created, 2);
  h.table.flush(300);
  assert.equal(h.records[1].endReason, 'end_of_input');
  assert.equal(h.records[1].payloadBytesToServer, 5);
  assert.equal(h.table.size, 0);
});

test('RST ends the flow; data after it is counted; a SYN then starts a new flow', () => {
  const h = harness();
  const c = new Conn(h).handshake().c('a').rstC();
  assert.equal(h.records[0].endReason, 'rst');
  c.s('more');
  assert.equal(h.anomalies.get('tcp.data_after_rst'), 1);
  new Conn(h, { cisn: 7 }).syn();
  assert.equal(h.table.counters.created, 2);
  assert.equal(h.table.counters.active, 1);
});

test('a SYN with a new ISN on a live flow ends it as reused; a retransmitted SYN does not', () => {
  const h = harness();
  new Conn(h).syn().syn().synAck();
  assert.equal(h.table.counters.created, 1);
  new Conn(h, { cisn: 424242 }).at(110).syn();
  assert.equal(h.table.counters.created, 2);
  assert.equal(h.records[0].endReason, 'reused');
});

test('idle timeouts follow capture time and the flow state', () => {
  const h = harness([], { tcpIdleSec: 600, tcpHalfOpenIdleSec: 30, udpIdleSec: 120 });
  new Conn(h, { cp: 1 }).at(1000).handshake().c('x'); // established
  new Conn(h, { cp: 2 }).at(1000).syn(); // half-open
  h.send({ sport: 3, dport: 53, proto: IPPROTO.UDP, payload: 'q', ts: 1000 });
  h.table.expire(1030);
  assert.equal(h.records.length, 0);
  h.table.expire(1031);
  assert.deepEqual(
    h.records.map((r) => r.client.port),
    [2],
  );
  h.table.expire(1121);
  assert.deepEqual(
    h.records.map((r) => r.client.port),
    [2, 3],
  );
  h.table.expire(1600);
  assert.equal(h.records.length, 2);
  h.table.expire(1601);
  assert.equal(h.records.length, 3);
  assert.ok(h.records.every((r) => r.endReason === 'idle'));
  assert.equal(h.table.counters.timedOutIdle, 3);
  assert.equal(h.records[2].protocol, 'unknown');
  assert.equal(h.records[0].protocol, 'undecided'); // the SYN-only flow carried nothing to probe
  assert.equal(h.table.size, 0);
});

test('a packet after the idle timeout starts a new flow even if expire() was not called', () => {
  const h = harness([], { udpIdleSec: 120 });
  h.send({ sport: 3, dport: 53, proto: IPPROTO.UDP, payload: 'q', ts: 0 });
  h.send({ sport: 3, dport: 53, proto: IPPROTO.UDP, payload: 'q', ts: 121 });
  assert.equal(h.table.counters.created, 2);
  assert.equal(h.records[0].endReason, 'idle');
});

test('lifetime timeout ends busy flows, in expire() and on packet arrival', () => {
  const h = harness([], { lifetimeSec: 3600 });
  const c = new Conn(h).at(0).handshake();
  for (let t = 100; t <= 3600; t += 100) c.at(t).c('x');
  h.table.expire(3600);
  assert.equal(h.records.length, 0);
  h.table.expire(3601);
  assert.equal(h.records[0].endReason, 'lifetime');
  assert.equal(h.table.counters.timedOutLifetime, 1);

  c.at(3650).c('y'); // new flow, picked up mid-stream
  c.at(7251).c('z'); // past its own lifetime: ended and replaced at once
  assert.equal(h.records[1].endReason, 'lifetime');
  assert.equal(h.table.counters.created, 3);
  assert.equal(h.table.counters.timedOutLifetime, 2);
});

test('at the cap the least recently seen flow is evicted', () => {
  const h = harness([], { maxFlows: 3 });
  const conns = [1, 2, 3].map((i) => new Conn(h, { cp: 1000 + i }).at(i).handshake());
  conns[0].at(4).c('keep me');
  new Conn(h, { cp: 1004 }).at(5).handshake();
  assert.equal(h.table.size, 3);
  assert.equal(h.records.length, 1);
  assert.equal(h.records[0].client.port, 1002);
  assert.equal(h.records[0].endReason, 'evicted');
  assert.equal(h.anomalies.get('flow.table_full'), 1);
  assert.equal(h.table.counters.evictedCap, 1);
});

test('closed flows lingering are dropped first at the cap, without an anomaly', () => {
  const h = harness([], { maxFlows: 2 });
  new Conn(h, { cp: 1 }).at(1).handshake().finC().finS();
  new Conn(h, { cp: 2 }).at(2).handshake();
  new Conn(h, { cp: 3 }).at(3).handshake();
  assert.equal(h.anomalies.get('flow.table_full'), 0);
  assert.equal(h.table.counters.active, 2);
});

test('ICMP flows are keyed without ports and never probed', () => {
  const h = harness();
  h.send({ src: '10.0.0.1', dst: '10.0.0.2', proto: IPPROTO.ICMP, payload: 'ping', ts: 1 });
  h.send({ src: '10.0.0.2', dst: '10.0.0.1', proto: IPPROTO.ICMP, payload: 'pong', ts: 2 });
  h.table.flush(3);
  assert.equal(h.records.length, 1);
  assert.equal(h.records[0].transport, 'icmp');
  assert.equal(h.records[0].protocol, null);
  assert.equal(h.records[0].tcp, null);
  assert.equal(h.table.counters.byProtocol.size, 0);
});

// Reassembly through the table.

test('the session gets the gap, then the data after it', () => {
  const m = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([m.module]);
  const c = new Conn(h).handshake().c('MB-one;');
  c.cAt(4, 'three;'); // 'two;' lost by the capture
  c.cseq = (c.cseq + 10) >>> 0;
  c.ackFromServer(); // the server acknowledges everything: the hole is a gap
  c.c('four;');
  assert.deepEqual(
    m.calls.filter((x) => x.call !== 'end').map((x) => (x.call === 'gap' ? `<gap ${x.bytes}>` : x.data)),
    ['MB-one;', '<gap 4>', 'three;', 'four;'],
  );
  assert.equal(h.table.counters.gaps, 1);
  h.table.flush(200);
  assert.equal(h.records[0].tcp!.gaps, 1);
  assert.equal(h.records[0].tcp!.gapBytes, 4);
});

test('flush reports the hole and delivers the pending data before the end', () => {
  const m = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([m.module]);
  const c = new Conn(h).handshake().c('MB1');
  c.cAt(2, 'after');
  h.table.flush(200);
  assert.deepEqual(
    m.calls.map((x) => (x.call === 'gap' ? `<gap ${x.bytes}>` : x.call === 'end' ? '<end>' : x.data)),
    ['MB1', '<gap 2>', 'after', '<end>'],
  );
  assert.equal(h.table.bufferedBytes, 0);
});

test('property: both directions cut, reordered and duplicated reach the session intact', () => {
  const rnd = prng(777);
  const m = recordingModule('echo', { ports: [7], magic: 'HI' });
  for (let round = 0; round < 30; round++) {
    m.calls.length = 0;
    const h = harness([m.module]);
    const streams = ['HI', 'HI'].map((head) => {
      let s = head;
      const n = 200 + Math.floor(rnd() * 2000);
      for (let i = 0; i < n; i++) s += String.fromCharCode(32 + Math.floor(rnd() * 90));
      return s;
    });
    const isns = [Math.floor(rnd() * 2 ** 32), Math.floor(rnd() * 2 ** 32)];
    const pkts: PacketSpec[] = [];
    streams.forEach((s, dir) => {
      for (let at = 0; at < s.length; ) {
        const n = 1 + Math.floor(rnd() * 100);
        const seg: PacketSpec = {
          src: dir === 0 ? '10.0.0.1' : '10.0.0.2',
          dst: dir === 0 ? '10.0.0.2' : '10.0.0.1',
          sport: dir === 0 ? 40000 : 7,
          dport: dir === 0 ? 7 : 40000,
          flags: PSH, // no ACKs: ACK-proven gaps would cut reordering short
          seq: (isns[dir] + 1 + at) >>> 0,
          payload: s.slice(at, at + n),
        };
        pkts.push(seg);
        if (rnd() < 0.2) pkts.push(seg);
        at += n;
      }
    });
    // Shuffle within a window of 8, so each direction's first segment tends to come early.
    for (let i = 0; i < pkts.length; i++) {
      const j = Math.min(pkts.length - 1, i + Math.floor(rnd() * 8));
      [pkts[i], pkts[j]] = [pkts[j], pkts[i]];
    }
    h.send({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 7, flags: SYN, seq: isns[0] });
    h.send({ src: '10.0.0.2', dst: '10.0.0.1', sport: 7, dport: 40000, flags: SYN | ACK, seq: isns[1], ack: isns[0] + 1 });
    for (const p of pkts) h.send(p);
    h.table.flush(1);
    assert.equal(streamOf(m.calls, 0), streams[0], `round ${round} client`);
    assert.equal(streamOf(m.calls, 1), streams[1], `round ${round} server`);
    assert.equal(h.table.counters.gaps, 0);
  }
});

// Detection.

test('port hints order the probes: the module hinting the server port is asked first', () => {
  const generic = recordingModule('generic', { magic: 'AB' });
  const hinted = recordingModule('hinted', { ports: [502], magic: 'AB' });
  const h = harness([generic.module, hinted.module]);
  new Conn(h).handshake().c('ABCD');
  new Conn(h, { sp: 9999 }).handshake().c('ABCD');
  h.table.flush(200);
  assert.deepEqual(
    h.records.map((r) => r.protocol),
    ['hinted', 'generic'],
  );
  assert.equal(hinted.probes.length, 1);
  assert.equal(generic.probes.length, 1);
  assert.equal(h.table.counters.byProtocol.get('hinted'), 1);
});

test('a probe detects its protocol on a non-standard port', () => {
  const mb = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([mb.module]);
  new Conn(h, { sp: 1502 }).handshake().c('MB request').s('MB reply');
  h.table.flush(200);
  assert.equal(h.records[0].protocol, 'mb');
  assert.equal(streamOf(mb.calls, 0), 'MB request');
  assert.equal(streamOf(mb.calls, 1), 'MB reply');
});

test('need_more across segments one byte long, then the whole stream reaches the session', () => {
  const m = recordingModule('hello', { magic: 'HELLO' });
  const h = harness([m.module]);
  const c = new Conn(h).handshake();
  for (const ch of 'HELLO world') c.c(ch);
  assert.equal(m.probes.length, 5);
  assert.deepEqual(
    m.probes.map((p) => p.data),
    ['H', 'HE', 'HEL', 'HELL', 'HELLO'],
  );
  assert.equal(streamOf(m.calls, 0), 'HELLO world');
});

test('buffered bytes of both directions are replayed in order of arrival', () => {
  const m = recordingModule('req', {
    probe: (d, dir) => (dir === 1 ? 'need_more' : d.length < 4 ? 'need_more' : text(d) === 'ABCD' ? 'match' : 'no_match'),
  });
  const h = harness([m.module]);
  new Conn(h).at(1).handshake().c('AB').at(2).s('xy').at(3).c('CD').at(4).s('zz');
  assert.deepEqual(
    m.calls.map((x) => (x.call === 'data' ? `${x.dir}:${x.data}@${x.ts}` : x.call)),
    ['0:AB@1', '1:xy@2', '0:CD@3', '1:zz@4'],
  );
});

test('UDP datagrams are probed and delivered one by one', () => {
  const m = recordingModule('udpish', { transports: ['udp'], ports: [47808], magic: 'BV' });
  const h = harness([m.module]);
  const dgram = { src: '10.0.0.1', dst: '10.0.0.2', sport: 47808, dport: 47808, proto: IPPROTO.UDP };
  h.send({ ...dgram, payload: 'B' }); // need_more
  h.send({ ...dgram, payload: 'BVLC frame' }); // a datagram alone, not 'B' + 'BVLC frame'
  h.send({ ...dgram, payload: 'BV again' });
  assert.deepEqual(
    m.probes.map((p) => p.data),
    ['B', 'BVLC frame'],
  );
  assert.deepEqual(
    m.calls.map((x) => (x.call === 'data' ? x.data : x.call)),
    ['B', 'BVLC frame', 'BV again'],
  );
});

test('when every probe says no the flow is unknown and buffering stops', () => {
  const m = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([m.module]);
  new Conn(h).handshake().c('GET / HTTP/1.1').c('more');
  assert.equal(m.probes.length, 1);
  h.table.flush(200);
  assert.equal(h.records[0].protocol, 'unknown');
  assert.equal(h.table.counters.byProtocol.get('unknown'), 1);
});

test('need_more beyond the detection cap makes the flow unknown', () => {
  const m = recordingModule('slow', { probe: () => 'need_more' });
  const h = harness([m.module], { detectBytesPerDirection: 16 });
  const c = new Conn(h).handshake();
  for (let i = 0; i < 10; i++) c.c('abc');
  assert.equal(m.probes.length, 6); // 3, 6, ..., 15, then 16 bytes (capped): no decision
  assert.equal(h.anomalies.get('flow.detect_cap'), 1);
  h.table.flush(200);
  assert.equal(h.records[0].protocol, 'unknown');
});

test('a throwing probe is isolated: counted, treated as no_match, others still detect', () => {
  const bad: ProtocolModule = {
    ...recordingModule('bad').module,
    probe: () => {
      throw new Error('probe bug');
    },
  };
  const good = recordingModule('good', { magic: 'GO' });
  const h = harness([bad, good.module]);
  new Conn(h).handshake().c('GO!');
  assert.equal(h.anomalies.get('flow.protocol_error'), 1);
  assert.equal(streamOf(good.calls, 0), 'GO!');
});

test('a throwing session is detached from its flow only', () => {
  const m = recordingModule('fragile', { magic: 'FR', throwOn: 'BOOM' });
  const h = harness([m.module]);
  const a = new Conn(h, { cp: 1 }).handshake().c('FR first');
  const b = new Conn(h, { cp: 2 }).handshake().c('FR other');
  a.c('BOOM').c('after');
  b.c('still parsed');
  assert.equal(h.anomalies.get('flow.protocol_error'), 1);
  const flowA = m.calls.find((x) => x.call === 'data' && x.data === 'FR first')!.flow;
  assert.deepEqual(
    m.calls.filter((x) => x.flow === flowA).map((x) => (x.call === 'data' ? x.data : x.call)),
    ['FR first'],
  );
  assert.ok(m.calls.some((x) => x.call === 'data' && x.data === 'still parsed'));
  a.s('reply');
  h.table.flush(200);
  const rec = h.records.find((r) => r.client.port === 1)!;
  assert.equal(rec.protocol, 'fragile');
  assert.equal(rec.packetsToClient, 2);
});

test('a throwing createSession is isolated too', () => {
  const base = recordingModule('ctor', { magic: 'CT' }).module;
  const m: ProtocolModule = {
    ...base,
    createSession: () => {
      throw new Error('constructor bug');
    },
  };
  const h = harness([m]);
  new Conn(h).handshake().c('CT').c('more');
  assert.equal(h.anomalies.get('flow.protocol_error'), 1);
  h.table.flush(200);
  assert.equal(h.records[0].protocol, 'ctor');
});

test('sessions see their flow facts and emit events to the sink', () => {
  const received: { event: ProtocolEvent; flowId: number; server: string }[] = [];
  const m: ProtocolModule = {
    id: 'ev',
    name: 'events',
    transports: ['tcp'],
    ports: [502],
    anomalies: [{ code: 'ev.odd', severity: 'weird', description: 'A test anomaly.' }],
    probe: () => 'match',
    createSession: (ctx) => ({
      onData: (dir, data, ts) => {
        ctx.emit({ protocol: 'ev', type: 'chunk', ts, dir, size: data.length });
        if (data[0] === 0x3f) ctx.anomaly('ev.odd');
      },
      onGap: () => {},
      onEnd: () => {},
    }),
  };
  const anomalies = new AnomalyCounter();
  const table = new FlowTable(new ProtocolRegistry([m]), anomalies, {
    eventSink: { onEvent: (event, flow) => received.push({ event, flowId: flow.id, server: `${flow.server.ip}:${flow.server.port}` }) },
  });
  const p = packet({
    src: '10.0.0.1',
    dst: '10.0.0.2',
    sport: 50000,
    dport: 502,
    flags: ACK | PSH,
    seq: 1,
    payload: hex`
      3f        # a byte the test module finds odd
      00 01     # filler
    `,
    ts: 5,
  });
  table.process(p);
  assert.equal(received.length, 1);
  assert.equal(received[0].server, '10.0.0.2:502');
  assert.equal(received[0].event.size, 3);
  assert.equal(anomalies.get('ev.odd'), 1);
});

test('each session sees only the bytes of its own flow', () => {
  const m = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([m.module]);
  const conns = [1, 2, 3].map((i) => new Conn(h, { c: `10.0.0.${10 + i}`, cp: 40000 + i }).handshake());
  for (let round = 0; round < 3; round++) {
    conns.forEach((c, i) => c.c(round === 0 ? `MB${i}` : `-${i}.${round}`).s(`r${i}.${round}`));
  }
  const flowIds = [...new Set(m.calls.map((x) => x.flow))];
  assert.equal(flowIds.length, 3);
  for (const id of flowIds) {
    const mine = m.calls.filter((x) => x.flow === id);
    const i = streamOf(mine, 0)[2];
    assert.equal(streamOf(mine, 0), `MB${i}-${i}.1-${i}.2`);
    assert.equal(streamOf(mine, 1), `r${i}.0r${i}.1r${i}.2`);
  }
  assert.deepEqual(
    [...h.table.flows()].map((f) => f.client().port),
    [40001, 40002, 40003],
  );
});

test('a segment cut by the snap length gives the session a gap, not a stall', () => {
  const m = recordingModule('mb', { ports: [502], magic: 'MB' });
  const h = harness([m.module]);
  const c = new Conn(h).handshake().c('MB1');
  const p = packet({ src: '10.0.0.1', dst: '10.0.0.2', sport: 50000, dport: 502, flags: ACK | PSH, seq: c.cseq, payload: 'MB2' });
  p.payloadCut = true;
  p.payloadWireLength = 10; // 7 bytes beyond the capture
  h.table.process(p);
  c.cseq = (c.cseq + 10) >>> 0;
  c.c('MB3');
  assert.deepEqual(
    m.calls.map((x) => (x.call === 'gap' ? `<gap ${x.bytes}>` : x.call === 'data' ? x.data : x.call)),
    ['MB1', 'MB2', '<gap 7>', 'MB3'],
  );
});

test('a UDP datagram cut by the snap length is followed by a gap of the missing bytes', () => {
  const m = recordingModule('udpish', { transports: ['udp'], magic: 'BV' });
  const h = harness([m.module]);
  const p = packet({ sport: 47808, dport: 47808, proto: IPPROTO.UDP, payload: 'BVLC' });
  p.payloadCut = true;
  p.payloadWireLength = 40;
  h.table.process(p);
  assert.deepEqual(
    m.calls.map((x) => (x.call === 'gap' ? `<gap ${x.bytes}>` : x.call === 'data' ? x.data : x.call)),
    ['BVLC', '<gap 36>'],
  );
});

test('a running flow reports its volume when a direction passes each mark, once per mark, at that packet’s time', () => {
  const h = harness();
  const marks: { toServer: boolean; bytes: number; ts: number; state: string }[] = [];
  const table = new FlowTable(new ProtocolRegistry([]), h.anomalies, {}, {
    onFlowEnd: () => undefined,
    onFlowVolume: (r, toServer, ts) => marks.push({ toServer, bytes: toServer ? r.payloadBytesToServer : r.payloadBytesToClient, ts, state: r.endReason }),
  });
  const conn = new Conn({ ...h, table, send: (spec: PacketSpec) => table.process(packet(spec)) }, { sp: 4444 }).handshake();
  const chunk = new Uint8Array(1400);
  // 47 × 1400 = 65,800 bytes: the 47th segment passes 64 KiB.
  for (let i = 1; i <= 47; i++) conn.at(100 + i).c(chunk);
  conn.at(200).s('ok');
  assert.deepEqual(marks, [{ toServer: true, bytes: 65_800, ts: 147, state: 'active' }]);
  for (let i = 0; i < 10; i++) conn.at(300 + i).c(chunk);
  assert.equal(marks.length, 1, 'no mark between 64 KiB and 1 MiB');
});
