import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCaptureFile } from '../../capture/open-capture.js';
import { CORPUS_DIR, CORPUS_SKIP_REASON } from '../../common/corpus.js';
import type { FlowRecord } from '../../flow/flow.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import { isTechniqueId } from '../attack/index.js';
import { detect, flowEnd, polls, tx, type Input } from '../testkit.js';
import { remoteDiscovery, IDENTIFY_MIN_SERVERS, ADDRESS_SWEEP_MIN, BROADCAST_MIN } from './remote-discovery.js';
import { portScan } from './port-scan.js';
import { bruteForceIo } from './brute-force-io.js';
import { denialOfService, DISTRESS_MIN, FLOOD_MIN_REQUESTS } from './denial-of-service.js';
import { spoofedReporting } from './spoofed-reporting.js';

const HMI = '10.10.1.10';
const ATTACKER = '10.10.9.66';
const PLC = '10.10.1.21';
const RTU = '10.10.1.31';
const ALL = [remoteDiscovery, portScan, bruteForceIo, denialOfService, spoofedReporting];

/** A plant's normal traffic: an HMI polling three devices on Modbus, DNP3 and IEC 104 for ten minutes, with writes. */
function normalPlant(): Input[] {
  const inputs: Input[] = [];
  for (let s = 0; s < 600; s += 2) {
    inputs.push(tx({ ts: s, protocol: 'modbus', op: 'read_holding_registers', access: 'read', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 0, count: 10 } }));
    inputs.push(tx({ ts: s + 0.1, protocol: 'modbus', op: 'read_coils', access: 'read', client: HMI, server: PLC, target: { unit: 2, area: 'coils', address: 0, count: 16 } }));
    inputs.push(tx({ ts: s + 0.2, protocol: 'dnp3', op: 'read', access: 'read', client: HMI, server: RTU, port: 20000, target: { unit: 10, area: 'class_data' } }));
    // A watchdog register rewritten every second, all along.
    inputs.push(tx({ ts: s + 0.3, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 99 } }));
    inputs.push(tx({ ts: s + 1.3, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 99 } }));
    if (s % 60 === 0) inputs.push(tx({ ts: s + 0.4, protocol: 'dnp3', op: 'unsolicited_response', origin: 'server', client: HMI, server: RTU, port: 20000, target: { unit: 10 } }));
    if (s % 30 === 0) inputs.push(tx({ ts: s + 0.5, protocol: 'iec104', op: 'M_ME_NC_1', access: 'read', origin: 'server', client: HMI, server: '10.10.1.41', port: 2404, target: { unit: 1 } }));
  }
  inputs.push(tx({ ts: 300, protocol: 'modbus', op: 'encapsulated_interface_transport', sub: 'read_device_identification', access: 'discovery', client: HMI, server: PLC }));
  inputs.push(tx({ ts: 301, protocol: 'iec104', op: 'startdt', access: 'control', client: HMI, server: '10.10.1.41', port: 2404 }));
  return inputs;
}

const probe = (ts: number, src: string, host: string, port: number, o: Partial<FlowRecord> = {}): Input =>
  flowEnd({
    id: Math.floor(ts * 1000) + port,
    transport: 'tcp',
    ipProto: 6,
    client: { ip: src, port: 51366 },
    server: { ip: host, port },
    roleSource: 'handshake',
    vlan: [0, 0],
    protocol: 'undecided',
    firstTs: ts,
    lastTs: ts + 0.01,
    packetsToServer: 1,
    packetsToClient: 1,
    bytesToServer: 60,
    bytesToClient: 60,
    payloadBytesToServer: 0,
    payloadBytesToClient: 0,
    endReason: 'rst',
    tcp: { handshake: true, gaps: 0, gapBytes: 0, retransmissions: 0, overlapMismatches: 0 },
    ...o,
  });

