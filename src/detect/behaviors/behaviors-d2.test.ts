import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaptureFile } from '../../capture/open-capture.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import type { DetectedAlert } from '../alerts.js';
import { isTechniqueId } from '../attack/index.js';
import { arp, detect, flow, flowEnd, polls, tx, type Input } from '../testkit.js';
import type { ArpObservation } from '../types.js';
import { adversaryInTheMiddle, FLOOD_THRESHOLD, MANY_IPS_THRESHOLD } from './adversary-in-the-middle.js';
import { remoteServicesToControllerZone } from './remote-services.js';
import { externalRemoteServices } from './external-remote-services.js';
import { controllerExternal } from './controller-external.js';
import { controllerInternetAccessible } from './controller-internet-accessible.js';

const PLC = '10.10.1.22';
const HMI = '10.10.1.10';
const GW = '10.10.1.1';
const GW_MAC = '00:1b:1b:00:00:01';
const PLC_MAC = '00:1b:1b:00:00:22';
const HMI_MAC = '00:1b:1b:00:00:10';
const EVIL = '10.10.1.66';
const EVIL_MAC = '02:de:ad:be:ef:66';

const reply = (ts: number, senderIp: string, senderMac: string, targetIp = HMI): Input => arp({ ts, op: 'reply', senderIp, senderMac, targetIp });
const request = (ts: number, senderIp: string, senderMac: string, targetIp: string): Input => arp({ ts, op: 'request', senderIp, senderMac, targetIp });

/** A quiet cell for `seconds`: every host asks for its peers every 30 s and gets answered. */
function normalArp(from: number, seconds: number): Input[] {
  const out: Input[] = [];
  for (let t = from; t < from + seconds; t += 30) {
    out.push(request(t, HMI, HMI_MAC, PLC), reply(t + 0.001, PLC, PLC_MAC, HMI));
    out.push(request(t + 1, PLC, PLC_MAC, GW), reply(t + 1.001, GW, GW_MAC, PLC));
    out.push(request(t + 2, HMI, HMI_MAC, GW), reply(t + 2.001, GW, GW_MAC, HMI));
  }
  return out;
}

/** HMI polls the PLC: the PLC becomes a controller and 10.10.1.0/24 a controller zone. */
const polling = (from: number, n = 5): Input[] => polls({ from, n, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: PLC });

test('every technique of these detections is a current ATT&CK for ICS technique', () => {
  for (const d of [adversaryInTheMiddle, remoteServicesToControllerZone, externalRemoteServices, controllerExternal, controllerInternetAccessible]) {
    for (const t of d.techniques) assert.ok(isTechniqueId(t), `${d.id}: ${t}`);
    assert.ok(d.playbook.check.length > 0 && d.playbook.respond.length > 0, d.id);
  }
});

test('AitM: normal ARP traffic, a replaced device and a host with a few aliases stay quiet', () => {
  assert.equal(detect([adversaryInTheMiddle], normalArp(0, 600)).length, 0);
  // The PLC is swapped for a spare: a new MAC takes its address and the old one never comes back.
  const swap = [...normalArp(0, 300), reply(400, PLC, '00:1b:1b:00:99:99', HMI), reply(430, PLC, '00:1b:1b:00:99:99', HMI)];
  assert.equal(detect([adversaryInTheMiddle], swap).length, 0);
  // An engineering laptop with an address per cell.
  const aliases = [1, 2, 3, 4, 5].map((i) => request(i, `10.10.${i}.200`, '00:1b:1b:00:00:77', `10.10.${i}.1`));
  assert.equal(detect([adversaryInTheMiddle], aliases).length, 0);
});

test('AitM: an existing host taking the gateway\'s address fires once per intruder, critical when the address is a controller', () => {
  const inputs = [
    ...normalArp(0, 120),
    request(130, EVIL, EVIL_MAC, GW),
    reply(131, GW, EVIL_MAC, PLC),
    reply(133, GW, EVIL_MAC, PLC),
    reply(135, GW, GW_MAC, PLC), // the real gateway answers a request: alternation
    reply(137, GW, EVIL_MAC, PLC),
  ];
  const alerts = detect([adversaryInTheMiddle], inputs);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.src!.ip, EVIL);
  assert.equal(a.dst!.ip, GW);
  assert.equal(a.count, 3, 'takeover, the owner back, the intruder again');
  assert.deepEqual(a.evidence.map((e) => e.what), ['arp_takeover', 'arp_conflict', 'arp_conflict']);
  assert.equal(a.facts.intruder_mac, EVIL_MAC);
  assert.equal(a.facts.owner_mac, GW_MAC);
  assert.deepEqual(a.techniques, ['T0830']);
  assert.match(a.title, /ARP poisoning/);
  assert.equal(a.severity, 'high');

  const onPlc = detect([adversaryInTheMiddle], [...polling(0), reply(10, PLC, PLC_MAC), request(20, EVIL, EVIL_MAC, PLC), reply(21, PLC, EVIL_MAC, HMI)]);
  assert.equal(onPlc.length, 1);
  assert.equal(onPlc[0].severity, 'critical');
  assert.match(onPlc[0].title, /02:de:ad:be:ef:66 \(10\.10\.1\.66\) took over 10\.10\.1\.22 from 00:1b:1b:00:00:22/);
});

