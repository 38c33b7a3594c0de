import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, flow, polls, tx, volume, type Input } from '../testkit.js';
import { TRANSFER_BYTES, toolTransfer } from './tool-transfer.js';
import { remoteDiscovery } from './remote-discovery.js';

const HMI = '10.10.1.10';
const PLC = '10.10.1.21';
const RTU = '10.10.1.31';
const EWS = '10.10.1.50';
const ATTACKER = '10.10.9.66';

/** The HMI polls the PLC: the PLC is then a controller. */
const polling: Input[] = polls({ from: 0, n: 5, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: PLC });

test('tool transfer: 64 KiB sent to a controller over an unknown protocol fires, with the size; the next mark updates it', () => {
  const f = flow({ ts: 30, client: ATTACKER, server: PLC, port: 4444, duration: 20 });
  const alerts = detect([toolTransfer], [...polling, volume(f, true, TRANSFER_BYTES, 20), volume(f, true, 1024 * 1024, 25)]);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.detection, 'behavior.tool_transfer');
  assert.deepEqual([a.src?.ip, a.dst?.ip], [ATTACKER, PLC]);
  assert.equal(a.first_seen, 20);
  assert.equal(a.count, 2);
  assert.match(a.title, /^1024 KiB sent to controller 10\.10\.1\.21 by 10\.10\.9\.66 over tcp\/4444$/);
  assert.deepEqual(a.techniques, ['T0867']);
});

test('tool transfer: a controller that opened the connection and sends bulk data fires as the sender', () => {
  const f = flow({ ts: 30, client: PLC, server: ATTACKER, port: 8080, protocol: 'http' });
  const [a] = detect([toolTransfer], [...polling, volume(f, true, TRANSFER_BYTES, 20)]);
  assert.match(a.title, /^Controller 10\.10\.1\.21 sends 64 KiB to 10\.10\.9\.66 over tcp\/8080, http$/);
});

test('tool transfer: industrial protocols, hosts that are not controllers, and a controller serving a download stay quiet', () => {
  const program = flow({ ts: 30, client: EWS, server: PLC, port: 102, protocol: 's7comm' });
  const itOnly = flow({ ts: 30, client: EWS, server: '10.10.2.5', port: 445, protocol: 'smb' });
  // The PLC's web server sends a page to a browser: the data goes to the client, which is no controller.
  const webPage = flow({ ts: 30, client: EWS, server: PLC, port: 80, protocol: 'http' });
  const alerts = detect([toolTransfer], [...polling, volume(program, true, 1024 * 1024, 20), volume(itOnly, true, TRANSFER_BYTES, 21), volume(webPage, false, TRANSFER_BYTES, 22)]);
  assert.deepEqual(alerts, []);
});

test('remote discovery: a DNP3 sweep of master addresses against one outstation address fires as a link-address sweep', () => {
  // QUT's reconnaissance: one outstation address, the master (source) address tried from 0 up; only the real pair answers.
  const inputs: Input[] = [];
  for (let m = 0; m < 6; m++) {
    const t = tx({ ts: 50 + m * 0.01, protocol: 'dnp3', op: 'read', access: 'read', outcome: m === 0 ? 'ok' : 'no_response', client: ATTACKER, server: RTU, port: 20000, target: { unit: 1 } });
    inputs.push({ ...t, dnp3: { master: m, outstation: 1 } } as Input);
  }
  const [a] = detect([remoteDiscovery], inputs);
  assert.ok(a !== undefined, 'the sweep fires');
  assert.match(a.title, /^dnp3 link-address sweep of 10\.10\.1\.31 by 10\.10\.9\.66 \(5 master\/outstation pairs, 4 unanswered, in 60 s\)$/);
  assert.deepEqual(a.facts.unanswered_link_addresses, ['1→1', '2→1', '3→1', '4→1']);
});

test('remote discovery: a DNP3 master retrying its one address pair is no sweep', () => {
  const inputs: Input[] = [];
  for (let i = 0; i < 10; i++) {
    const t = tx({ ts: 50 + i, protocol: 'dnp3', op: 'read', access: 'read', outcome: 'no_response', client: HMI, server: RTU, port: 20000, target: { unit: 10 } });
    inputs.push({ ...t, dnp3: { master: 1, outstation: 10 } } as Input);
  }
  assert.deepEqual(detect([remoteDiscovery], inputs), []);
});
