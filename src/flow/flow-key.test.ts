import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPPROTO, Packet } from '../decode/packet.js';
import { FlowIndex, FlowKey, tagProto, tagVlanInner, tagVlanOuter, type KeyedFlow } from './flow-key.js';
import { packet, prng, type PacketSpec } from './testkit.js';

interface Entry extends KeyedFlow {
  hash: number;
  name: string;
}

function entry(key: FlowKey, name: string): Entry {
  return { hash: key.hash, tag: key.tag, ports: key.ports, a4: key.a4, b4: key.b4, addr6: key.ipv6 ? key.copyAddr6() : null, name };
}

function keyOf(spec: PacketSpec): FlowKey {
  const k = new FlowKey();
  assert.equal(k.set(packet(spec)), true);
  return k;
}

test('both directions of a conversation give one key; srcIsA says which side sent', () => {
  const ab = keyOf({ src: '10.0.0.9', dst: '10.0.0.2', sport: 50000, dport: 502 });
  assert.equal(ab.srcIsA, false);
  const ba = keyOf({ src: '10.0.0.2', dst: '10.0.0.9', sport: 502, dport: 50000 });
  assert.equal(ba.srcIsA, true);
  assert.equal(ab.hash, ba.hash);
  assert.ok(ab.matches(entry(ba, 'x')));
  assert.equal(ab.a4, 0x0a000002);
  assert.equal(ab.ports, 502 * 65536 + 50000);
  assert.equal(tagProto(ab.tag), IPPROTO.TCP);
});

test('equal addresses order by port; high addresses compare unsigned', () => {
  const a = keyOf({ src: '127.0.0.1', dst: '127.0.0.1', sport: 4000, dport: 3000 });
  assert.equal(a.srcIsA, false);
  const b = keyOf({ src: '127.0.0.1', dst: '127.0.0.1', sport: 3000, dport: 4000 });
  assert.ok(a.matches(entry(b, 'x')));
  assert.equal(keyOf({ src: '200.1.1.1', dst: '10.1.1.1', sport: 1, dport: 2 }).srcIsA, false);
});

test('VLAN ids, transport and ports separate keys', () => {
  const base = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 502 };
  const keys = [
    keyOf(base),
    keyOf({ ...base, vlanOuter: 10 }),
    keyOf({ ...base, vlanOuter: 10, vlanInner: 20 }),
    keyOf({ ...base, proto: IPPROTO.UDP }),
    keyOf({ ...base, dport: 503 }),
  ];
  for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < keys.length; j++) assert.equal(keys[i].matches(entry(keys[j], '')), i === j, `${i} vs ${j}`);
  }
  assert.equal(tagVlanOuter(keys[2].tag), 10);
  assert.equal(tagVlanInner(keys[2].tag), 20);
});

test('IPv6 keys are canonical and never match IPv4 keys', () => {
  const a = keyOf({ src: 'fe80::2', dst: 'fe80::1', sport: 40000, dport: 20000 });
  assert.equal(a.srcIsA, false);
  const b = keyOf({ src: 'fe80::1', dst: 'fe80::2', sport: 20000, dport: 40000 });
  assert.equal(a.hash, b.hash);
  assert.ok(a.matches(entry(b, '')));
  assert.equal(entry(a, '').addr6![15], 1);
  assert.equal(entry(a, '').addr6![31], 2);
  const v4 = keyOf({ src: '10.0.0.1', dst: '10.0.0.2', sport: 20000, dport: 40000 });
  assert.equal(v4.matches(entry(a, '')), false);
  assert.equal(a.matches(entry(v4, '')), false);
});

test('protocols without ports key by addresses and protocol only; non-IP packets have no key', () => {
  const p = packet({ src: '10.0.0.1', dst: '10.0.0.2', proto: IPPROTO.ICMP });
  p.srcPort = 8; // ICMP type/code must not leak into the key
  const k = new FlowKey();
  k.set(p);
  assert.equal(k.ports, 0);
  assert.ok(keyOf({ src: '10.0.0.2', dst: '10.0.0.1', proto: IPPROTO.ICMP }).matches(entry(k, '')));
  assert.equal(new FlowKey().set(new Packet()), false);
});

test('FlowIndex agrees with a Map under random inserts and removals (growth and backward shifts)', () => {
  const rnd = prng(99);
  const index = new FlowIndex<Entry>(16);
  const model = new Map<string, Entry>();
  const k = new FlowKey();
  for (let step = 0; step < 20000; step++) {
    const n = Math.floor(rnd() * 3000);
    const spec: PacketSpec = { src: `10.0.${n >> 8}.${n & 255}`, dst: '10.1.0.1', sport: 1000 + (n % 7), dport: 502 };
    k.set(packet(spec));
    const name = `${n}`;
    const found = index.find(k);
    assert.equal(found?.name, model.get(name)?.name);
    if (found === null && rnd() < 0.6) {
      const e = entry(k, name);
      index.insert(e);
      model.set(name, e);
    } else if (found !== null && rnd() < 0.5) {
      index.remove(found);
      model.delete(name);
    }
    assert.equal(index.size, model.size);
  }
});