test('AitM: two MACs alternating for one address fire (an unknown MAC, no own address)', () => {
  const alerts = detect([adversaryInTheMiddle], [reply(0, PLC, PLC_MAC), reply(5, PLC, EVIL_MAC), reply(6, PLC, PLC_MAC), reply(7, PLC, EVIL_MAC)]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].src, null);
  assert.equal(alerts[0].facts.intruder_mac, EVIL_MAC);
  assert.equal(alerts[0].count, 2);
  // The intruder's own address showing up later updates the facts without splitting the alert.
  const later = detect([adversaryInTheMiddle], [reply(0, PLC, PLC_MAC), reply(5, PLC, EVIL_MAC), reply(6, PLC, PLC_MAC), request(7, EVIL, EVIL_MAC, GW), reply(8, PLC, EVIL_MAC)]);
  assert.equal(later.length, 1);
  assert.equal(later[0].facts.intruder_ip, EVIL);
  // The old MAC coming back after a long silence is a swap back, not an alternation.
  assert.equal(detect([adversaryInTheMiddle], [reply(0, PLC, PLC_MAC), reply(5, PLC, EVIL_MAC), reply(1000, PLC, PLC_MAC)]).length, 0);
});

test('AitM: first-hop redundancy virtual MACs moving among themselves stay quiet; a host taking the virtual address fires', () => {
  const GLBP_1 = '00:07:b4:00:01:01';
  const GLBP_2 = '00:07:b4:00:01:02';
  const glbp = [reply(0, GW, GLBP_1), reply(1, GW, GLBP_2), reply(2, GW, GLBP_1), reply(3, GW, GLBP_2)];
  assert.equal(detect([adversaryInTheMiddle], glbp).length, 0);
  const VRRP = '00:00:5e:00:01:0a';
  const hijack = [reply(0, GW, VRRP), request(1, EVIL, EVIL_MAC, GW), reply(2, GW, EVIL_MAC)];
  assert.equal(detect([adversaryInTheMiddle], hijack).length, 1);
});

test('AitM: one MAC claiming many addresses fires; the VLAN keeps identical cells apart', () => {
  const sweep: Input[] = [];
  for (let i = 1; i <= MANY_IPS_THRESHOLD + 2; i++) sweep.push(reply(i, `10.10.1.${100 + i}`, EVIL_MAC));
  const alerts = detect([adversaryInTheMiddle], sweep);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 3, 'the 8th, 9th and 10th address');
  assert.equal(alerts[0].facts.claimed_count, MANY_IPS_THRESHOLD + 2);
  assert.match(alerts[0].title, /claims 10 addresses/);
  // Over minutes (DHCP churn of a virtual machine host, say) the window never fills.
  const slow = sweep.map((i, n) => arp({ ...(i as { arp: ArpObservation }).arp, ts: n * 120 }));
  assert.equal(detect([adversaryInTheMiddle], slow).length, 0);
  // The same cell on three VLANs of a trunk: each VLAN's addresses are its own.
  const cells: Input[] = [];
  for (let vlan = 10; vlan < 13; vlan++) {
    cells.push(arp({ ts: vlan, op: 'reply', senderIp: PLC, senderMac: `00:1b:1b:00:${vlan}:22`, targetIp: HMI, vlan } as ArpObservation));
    cells.push(arp({ ts: vlan + 0.5, op: 'reply', senderIp: GW, senderMac: '00:1b:1b:00:00:01', targetIp: HMI, vlan } as ArpObservation));
  }
  assert.equal(detect([adversaryInTheMiddle], cells).length, 0);
});

test('AitM: a flood of unsolicited replies fires once per window; answered requests do not count', () => {
  const flood: Input[] = [];
  for (let i = 0; i < FLOOD_THRESHOLD * 2; i++) flood.push(reply(i * 0.1, EVIL, EVIL_MAC, `10.10.1.${i % 200}`));
  const alerts = detect([adversaryInTheMiddle], flood);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].evidence[0].what, 'arp_reply_flood');
  assert.equal(alerts[0].count, 1);
  const answered: Input[] = [];
  for (let i = 0; i < FLOOD_THRESHOLD * 2; i++) answered.push(request(i * 0.1, `10.10.1.${100 + (i % 50)}`, `00:1b:1b:00:01:${(i % 50).toString(16).padStart(2, '0')}`, GW), reply(i * 0.1 + 0.001, GW, GW_MAC, `10.10.1.${100 + (i % 50)}`));
  assert.equal(detect([adversaryInTheMiddle], answered).length, 0);
});

