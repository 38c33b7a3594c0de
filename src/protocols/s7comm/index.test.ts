import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import { s7commModule } from './index.js';
import {
  ACK_PASSWORD, CC, CR, PI_INSE, PLC_STOP, READ_ACK, READ_ACK_ERROR, READ_JOB, SETUP_ACK, SETUP_JOB, SZL_REQ, SZL_RESP, WRITE_ACK, WRITE_JOB, concatBytes, dt,
} from './testkit.js';

test('probe: S7 CR, S7 DT, S7comm-plus DT match; MMS DT, HTTP, other TSAPs do not', () => {
  const p = (b: Uint8Array) => s7commModule.probe(b, 0, 'tcp');
  assert.equal(p(CR), 'match');
  assert.equal(p(SETUP_JOB), 'match');
  assert.equal(p(dt(hex`72 01 00 0a 31`)), 'match');
  assert.equal(p(CR.subarray(0, 10)), 'need_more');
  assert.equal(p(hex`03 00`), 'need_more');
  assert.equal(p(hex`47 45 54 20 2f 20 48 54 54 50`), 'no_match');
  assert.equal(p(dt(hex`0d 01 02 03`)), 'no_match'); // ISO session SPDU (MMS)
  const mmsCr = hex`03 00 00 16  11 e0 00 00 00 01 00  c1 02 00 01  c2 02 00 01  c0 01 0a`;
  assert.equal(p(mmsCr), 'need_more');
  assert.equal(p(concatBytes(mmsCr, dt(hex`0d 01 02 03`))), 'no_match');
  assert.equal(s7commModule.probe(SETUP_JOB, 0, 'udp'), 'no_match');
});

test('s7comm passes the conformance suite', () => {
  const c = (...chunks: [0 | 1, Uint8Array][]): Conversation => ({ transport: 'tcp', chunks: chunks.map(([dir, data]) => ({ dir, data })) });
  const seeds: Conversation[] = [
    c([0, CR], [1, CC], [0, SETUP_JOB], [1, SETUP_ACK], [0, READ_JOB], [1, READ_ACK], [0, WRITE_JOB], [1, WRITE_ACK]),
    c([0, SZL_REQ], [1, SZL_RESP], [0, READ_JOB], [1, READ_ACK_ERROR], [0, PLC_STOP], [1, ACK_PASSWORD], [0, PI_INSE]),
    c([0, concatBytes(dt(READ_JOB.subarray(7, 20), false), dt(READ_JOB.subarray(20)))], [1, READ_ACK]),
    c([0, dt(concatBytes(hex`72 03 00 20 20`, new Uint8Array(32), hex`31 00 00 05 4c 00 00 00 42 34`))], [1, dt(hex`72 01 00 0a 32 00 00 05 4c 00 00 00 42 00`)]),
  ];
  assert.deepEqual(checkConformance(s7commModule, seeds, { mutationsPerConversation: 40, randomConversations: 100 }), []);
});
