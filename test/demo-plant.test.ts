// The demo plant capture (scripts/demo-plant): Lantern's pipeline must decode its polling, find every attack step of
// the sidecar at its time, and build the plant's inventory with the expected roles; tshark, when present, decodes the
// same attack messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { TransactionRecord, RepeatSummaryRecord } from '../src/pipeline/detail.js';
import type { FlowRecord } from '../src/flow/flow.js';
import type { AssetRecord } from '../src/inventory/snapshot.js';
import { REPO_ROOT } from './support.js';

const run = promisify(execFile);
const CAPTURE = join(REPO_ROOT, 'demo', 'demo-plant.pcapng');
const SIDECAR = join(REPO_ROOT, 'demo', 'demo-plant.attacks.json');
const NO_CAPTURE = existsSync(CAPTURE) && existsSync(SIDECAR) ? false : 'demo-plant.pcapng absent: run scripts/demo-plant (see its README)';
const NO_TSHARK = NO_CAPTURE || (spawnSync('tshark', ['--version']).status === 0 ? false : 'tshark not installed: demo plant tshark check SKIPPED');

interface Step {
  step: number;
  id: string;
  start_ts: number;
  end_ts: number;
  src: string;
  dst: string | string[];
  protocol: string;
  technique: string;
}

interface Analysed {
  pipeline: Pipeline;
  tx: TransactionRecord[];
  flows: FlowRecord[];
  assets: AssetRecord[];
  steps: Step[];
}

/** Capture time slack around a step: the sidecar's times are the attacking process's clock, the frames the kernel's. */
const SLACK_SEC = 0.5;

let analysed: Promise<Analysed> | undefined;
function analyse(): Promise<Analysed> {
  analysed ??= (async () => {
    const tx: TransactionRecord[] = [];
    const flows: FlowRecord[] = [];
    const pipeline = new Pipeline({
      detail: { level: 'full' },
      events: {
        transaction: (r: TransactionRecord | RepeatSummaryRecord) => {
          if (r.type === 'transaction') tx.push(r as TransactionRecord);
        },
        hint: () => {},
      },
      flowListener: { onFlowEnd: (r) => flows.push(r) },
    });
    await readCaptureFile(CAPTURE, pipeline, pipeline.anomalies);
    pipeline.finish();
    const steps = (JSON.parse(readFileSync(SIDECAR, 'utf8')) as { steps: Step[] }).steps;
    return { pipeline, tx, flows, assets: [...pipeline.inventorySnapshot()!.assets()], steps };
  })();
  return analysed;
}

const stepOf = (a: Analysed, id: string): Step => {
  const s = a.steps.find((x) => x.id === id);
  assert.ok(s, `sidecar has no step ${id}`);
  return s;
};
const inStep = (s: Step, ts: number) => ts >= s.start_ts - SLACK_SEC && ts <= s.end_ts + SLACK_SEC;
const txOfStep = (a: Analysed, id: string) => {
  const s = stepOf(a, id);
  return a.tx.filter((t) => t.client.ip === s.src && inStep(s, t.ts));
};
const opNames = (tx: TransactionRecord[]) => tx.map((t) => t.operation.name);

test('demo plant: decoded without internal error, every plant protocol detected', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  assert.deepEqual(a.pipeline.errorSamples, []);
  const protocols = new Set(a.tx.map((t) => t.protocol));
  for (const p of ['modbus', 'dnp3', 's7comm', 'opcua', 'dhcp']) assert.ok(protocols.has(p), `no ${p} transaction`);
  // Normal polling: the HMI reads PLC-1 about once a second, the historian reads all three controllers.
  const hmiReads = a.tx.filter((t) => t.client.ip === '10.10.1.10' && t.server.ip === '10.10.1.21' && t.operation.name === 'read_holding_registers');
  assert.ok(hmiReads.length >= 100, `${hmiReads.length} HMI Modbus reads`);
  assert.ok(a.tx.some((t) => t.client.ip === '10.10.1.10' && t.operation.name === 'select' && t.outcome === 'ok'), 'no HMI CROB select');
  assert.ok(a.tx.some((t) => t.client.ip === '10.10.1.10' && t.operation.name === 'operate' && t.outcome === 'ok'), 'no HMI CROB operate');
  for (const server of ['10.10.1.21', '10.10.1.22', '10.10.1.31']) {
    assert.ok(a.tx.some((t) => t.client.ip === '10.10.2.5' && t.server.ip === server && t.operation.access === 'read'), `historian never reads ${server}`);
  }
});