test('AitM: probes and zero or group sender MACs are not learned', () => {
  const odd = [
    arp({ ts: 0, op: 'request', senderIp: '0.0.0.0', senderMac: EVIL_MAC, targetIp: PLC }),
    reply(1, PLC, PLC_MAC),
    reply(2, PLC, '00:00:00:00:00:00'),
    reply(3, PLC, '03:bf:0a:0a:01:16'),
    reply(4, PLC, PLC_MAC),
  ];
  assert.equal(detect([adversaryInTheMiddle], odd).length, 0);
});

test('remote services: RDP from another subnet into a controller zone fires; inside the zone, unanswered, or no controller stays quiet', () => {
  const ENG = '10.20.0.5';
  const inputs = [
    ...polling(0),
    flowEnd(flow({ ts: 100, client: ENG, server: HMI, port: 3389 })),
    flowEnd(flow({ ts: 110, client: ENG, server: HMI, port: 3389 })),
    flowEnd(flow({ ts: 120, client: ENG, server: PLC, port: 23 })),
    flowEnd(flow({ ts: 130, client: HMI, server: '10.10.1.11', port: 445 })),
    flowEnd(flow({ ts: 140, client: ENG, server: HMI, port: 5900, toClient: 0 })),
    flowEnd(flow({ ts: 150, client: ENG, server: '10.30.0.9', port: 22, protocol: 'ssh' })),
    flowEnd(flow({ ts: 160, client: ENG, server: HMI, port: 80 })),
  ];
  const alerts = detect([remoteServicesToControllerZone], inputs);
  assert.equal(alerts.length, 2);
  const rdp = alerts.find((a) => a.facts.service === 'RDP')!;
  assert.equal(rdp.count, 2);
  assert.equal(rdp.severity, 'medium');
  assert.equal(rdp.facts.controller_zone, '10.10.1.0/24');
  assert.match(rdp.title, /RDP session from 10\.20\.0\.5 to 10\.10\.1\.10 in controller zone 10\.10\.1\.0\/24/);
  const telnet = alerts.find((a) => a.facts.service === 'Telnet')!;
  assert.equal(telnet.severity, 'high');
  assert.match(telnet.title, /Telnet session from 10\.20\.0\.5 to controller 10\.10\.1\.22/);
  assert.deepEqual(rdp.techniques, ['T0886']);
});

test('remote services: a session that ended before the controller was known is judged when it is', () => {
  const alerts = detect([remoteServicesToControllerZone], [flowEnd(flow({ ts: 10, client: '10.20.0.5', server: HMI, port: 22, protocol: 'ssh' })), ...polling(20)]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].facts.service, 'SSH');
  assert.equal(alerts[0].protocol, 'ssh');
});

test('external remote services: a public client fires the external detection only', () => {
  const inputs = [...polling(0), flowEnd(flow({ ts: 100, client: '203.0.113.7', server: HMI, port: 3389 }))];
  const ext = detect([externalRemoteServices], inputs);
  assert.equal(ext.length, 1);
  assert.equal(ext[0].severity, 'critical');
  assert.deepEqual(ext[0].techniques, ['T0822']);
  assert.match(ext[0].title, /RDP session from internet address 203\.0\.113\.7/);
  assert.equal(detect([remoteServicesToControllerZone], inputs).length, 0);
  assert.equal(detect([externalRemoteServices], [...polling(0), flowEnd(flow({ ts: 100, client: '10.20.0.5', server: HMI, port: 3389 }))]).length, 0);
});

test('controller external: a controller calling out fires; other hosts, private or multicast peers stay quiet', () => {
  const inputs = [
    ...polling(0),
    flowEnd(flow({ ts: 100, client: PLC, server: '198.51.100.20', port: 443, protocol: 'tls' })),
    flowEnd(flow({ ts: 101, client: PLC, server: '198.51.100.21', port: 4444, toClient: 0 })),
    flowEnd(flow({ ts: 102, client: HMI, server: '198.51.100.20', port: 443, protocol: 'tls' })),
    flowEnd(flow({ ts: 103, client: PLC, server: '10.30.0.9', port: 443 })),
    flowEnd(flow({ ts: 104, client: PLC, server: '239.1.1.1', port: 5000, transport: 'udp', toClient: 0 })),
  ];
  const alerts = detect([controllerExternal], inputs);
  assert.equal(alerts.length, 2);
  assert.match(alerts[0].title, /Controller 10\.10\.1\.22 connects to internet address 198\.51\.100\.20 \(tcp\/443, tls\)$/);
  assert.match(alerts[1].title, /unanswered/);
  assert.equal(detect([controllerInternetAccessible], inputs).length, 0);
});

