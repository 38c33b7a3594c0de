import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import type { Packet } from './packet.js';
import { Harness } from './testkit.js';
import { registerL2Handler, unregisterL2Handler, etherTypeName, snapName, llcSapName } from './l2-registry.js';

const GOOSE_IN_VLAN = hex`
  01 0c cd 01 00 01   # dst MAC (GOOSE multicast)
  00 1b 1b 01 02 03   # src MAC
  81 00 80 00         # 802.1Q, priority 4, VLAN 0
  88 b8               # EtherType GOOSE
  00 01               # APPID 1
  00 0c               # length 12
  00 00 00 00         # reserved 1, reserved 2
  61 02 80 00         # start of goosePdu
`;

test('a registered handler gets the frame filled to L2', () => {
  const seen: Array<[number, number, number, number]> = [];
  const handler = { id: 'goose-test', onFrame: (p: Packet) => void seen.push([p.etherType, p.vlanCount, p.l2PayloadOff, p.l2PayloadEnd]) };
  registerL2Handler(0x88b8, handler);
  try {
    const h = new Harness();
    h.decode(GOOSE_IN_VLAN);
    assert.deepEqual(seen, [[0x88b8, 1, 18, 30]]);
    assert.equal(h.decoder.counters.l2.get('goose'), 1);
    assert.deepEqual(h.raised, {});
    assert.throws(() => registerL2Handler(0x88b8, { id: 'other', onFrame: () => {} }), /already handled by goose-test/);
    registerL2Handler(0x88b8, handler);
  } finally {
    unregisterL2Handler(0x88b8);
  }
});

test('a throwing handler costs the frame, not the decoder', () => {
  registerL2Handler(0x88b8, {
    id: 'broken',
    onFrame: () => {
      throw new Error('boom');
    },
  });
  try {
    const h = new Harness();
    h.decode(GOOSE_IN_VLAN);
    h.decode(GOOSE_IN_VLAN);
    assert.deepEqual(h.raised, { 'l2.handler_error': 2 });
    assert.equal(h.decoder.counters.l2.get('goose'), 2);
  } finally {
    unregisterL2Handler(0x88b8);
  }
});

test('unhandled EtherTypes are counted by name, unknown ones by hex', () => {
  const h = new Harness();
  h.decode(hex`01 80 c2 00 00 0e  00 1b 1b 01 02 03  88 cc  02 07 04 00 1b 1b 01 02 03   # LLDP chassis id TLV`);
  h.decode(hex`01 0e cf 00 00 00  00 1b 1b 01 02 03  88 92  fe fe 05 00   # PROFINET DCP identify`);
  h.decode(hex`ff ff ff ff ff ff  00 1b 1b 01 02 03  88 b5  00 00   # local experimental EtherType 1`);
  assert.deepEqual(Object.fromEntries(h.decoder.counters.l2), { lldp: 1, profinet: 1, '0x88b5': 1 });
  assert.deepEqual(h.raised, {});
});

test('names: EtherType, LLC SAP, SNAP', () => {
  assert.equal(etherTypeName(0x88ba), 'sampled_values');
  assert.equal(etherTypeName(0x88f7), 'ptp');
  assert.equal(etherTypeName(0x1234), '0x1234');
  assert.equal(llcSapName(0x42), 'stp');
  assert.equal(llcSapName(0x7e), 'llc_0x7e');
  assert.equal(snapName(0x00000c, 0x2000), 'cdp');
  assert.equal(snapName(0x0080c2, 0x0007), 'snap_0080c2_0007');
});