test('d1 detections declare current ATT&CK techniques and playbooks', () => {
  for (const d of ALL) {
    assert.match(d.id, /^behavior\.[a-z_]+$/);
    for (const t of d.techniques) assert.ok(isTechniqueId(t), `${d.id}: ${t}`);
    assert.ok(d.playbook.meaning.length > 40 && d.playbook.check.length > 0 && d.playbook.respond.length > 0, d.id);
  }
});

test('normal plant traffic (polls, a cyclic watchdog write, expected unsolicited reports, one identification) raises nothing', () => {
  const alerts = detect(ALL, normalPlant());
  assert.deepEqual(alerts.map((a) => a.title), []);
});

test('remote discovery: identification of many devices, a unit-id sweep, an address sweep and repeated broadcasts fire', () => {
  const inputs: Input[] = [];
  for (let i = 0; i < 8; i++) inputs.push(tx({ ts: 10 + i, protocol: 's7comm', op: 'cpu_functions', sub: 'read_szl', access: 'discovery', client: ATTACKER, server: `10.10.2.${i + 1}`, port: 102 }));
  // DNP3 reconnaissance as in the QUT set: reads to outstation addresses 0..3, none answered.
  for (let u = 0; u < 4; u++) inputs.push({ ...tx({ ts: 50 + u * 0.01, protocol: 'dnp3', op: 'read', access: 'read', outcome: 'no_response', client: ATTACKER, server: RTU, port: 20000, target: { unit: u } }), dnp3: { master: 1, outstation: u } } as Input);
  // A Modbus register-map scan as in Lemay's characterization capture: each address refused.
  for (let a = 0; a < ADDRESS_SWEEP_MIN + 5; a++) {
    inputs.push(tx({ ts: 100 + a * 0.1, protocol: 'modbus', op: 'read_input_registers', access: 'read', outcome: 'exception', client: ATTACKER, server: PLC, target: { unit: 1, area: 'input_registers', address: a, count: 1 } }));
  }
  for (let i = 0; i < BROADCAST_MIN; i++) inputs.push(tx({ ts: 200 + i, protocol: 'bacnet', op: 'who_is', access: 'discovery', client: ATTACKER, server: '10.10.255.255', port: 47808 }));
  const alerts = detect([remoteDiscovery], inputs);
  const byKey = (title: RegExp) => alerts.find((a) => title.test(a.title));
  const identify = byKey(/identified/)!;
  assert.ok(identify, 'identification sweep');
  assert.equal(identify.count, 8 - IDENTIFY_MIN_SERVERS + 1);
  assert.equal(identify.src!.ip, ATTACKER);
  assert.deepEqual(identify.techniques, ['T0846', 'T0888', 'T0861']);
  assert.match(byKey(/link-address sweep/)!.title, /dnp3 link-address sweep of 10\.10\.1\.31 by 10\.10\.9\.66 \(4 master\/outstation pairs, 4 unanswered/);
  assert.match(byKey(/modbus address sweep/)!.title, /modbus address sweep of 10\.10\.1\.21/);
  assert.ok(byKey(/discovery broadcasts/));
  assert.equal(alerts.length, 4);
});

test('remote discovery stays quiet on a gateway polling a few units, one of them dead', () => {
  const inputs: Input[] = [];
  for (let s = 0; s < 300; s += 1) {
    for (let u = 1; u <= 6; u++) inputs.push(tx({ ts: s + u * 0.01, protocol: 'modbus', op: 'read_holding_registers', access: 'read', outcome: u === 6 ? 'no_response' : 'ok', client: HMI, server: PLC, target: { unit: u, area: 'holding_registers', address: 0 } }));
  }
  assert.equal(detect([remoteDiscovery], inputs).length, 0);
});

test('port scan: empty connections to an industrial port across hosts fire; retries and data connections do not', () => {
  const hosts = ['192.168.10.185', '192.168.10.1', '192.168.10.222', '192.168.10.20', '192.168.10.221'];
  const alerts = detect([portScan], hosts.map((h, i) => probe(10 + i * 0.1, ATTACKER, h, 20000)));
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].title, /Port scan from 10\.10\.9\.66: 5 ports probed on 5 industrial hosts/);
  assert.deepEqual(alerts[0].techniques, ['T0846']);
  // A master retrying three offline outstations every 10 s, and one with real sessions to many hosts.
  const quiet: Input[] = [];
  for (let s = 0; s < 300; s += 10) for (const h of hosts.slice(0, 3)) quiet.push(probe(s, HMI, h, 20000, { packetsToClient: 0, endReason: 'idle' }));
  for (let i = 0; i < 20; i++) quiet.push(probe(400 + i, HMI, `10.10.3.${i}`, 502, { payloadBytesToServer: 12, payloadBytesToClient: 11, packetsToServer: 4 }));
  // Non-industrial ports on ordinary hosts.
  for (let i = 0; i < 20; i++) quiet.push(probe(500 + i * 0.01, ATTACKER, `10.10.4.${i}`, 445));
  assert.equal(detect([portScan], quiet).length, 0);
});