test('controller internet accessible: a public client answered by a controller fires, critical over an industrial protocol', () => {
  const inputs = [
    ...polling(0),
    flowEnd(flow({ ts: 100, client: '192.0.2.44', server: PLC, port: 502, protocol: 'modbus' })),
    flowEnd(flow({ ts: 101, client: '192.0.2.45', server: PLC, port: 80, protocol: 'http' })),
    flowEnd(flow({ ts: 102, client: '192.0.2.46', server: PLC, port: 502, toClient: 0 })),
    flowEnd(flow({ ts: 103, client: '192.0.2.47', server: HMI, port: 80 })),
  ];
  const alerts = detect([controllerInternetAccessible], inputs);
  assert.equal(alerts.length, 2);
  assert.equal(alerts.find((a) => a.protocol === 'modbus')!.severity, 'critical');
  assert.equal(alerts.find((a) => a.protocol === 'http')!.severity, 'high');
  assert.deepEqual(alerts[0].techniques, ['T0883']);
  assert.equal(detect([controllerExternal], inputs).length, 0);
  // A plant numbered from its own public block: neighbours in the controller's /16, or seen in ARP, are not the internet.
  const ownBlock = [
    ...polls({ from: 0, n: 3, every: 1, protocol: 's7comm', op: 'read_var', client: '141.81.0.10', server: '141.81.0.14', port: 102 }),
    arp({ ts: 4, op: 'request', senderIp: '151.80.3.9', senderMac: '00:1b:1b:00:03:09', targetIp: '141.81.0.14' }),
    flowEnd(flow({ ts: 10, client: '141.81.0.10', server: '141.81.0.14', port: 102, protocol: 's7comm' })),
    flowEnd(flow({ ts: 11, client: '141.81.200.7', server: '141.81.0.14', port: 80 })),
    flowEnd(flow({ ts: 12, client: '151.80.3.9', server: '141.81.0.14', port: 102, protocol: 's7comm' })),
    flowEnd(flow({ ts: 13, client: '141.81.0.14', server: '141.81.0.14', port: 102 })),
  ];
  assert.equal(detect([controllerInternetAccessible, controllerExternal, externalRemoteServices], ownBlock).length, 0);
  // Before the PLC is known to be a controller the flow waits; it is judged when the PLC is.
  assert.equal(detect([controllerInternetAccessible], [flowEnd(flow({ ts: 1, client: '192.0.2.44', server: PLC, port: 502, protocol: 'modbus' })), ...polling(5)]).length, 1);
});

test('normal polling alone raises nothing from these detections', () => {
  const inputs = [...polling(0, 100), ...normalArp(0, 100), tx({ ts: 50, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC })];
  assert.equal(detect([adversaryInTheMiddle, remoteServicesToControllerZone, externalRemoteServices, controllerExternal, controllerInternetAccessible], inputs).length, 0);
});

const CORPUS = resolve(process.cwd(), '../shared/data/ics-corpus');
const ARP_HEAVY_NORMAL = [
  'iti-ics-security-tools/pcaps/MELSEC/melsoft_UDP_unclean_1.pcap',
  'emreekin-ics-pcaps/LocalPCAP/104ikiIP.pcap',
  'malcolm-test-artifacts/pcap/protocols/BSAP.pcap',
  'icsnpp-bsap/testing/traces/bsap-ip_example.pcap',
  'gymgit-s7-pcaps/wincc_s400_production.pcapng',
  'ct-samples/Protocols/S7comm/Plant1_S7comm.pcap',
  'iti-ics-security-tools/pcaps/EthernetIP/EthernetIP-CIP.pcap',
];

async function analyze(path: string): Promise<DetectedAlert[]> {
  const p = new Pipeline({ detection: { detections: [adversaryInTheMiddle, remoteServicesToControllerZone, externalRemoteServices, controllerExternal, controllerInternetAccessible] } });
  await readCaptureFile(join(CORPUS, path), p, p.anomalies, {});
  p.finish();
  assert.deepEqual(p.detection!.errorSamples, []);
  return [...p.detection!.alerts.records()];
}

test('corpus: ARP-heavy normal captures (and controllers numbered from public blocks) stay quiet; the Synchrophasor capture\'s poisoning fires', { skip: existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}` }, async () => {
  for (const path of ARP_HEAVY_NORMAL) assert.deepEqual((await analyze(path)).map((a) => a.title), [], path);
  // Two MACs answer for 192.168.0.18 in turn, each with unsolicited replies every 1.6 s to a different victim.
  const alerts = await analyze('malcolm-test-artifacts/pcap/protocols/Synchrophasor.pcap');
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].detection, 'behavior.adversary_in_the_middle');
  assert.equal(alerts[0].dst!.ip, '192.168.0.18');
});
