import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProtocolModule, Transport } from './protocol.js';
import { ProtocolRegistry, defaultRegistry } from './registry.js';
import { INDUSTRIAL_PROTOCOLS } from '../common/vocabulary.js';

function mod(id: string, ports: number[], transports: Transport[] = ['tcp']): ProtocolModule {
  return {
    id,
    name: id,
    transports,
    ports,
    anomalies: [],
    probe: () => 'no_match',
    createSession: () => ({ onData() {}, onGap() {}, onEnd() {} }),
  };
}

test('candidates: server-port hints first, then client-port hints, then the rest of the transport', () => {
  const r = new ProtocolRegistry([mod('a', []), mod('b', [20000]), mod('c', [502]), mod('u', [502], ['udp'])]);
  const ids = (l: readonly ProtocolModule[]) => l.map((m) => m.id);
  assert.deepEqual(ids(r.candidates('tcp', 502, 50000)), ['c', 'a', 'b']);
  assert.deepEqual(ids(r.candidates('tcp', 50000, 20000)), ['b', 'a', 'c']);
  assert.deepEqual(ids(r.candidates('tcp', 1, 2)), ['a', 'b', 'c']);
  assert.deepEqual(ids(r.candidates('udp', 502, 2)), ['u']);
  assert.equal(r.candidates('tcp', 502, 50000), r.candidates('tcp', 502, 50000)); // cached, not rebuilt per flow
  assert.equal(r.isHintPort('tcp', 20000), true);
  assert.equal(r.isHintPort('udp', 20000), false);
  assert.equal(r.get('c')?.id, 'c');
});

test('module ids are unique', () => {
  assert.throws(() => new ProtocolRegistry([mod('x', []), mod('x', [])]), /duplicate/);
});

test('every module of the default registry declares a transport and only its own anomaly codes', () => {
  for (const m of defaultRegistry.modules) {
    assert.ok(m.transports.length > 0, m.id);
    for (const { code } of m.anomalies) assert.ok(code.startsWith(`${m.id}.`), `${m.id}: ${code}`);
  }
});

test('the shared list of industrial protocols is the registry modules with category industrial', () => {
  const industrial = defaultRegistry.modules.filter((m) => m.category === 'industrial').map((m) => m.id).sort();
  assert.deepEqual(industrial, [...INDUSTRIAL_PROTOCOLS]);
});
