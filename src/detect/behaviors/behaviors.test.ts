import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, polls, tx } from '../testkit.js';
import { programDownload } from './program-download.js';
import { programUpload } from './program-upload.js';
import { modeChange } from './mode-change.js';
import { deviceRestart } from './device-restart.js';
import { firmwareUpdate } from './firmware-update.js';
import { blockReporting } from './block-reporting.js';
import { clockChange } from './clock-change.js';
import { credentialChange } from './credential-change.js';
import { unauthorizedCommand } from './unauthorized-command.js';

const EWS = '10.10.1.50';
const PLC = '10.10.1.22';

test('program download: S7 download blocks and UMAS downloads fire, one alert per source and device; reads do not', () => {
  const alerts = detect(
    [programDownload],
    [
      tx({ ts: 1, protocol: 's7comm', op: 'read_var', access: 'read', client: EWS, server: PLC }),
      tx({ ts: 2, protocol: 's7comm', op: 'request_download', access: 'program', client: EWS, server: PLC }),
      tx({ ts: 3, protocol: 's7comm', op: 'download_block', access: 'program', client: EWS, server: PLC }),
      tx({ ts: 4, protocol: 's7comm', op: 'download_ended', access: 'program', client: EWS, server: PLC }),
      tx({ ts: 5, protocol: 'modbus', op: 'umas', sub: 'download_block', access: 'program', client: EWS, server: '10.10.1.21' }),
      tx({ ts: 6, protocol: 'modbus', op: 'umas', sub: 'read_id', access: 'other', client: EWS, server: '10.10.1.21' }),
    ],
  );
  assert.equal(alerts.length, 2);
  const s7 = alerts.find((a) => a.protocol === 's7comm')!;
  assert.equal(s7.count, 3);
  assert.deepEqual([s7.first_seen, s7.last_seen], [2, 4]);
  assert.deepEqual(s7.techniques, ['T0843', 'T0821', 'T0889']);
  assert.ok(s7.tactics.includes('Lateral Movement'));
  assert.equal(s7.severity, 'critical');
  assert.equal(s7.kind, 'behavior');
  assert.deepEqual(s7.evidence.map((e) => e.what), ['request_download', 'download_block', 'download_ended']);
  assert.match(s7.title, /Program download to 10\.10\.1\.22 from 10\.10\.1\.50 \(s7comm\)/);
  assert.equal(detect([programDownload], [tx({ ts: 1, protocol: 's7comm', op: 'download_block', access: 'program', origin: 'server' })]).length, 0, 'server-sent messages are not requests');
});