test('brute force I/O: a burst of writes to one coil fires once; a steady cyclic write and writes spread over points do not', () => {
  const burst: Input[] = polls({ from: 0, n: 20, every: 5, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC });
  for (let i = 0; i < 40; i++) burst.push(tx({ ts: 100 + i * 0.1, protocol: 'modbus', op: 'write_single_coil', access: 'write', client: ATTACKER, server: PLC, target: { unit: 1, area: 'coils', address: 7 } }));
  const alerts = detect([bruteForceIo], burst);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].title, /writes in 10 s to one point of 10\.10\.1\.21 by 10\.10\.9\.66 \(modbus coils 7, unit 1\)/);
  assert.deepEqual(alerts[0].techniques, ['T0806']);
  // A point rewritten 3 times a second since the capture began: its first window only sets its rate.
  const steady: Input[] = [];
  // It pauses for a minute (a covert-channel coil in Lemay's capture does) and resumes: still the same cyclic writer.
  for (let i = 0; i < 900; i++) steady.push(tx({ ts: i * 0.33 + (i >= 450 ? 60 : 0), protocol: 'modbus', op: 'write_multiple_registers', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 0 } }));
  for (let i = 0; i < 100; i++) steady.push(tx({ ts: 400 + i * 0.05, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 1000 + i } }));
  // Writes without a point address (OPC UA AddNodes).
  for (let i = 0; i < 40; i++) steady.push(tx({ ts: 500 + i * 0.1, protocol: 'opcua', op: 'add_nodes', access: 'write', client: HMI, server: PLC, port: 4840 }));
  assert.equal(detect([bruteForceIo], steady).length, 0);
});

test('denial of service: a request flood, a storm of busy answers and a STARTDT from a newcomer fire', () => {
  const inputs: Input[] = polls({ from: 0, n: 60, every: 1, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC });
  for (let i = 0; i < FLOOD_MIN_REQUESTS + 10; i++) inputs.push(tx({ ts: 100 + i * 0.008, protocol: 'modbus', op: 'read_coils', access: 'read', client: ATTACKER, server: PLC, target: { unit: 1, area: 'coils', address: 0 } }));
  for (let i = 0; i < DISTRESS_MIN; i++) {
    const t = tx({ ts: 200 + i * 0.5, protocol: 'modbus', op: 'read_holding_registers', access: 'read', outcome: 'exception', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: i % 5 } });
    inputs.push({ ...t, error: { code: 6, name: 'server_device_busy' } });
  }
  const alerts = detect([denialOfService], inputs);
  assert.deepEqual(
    alerts.map((a) => a.title),
    [
      'Request flood: 10.10.9.66 sent 500 modbus requests to 10.10.1.21 in 5 s (busiest before: 0)',
      '10.10.1.21 answered 20 modbus requests from 10.10.1.10 with server_device_busy in 60 s: overloaded or failing',
    ],
  );
  assert.deepEqual(alerts[0].techniques, ['T0814', 'T0815']);
  const iec: Input[] = polls({ from: 0, n: 40, every: 5, protocol: 'iec104', op: 'C_IC_NA_1', client: HMI, server: '10.10.1.41', port: 2404 });
  iec.push(tx({ ts: 210, protocol: 'iec104', op: 'startdt', access: 'control', client: ATTACKER, server: '10.10.1.41', port: 2404 }));
  iec.push(tx({ ts: 211, protocol: 'iec104', op: 'stopdt', access: 'control', client: HMI, server: '10.10.1.41', port: 2404 }));
  const dt = detect([denialOfService], iec);
  assert.equal(dt.length, 1);
  assert.match(dt[0].title, /IEC 104 STARTDT to 10\.10\.1\.41 from 10\.10\.9\.66, not its master \(10\.10\.1\.10\)/);
});

