// The conformance suite proven on a well-behaved toy module and on modules with each kind of defect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, type Conversation } from './conformance.js';
import type { Direction, ProtocolModule, SessionContext } from './protocol.js';

/** Toy protocol: messages of a 2-byte big-endian length and that many bytes; lengths over 1000 are a violation. */
function toyModule(defect: 'none' | 'throws' | 'undeclared' | 'split_dependent' = 'none'): ProtocolModule {
  return {
    id: `toy_${defect}`,
    name: 'Toy length-prefixed protocol',
    transports: ['tcp'],
    ports: [7777],
    anomalies: [{ code: 'toy.too_long', severity: 'violation', description: 'A message longer than 1000 bytes.' }],
    probe(data) {
      if (data.length < 2) return 'need_more';
      return ((data[0] << 8) | data[1]) <= 1000 ? 'match' : 'no_match';
    },
    createSession(ctx: SessionContext) {
      const buffered: [number[], number[]] = [[], []];
      let dead = false;
      return {
        onData(dir: Direction, data: Uint8Array) {
          if (defect === 'throws' && data.includes(0xee)) throw new Error('toy parser bug');
          if (defect === 'split_dependent') {
            ctx.emit({ protocol: 'toy', type: 'chunk', ts: 0, length: data.length });
            return;
          }
          if (dead) return;
          const buf = buffered[dir];
          for (const b of data) buf.push(b);
          while (buf.length >= 2) {
            const len = (buf[0] << 8) | buf[1];
            if (len > 1000) {
              ctx.anomaly(defect === 'undeclared' ? 'toy.not_in_catalogue' : 'toy.too_long');
              dead = true;
              return;
            }
            if (buf.length < 2 + len) break;
            ctx.emit({ protocol: 'toy', type: 'message', ts: 0, dir, body: buf.slice(2, 2 + len).join(',') });
            buf.splice(0, 2 + len);
          }
        },
        onGap() {
          buffered[0].length = 0;
          buffered[1].length = 0;
        },
        onEnd() {},
      };
    },
  };
}

const SEEDS: Conversation[] = [
  {
    transport: 'tcp',
    chunks: [
      { dir: 0, data: Uint8Array.of(0x00, 0x03, 0x01, 0x02, 0x03) }, // length 3, body 01 02 03
      { dir: 1, data: Uint8Array.of(0x00, 0x01, 0xee, 0x00, 0x00) }, // length 1 (ee), then an empty message
      { dir: 0, data: Uint8Array.of(0x00, 0x02, 0xaa, 0xbb, 0x00, 0x01, 0xcc) }, // two messages in one chunk
    ],
  },
];

test('a well-behaved module conforms', () => {
  assert.deepEqual(checkConformance(toyModule(), SEEDS), []);
});

test('the suite catches a session that throws', () => {
  assert.ok(checkConformance(toyModule('throws'), SEEDS).some((p) => p.includes('session threw')));
});

test('the suite catches undeclared anomaly codes', () => {
  assert.ok(checkConformance(toyModule('undeclared'), SEEDS).some((p) => p.includes('undeclared anomaly code toy.not_in_catalogue')));
});

test('the suite catches events that depend on how the stream was cut', () => {
  assert.ok(checkConformance(toyModule('split_dependent'), SEEDS).some((p) => p.includes('events differ when the stream is split')));
});