test('demo plant: the attacker scans the controllers ports', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const s = stepOf(a, 'port_scan');
  const probed = new Set(a.flows.filter((f) => f.client.ip === s.src && f.transport === 'tcp' && inStep(s, f.firstTs)).map((f) => `${f.server.ip}:${f.server.port}`));
  for (const ip of ['10.10.1.21', '10.10.1.22', '10.10.1.31']) {
    for (const port of [502, 102, 20000, 44818, 2404]) assert.ok(probed.has(`${ip}:${port}`), `${ip}:${port} not probed`);
  }
});

test('demo plant: the Modbus device identification sweep covers 8 unit ids', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const tx = txOfStep(a, 'modbus_device_id_sweep');
  assert.ok(tx.every((t) => t.protocol === 'modbus' && t.operation.code === 43 && t.operation.access === 'discovery'));
  assert.deepEqual([...new Set(tx.map((t) => t.target.unit))].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(tx.some((t) => t.outcome === 'ok') && tx.some((t) => t.outcome === 'no_response'));
});

test('demo plant: unauthorized Modbus writes to PLC-1', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const tx = txOfStep(a, 'modbus_unauthorized_write');
  assert.deepEqual(tx.map((t) => [t.server.ip, t.operation.code, t.operation.name, t.operation.access, t.outcome]), [
    ['10.10.1.21', 6, 'write_single_register', 'write', 'ok'],
    ['10.10.1.21', 16, 'write_multiple_registers', 'write', 'ok'],
  ]);
});

test('demo plant: S7 block download and PLC stop on PLC-2', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const download = txOfStep(a, 's7_block_download').filter((t) => t.protocol === 's7comm');
  assert.deepEqual(opNames(download), ['setup_communication', 'request_download', 'download_block', 'download_ended', 'pi_service']);
  assert.ok(download.every((t) => t.server.ip === '10.10.1.22' && t.outcome === 'ok'));
  // The CPU pulls the block: download_block and download_ended are jobs of the server.
  assert.deepEqual(download.map((t) => t.origin), ['client', 'client', 'server', 'server', 'client']);
  const stop = txOfStep(a, 's7_plc_stop');
  assert.deepEqual(stop.map((t) => [t.server.ip, t.operation.code, t.operation.name, t.operation.access, t.outcome]), [['10.10.1.22', 0x29, 'plc_stop', 'control', 'ok']]);
});

test('demo plant: DNP3 cold restart of the RTU from an unknown master', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const tx = txOfStep(a, 'dnp3_cold_restart');
  assert.deepEqual(tx.map((t) => [t.server.ip, t.operation.code, t.operation.name, t.operation.access, t.outcome]), [['10.10.1.31', 13, 'cold_restart', 'control', 'ok']]);
});

test('demo plant: no attack operation outside the attack steps', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const attackOps = new Set(['request_download', 'download_block', 'download_ended', 'pi_service', 'plc_stop', 'cold_restart']);
  const stray = a.tx.filter((t) => attackOps.has(t.operation.name) && !a.steps.some((s) => inStep(s, t.ts)));
  assert.deepEqual(stray.map((t) => `${t.ts} ${t.client.ip} ${t.operation.name}`), []);
});