test('denial of service stays quiet on a fast poller at its usual rate, request errors, and one packet of many requests', () => {
  const inputs: Input[] = [];
  // 300 requests a second from the start of the capture, as emreekin's EtherNet/IP HMI does.
  for (let i = 0; i < 30000; i++) inputs.push(tx({ ts: i / 300, protocol: 'enip', op: 'read_tag', access: 'read', client: HMI, server: PLC, port: 44818 }));
  // An HMI polling a point the device does not have, for ever.
  for (let i = 0; i < 200; i++) {
    const t = tx({ ts: i * 0.5, protocol: 's7comm', op: 'read_var', access: 'read', outcome: 'exception', client: HMI, server: '10.10.1.22', port: 102 });
    inputs.push({ ...t, error: { code: 5, name: 'address_out_of_range' } });
  }
  // A CIP multiple-service packet: 600 requests at one instant.
  for (let i = 0; i < 600; i++) inputs.push(tx({ ts: 150, protocol: 'enip', op: 'read_tag', access: 'read', client: ATTACKER, server: PLC, port: 44818 }));
  inputs.sort((a, b) => (a as { ts: number }).ts - (b as { ts: number }).ts);
  assert.equal(detect([denialOfService], inputs).length, 0);
});

test('spoofed reporting: DNP3 unsolicited data from a non-outstation, IEC 104 monitor data from the client and orphan Modbus responses fire', () => {
  const inputs: Input[] = [
    tx({ ts: 1, protocol: 'dnp3', op: 'read', access: 'read', client: HMI, server: RTU, port: 20000, target: { unit: 10, area: 'class_data' } }),
    tx({ ts: 2, protocol: 'dnp3', op: 'unsolicited_response', origin: 'server', client: HMI, server: RTU, port: 20000, target: { unit: 10 } }),
    // The attacker connects to the master's DNP3 port and reports under outstation address 10.
    tx({ ts: 10, protocol: 'dnp3', op: 'unsolicited_response', origin: 'client', client: ATTACKER, server: HMI, port: 20000, target: { unit: 10, area: 'binary_input_event' } }),
    tx({ ts: 20, protocol: 'iec104', op: 'M_SP_NA_1', access: 'read', origin: 'client', client: ATTACKER, server: '10.10.1.41', port: 2404, target: { unit: 1 } }),
  ];
  for (let i = 0; i < 6; i++) inputs.push(tx({ ts: 30 + i, protocol: 'modbus', op: 'read_holding_registers', access: 'read', origin: 'server', client: HMI, server: ATTACKER, flow: 9001 }));
  const alerts = detect([spoofedReporting], inputs);
  assert.deepEqual(
    alerts.map((a) => a.title),
    [
      'DNP3 unsolicited response to master 10.10.1.10 from 10.10.9.66, never seen answering as an outstation, claiming outstation address 10 of 10.10.1.31',
      'IEC 104 monitor data (M_SP_NA_1) sent by the controlling side 10.10.9.66 to 10.10.1.41',
      'Modbus responses without requests from 10.10.9.66 to 10.10.1.10 (6 in 60 s)',
    ],
  );
  assert.equal(alerts[2].count, 2);
  // An orphan response at the start of a capture, and unsolicited data to a master nothing is known of, stay quiet.
  const quiet = [
    tx({ ts: 1, protocol: 'modbus', op: 'read_coils', access: 'read', origin: 'server', client: HMI, server: PLC }),
    tx({ ts: 2, protocol: 'dnp3', op: 'unsolicited_response', origin: 'server', client: HMI, server: RTU, port: 20000, target: { unit: 10 } }),
  ];
  assert.equal(detect([spoofedReporting], quiet).length, 0);
});