test('program upload, mode change, restart, firmware, reporting, clock and credential detections fire on their operations only', () => {
  const cases = [
    { d: programUpload, fire: tx({ ts: 1, protocol: 's7comm', op: 'start_upload', access: 'program' }), quiet: tx({ ts: 1, protocol: 's7comm', op: 'read_var', access: 'read' }) },
    { d: modeChange, fire: tx({ ts: 1, protocol: 's7comm', op: 'plc_stop', access: 'control' }), quiet: tx({ ts: 1, protocol: 's7comm', op: 'setup_communication' }) },
    { d: modeChange, fire: tx({ ts: 1, protocol: 'modbus', op: 'umas', sub: 'stop_plc', access: 'control' }), quiet: tx({ ts: 1, protocol: 'modbus', op: 'read_coils', access: 'read' }) },
    { d: modeChange, fire: tx({ ts: 1, protocol: 'enip', op: 'stop', access: 'control', port: 44818 }), quiet: tx({ ts: 1, protocol: 'enip', op: 'get_attribute_single', access: 'read', port: 44818 }) },
    { d: deviceRestart, fire: tx({ ts: 1, protocol: 'dnp3', op: 'cold_restart', access: 'control', port: 20000 }), quiet: tx({ ts: 1, protocol: 'dnp3', op: 'read', access: 'read', port: 20000 }) },
    { d: deviceRestart, fire: tx({ ts: 1, protocol: 'modbus', op: 'diagnostics', sub: 'restart_communications_option', access: 'control' }), quiet: tx({ ts: 1, protocol: 'modbus', op: 'diagnostics', sub: 'return_query_data', access: 'diagnostic' }) },
    { d: deviceRestart, fire: tx({ ts: 1, protocol: 'iec104', op: 'C_RP_NA_1', access: 'control', port: 2404 }), quiet: tx({ ts: 1, protocol: 'iec104', op: 'C_IC_NA_1', access: 'read', port: 2404 }) },
    { d: deviceRestart, fire: tx({ ts: 1, protocol: 'bacnet', op: 'reinitialize_device', access: 'control', port: 47808 }), quiet: tx({ ts: 1, protocol: 'bacnet', op: 'read_property', access: 'read', port: 47808 }) },
    { d: deviceRestart, fire: tx({ ts: 1, protocol: 'enip', op: 'reset', access: 'control', port: 44818 }), quiet: tx({ ts: 1, protocol: 'enip', op: 'list_identity', access: 'discovery', port: 44818 }) },
    { d: firmwareUpdate, fire: tx({ ts: 1, protocol: 'dnp3', op: 'activate_config', access: 'program', port: 20000 }), quiet: tx({ ts: 1, protocol: 'dnp3', op: 'read', access: 'read', port: 20000 }) },
    { d: blockReporting, fire: tx({ ts: 1, protocol: 'dnp3', op: 'disable_unsolicited', access: 'control', port: 20000 }), quiet: tx({ ts: 1, protocol: 'dnp3', op: 'enable_unsolicited', access: 'control', port: 20000 }) },
    { d: blockReporting, fire: tx({ ts: 1, protocol: 'iec104', op: 'stopdt', access: 'control', port: 2404 }), quiet: tx({ ts: 1, protocol: 'iec104', op: 'startdt', access: 'control', port: 2404 }) },
    { d: clockChange, fire: tx({ ts: 1, protocol: 'dnp3', op: 'write', access: 'write', target: { area: 'time_and_date' }, port: 20000 }), quiet: tx({ ts: 1, protocol: 'dnp3', op: 'write', access: 'write', target: { area: 'internal_indications' }, port: 20000 }) },
    { d: clockChange, fire: tx({ ts: 1, protocol: 'iec104', op: 'C_CS_NA_1', access: 'control', port: 2404 }), quiet: tx({ ts: 1, protocol: 'iec104', op: 'M_ME_NC_1', access: 'read', port: 2404 }) },
    { d: credentialChange, fire: tx({ ts: 1, protocol: 's7comm', op: 'security', sub: 'set_password', access: 'control' }), quiet: tx({ ts: 1, protocol: 's7comm', op: 'cpu_functions', sub: 'read_szl', access: 'discovery' }) },
  ];
  for (const c of cases) {
    const label = `${c.d.id} on ${c.fire.protocol} ${c.fire.operation.name}`;
    assert.equal(detect([c.d], [c.fire]).length, 1, `${label} fires`);
    assert.equal(detect([c.d], [c.quiet]).length, 0, `${c.d.id} stays quiet on ${c.quiet.protocol} ${c.quiet.operation.name}`);
  }
});

test('unauthorized command: a newcomer writing to a device polled by its master fires; the master writing, or a lone client, does not', () => {
  const HMI = '10.10.1.10';
  const ATTACKER = '10.10.9.66';
  const base = polls({ from: 0, n: 30, every: 5, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: '10.10.1.21' });
  const alerts = detect([unauthorizedCommand], [
    ...base,
    tx({ ts: 100, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: '10.10.1.21' }),
    tx({ ts: 120, protocol: 'modbus', op: 'read_holding_registers', access: 'read', client: ATTACKER, server: '10.10.1.21' }),
    tx({ ts: 121, protocol: 'modbus', op: 'write_single_register', access: 'write', client: ATTACKER, server: '10.10.1.21', target: { area: 'holding_registers', address: 5 } }),
    tx({ ts: 122, protocol: 'modbus', op: 'write_multiple_registers', access: 'write', client: ATTACKER, server: '10.10.1.21' }),
  ]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].src!.ip, ATTACKER);
  assert.equal(alerts[0].count, 2);
  assert.deepEqual(alerts[0].facts.masters, [HMI]);
  assert.deepEqual(alerts[0].techniques, ['T0855', 'T0831']);
  // A single client commanding its device from the start: no master to compare with.
  assert.equal(detect([unauthorizedCommand], [tx({ ts: 1, protocol: 'dnp3', op: 'direct_operate', access: 'control', client: ATTACKER, server: '10.10.1.31', port: 20000 })]).length, 0);
});