test('demo plant: inventory finds the plant assets with their roles', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const byIp = (ip: string) => {
    const asset = a.assets.find((x) => x.ips.includes(ip) && x.macs.some((m) => !m.startsWith('02:de:ad')));
    assert.ok(asset, `no asset ${ip}`);
    return asset;
  };
  const expected: [string, string][] = [
    ['10.10.1.21', 'controller'],
    ['10.10.1.22', 'controller'],
    ['10.10.1.31', 'controller'],
    ['10.10.1.10', 'hmi_scada'],
    ['10.10.1.50', 'engineering_workstation'],
    ['10.10.2.5', 'historian'],
  ];
  assert.deepEqual(
    expected.map(([ip]) => [ip, byIp(ip).role]),
    expected,
  );
  const plc2 = byIp('10.10.1.22');
  assert.equal(plc2.identity.order_number, '6ES7 315-2EH14-0AB0');
  assert.equal(plc2.identity.plc_name, 'PLC-2 FILLING');
  assert.match(String(plc2.mac_vendor), /^Siemens/);
  assert.equal(byIp('10.10.1.21').identity.vendor, 'Schneider Electric');
  for (const [ip, name] of [['10.10.1.10', 'HMI-OPS-01'], ['10.10.1.50', 'EWS-ENG-01'], ['10.10.2.5', 'HIST-01']]) {
    assert.ok(byIp(ip).names.some((n) => n.name === name && n.source === 'dhcp'), `${ip} not named ${name}`);
  }
  // The ARP spoof: a second MAC claims PLC-1's address (the detections of issue 6 flag it).
  assert.ok(a.assets.some((x) => x.ips.includes('10.10.1.21') && x.macs.includes('02:de:ad:be:ef:21')), 'rogue MAC not seen for 10.10.1.21');
  // The new host that downloaded a program and stopped a CPU looks like an engineering workstation.
  assert.equal(byIp('10.10.9.66').role, 'engineering_workstation');
});

test('demo plant: tshark decodes the same attack messages, in the same order, inside the attack steps', { skip: NO_TSHARK }, async () => {
  const a = await analyse();
  const { stdout } = await run('tshark', [
    '-r', CAPTURE, '-Y', 'ip.src == 10.10.9.66 && (modbus.func_code || s7comm.param.func || dnp3.al.func)',
    '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'modbus.func_code', '-e', 's7comm.param.func', '-e', 'dnp3.al.func',
  ], { maxBuffer: 16 * 1024 * 1024 });
  const rows = stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  const tsharkCodes = rows.map(([, mb, s7, dnp]) => (mb !== '' ? `modbus ${mb}` : s7 !== '' ? `s7comm ${Number(s7)}` : `dnp3 ${dnp}`));
  // Lantern's requests of the attacker, in order; S7 jobs the PLC sent in that connection are acked by the attacker.
  const lantern = a.tx
    .filter((t) => t.client.ip === '10.10.9.66')
    .sort((x, y) => x.ts - y.ts)
    .map((t) => `${t.protocol} ${t.operation.code}`);
  assert.deepEqual(tsharkCodes, lantern);
  const outside = rows.filter(([ts]) => !a.steps.some((s) => inStep(s, Number(ts))));
  assert.deepEqual(outside, []);
});

test('demo plant: every attack step raises an alert of its technique, on its hosts, within a minute of its start; the normal polling raises none', { skip: NO_CAPTURE }, async () => {
  const a = await analyse();
  const alerts = [...a.pipeline.detection!.alerts.records((ip) => a.pipeline.assetIdOf(ip))];
  const attacker = new Set(['10.10.9.66', '02:de:ad:be:ef:21']);
  for (const s of a.steps) {
    const hosts = new Set([s.src, ...(Array.isArray(s.dst) ? s.dst : [s.dst])]);
    const hit = alerts.find(
      (al) => al.techniques.includes(s.technique) && [al.src?.ip, al.dst?.ip, al.facts.intruder_mac].some((h) => typeof h === 'string' && hosts.has(h)) && al.first_seen >= s.start_ts - SLACK_SEC && al.first_seen <= s.start_ts + 60,
    );
    assert.ok(hit, `step ${s.id} (${s.technique}): no alert; alerts: ${alerts.map((x) => `${x.detection} ${x.techniques.join(',')} ${x.src?.ip}->${x.dst?.ip} @${x.first_seen}`).join('; ')}`);
  }
  // Outside the attacker's doings, only the engineering workstation's routine program upload may alert.
  const others = alerts.filter((al) => !attacker.has(al.src?.ip ?? '') && !attacker.has(String(al.facts.intruder_mac)) && al.detection !== 'behavior.program_upload' && al.kind === 'behavior');
  assert.deepEqual(others.map((x) => x.title), []);
});