/** Alerts of the d1 detections over one corpus capture, as `detection title` lines. */
async function corpusAlerts(path: string): Promise<string[]> {
  const p = new Pipeline({ events: null, inventory: null, detection: { detections: ALL } });
  await readCaptureFile(join(CORPUS_DIR, path), p, p.anomalies);
  p.finish();
  assert.deepEqual(p.detection!.errorSamples, [], path);
  return [...p.detection!.alerts.records()].map((a) => `${a.detection} ${a.title}`);
}

test('corpus: normal Modbus, DNP3, S7, EtherNet/IP, BACnet and IEC 104 captures raise nothing', { skip: CORPUS_SKIP_REASON }, async () => {
  for (const path of [
    'icsnpp-modbus/testing/traces/modbus_example.pcap',
    'modbus-dataset-lemay/channel_4d_12s.pcap',
    'modbus-dataset-lemay/channel_4d_9s.pcap',
    'icsnpp-dnp3/testing/traces/dnp3_example.pcap',
    'ct-samples/Protocols/S7comm/Plant1_S7comm.pcap',
    'emreekin-ics-pcaps/LocalPCAP/cip_cotp_proces.pcap',
    'iti-ics-security-tools/pcaps/EthernetIP/EthernetIP-CIP.pcap',
    'icsnpp-bacnet/testing/traces/bacnet_example.pcap',
    'emreekin-ics-pcaps/IEC60870-104/104IPValue.pcap',
  ]) {
    assert.deepEqual(await corpusAlerts(path), [], path);
  }
});

test('corpus: Lemay\'s Modbus register scan and QUT\'s nmap sweep and DNP3 reconnaissance fire', { skip: CORPUS_SKIP_REASON }, async () => {
  assert.deepEqual(await corpusAlerts('modbus-dataset-lemay/characterization_modbus_6RTU_with_operate.pcap'), [
    'behavior.remote_discovery modbus address sweep of 192.168.1.104 by 192.168.1.101 (50+ addresses refused in 60 s, input_registers)',
  ]);
  // The attack log: nmap 16:51:22-16:51:25, reconnaissance of 192.168.10.222 16:51:35-16:51:39 (UTC+10).
  assert.deepEqual(await corpusAlerts('qut-dnp3-2017/Replay/replay/testing/infrequent/attacker.pcap'), [
    'behavior.port_scan Port scan from 192.168.10.66: 5 ports probed on 5 industrial hosts',
    'behavior.remote_discovery dnp3 link-address sweep of 192.168.10.222 by 192.168.10.66 (5 master/outstation pairs, 4 unanswered, in 60 s)',
  ]);
  // Injection's reconnaissance tries master addresses 0-10 against outstation address 0, then 0-5 against 1.
  assert.ok(
    (await corpusAlerts('qut-dnp3-2017/Injection/injection/testing/infrequent/attacker.pcap')).includes('behavior.remote_discovery dnp3 link-address sweep of 192.168.10.222 by 192.168.10.66 (5 master/outstation pairs, 4 unanswered, in 60 s)'),
  );
});
