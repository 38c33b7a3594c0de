// The inventory against independent records of the same captures: ICSNPP's cip_identity.log and bacnet_discovery.log,
// the snap7 client's own printout of the S7-300 it read, and tshark's LLDP/CDP decode. Every asset of the whole corpus
// is also built once, to check the inventory never fails and what it says stays consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { AssetRecord, InventorySnapshot } from '../src/inventory/snapshot.js';
import { writeInventory } from '../src/cli/export-inventory.js';
import { CORPUS_DIR, CORPUS_PRESENT, readManifest } from './support.js';

const run = promisify(execFile);
const NO_CORPUS = CORPUS_PRESENT ? false : 'corpus absent: inventory corpus suite SKIPPED';
const NO_TSHARK = NO_CORPUS || (spawnSync('tshark', ['--version']).status === 0 ? false : 'tshark not installed: LLDP/CDP inventory check SKIPPED');

interface Inventoried {
  snap: InventorySnapshot;
  assets: AssetRecord[];
}

async function inventoryOf(path: string): Promise<Inventoried> {
  const p = new Pipeline({ events: null });
  await readCaptureFile(path, p, p.anomalies);
  p.finish();
  assert.deepEqual(p.errorSamples, [], path);
  const snap = p.inventorySnapshot()!;
  return { snap, assets: [...snap.assets()] };
}

const assetWithIp = (snap: Inventoried, ip: string): AssetRecord => {
  const a = snap.assets.find((x) => x.ips.includes(ip));
  assert.ok(a, `no asset with ${ip}`);
  return a;
};

/** Zeek log rows as field-name → value maps. */
function zeekLog(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))?.split('\t').slice(1);
  return lines
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const v = l.split('\t');
      return Object.fromEntries((fields ?? v.map((_, i) => String(i))).map((f, i) => [f, v[i]]));
    });
}

const simplify = (s: unknown) => String(s).toLowerCase().replace(/[^a-z0-9]/g, '');

test('corpus: CIP identity equals ICSNPP cip_identity.log', { skip: NO_CORPUS }, async () => {
  const snap = await inventoryOf(join(CORPUS_DIR, 'icsnpp-enip/tests/traces/enip_cip_example.pcap'));
  // The baseline has no #fields header; the columns are ICSNPP-ENIP's cip_identity record in order.
  const rows = zeekLog(join(CORPUS_DIR, 'icsnpp-enip/tests/baseline/analyzer.basic/cip_identity.log'));
  assert.equal(rows.length, 1);
  for (const r of rows) {
    const id = assetWithIp(snap, r['7']).identity;
    assert.deepEqual(
      { vendor: id.vendor, vendor_id: id.vendor_id, product_code: id.product_code, firmware: id.firmware, serial: id.serial, product: id.product },
      { vendor: r['15'], vendor_id: Number(r['14']), product_code: Number(r['18']), firmware: r['19'], serial: r['21'], product: r['22'] },
    );
    assert.equal(simplify(id.device_type), simplify(r['17']));
  }
});

test('corpus: S7-300 identity equals what the snap7 client printed', { skip: NO_CORPUS }, async () => {
  const snap = await inventoryOf(join(CORPUS_DIR, 'gymgit-s7-pcaps/snap7_s300_everything.pcapng'));
  const printout = readFileSync(join(CORPUS_DIR, 'gymgit-s7-pcaps/snap7_s300_events.txt'), 'utf8');
  const field = (label: string) => new RegExp(`${label}\\s*:\\s*(.+?)\\s*$`, 'm').exec(printout)![1];
  const plc = snap.assets.find((a) => a.identity.order_number !== undefined)!;
  assert.equal(plc.identity.order_number, field('Order Code'));
  assert.equal(plc.identity.model, field('Module Type Name'));
  assert.equal(plc.identity.serial, field('Serial Number'));
  assert.equal(plc.identity.plc_name, field('AS Name'));
  assert.equal(plc.names[0].name, field('Module Name'));
  // snap7's "Version" is the last record of SZL 0x0011, the boot loader (Lantern: boot_loader "A32.9.9").
  assert.equal(String(plc.identity.boot_loader).replace(/^A/, ''), field('Version'));
  assert.equal(plc.identity.vendor, 'Siemens');
  assert.equal(plc.mac_vendor, 'Siemens AG');
  assert.equal(plc.role, 'controller');
  // The client downloaded blocks and stopped the CPU: an engineering workstation.
  assert.equal(snap.assets.find((a) => a !== plc)!.role, 'engineering_workstation');
});

test('corpus: BACnet I-Am devices equal ICSNPP bacnet_discovery.log', { skip: NO_CORPUS }, async () => {
  for (const [trace, baseline] of [
    ['bacnet_example.pcap', 'analyzer.basic'],
    ['bacnet_services.pcap', 'analyzer.services'],
    ['bacnet_segmented_data.pcap', 'analyzer.segmented_data'],
  ]) {
    const snap = await inventoryOf(join(CORPUS_DIR, 'icsnpp-bacnet/testing/traces', trace));
    const rows = zeekLog(join(CORPUS_DIR, 'icsnpp-bacnet/testing/baseline', baseline, 'bacnet_discovery.log'));
    let checked = 0;
    for (const r of rows) {
      // I-Am as sent (is_orig T) by a host address; ICSNPP also logs some with a broadcast source, which is no device.
      if (r.pdu_service !== 'i-am' || r.is_orig !== 'T' || /\.255$/.test(r.source_h)) continue;
      // A device behind a BACnet router is its own asset, reached through the router's.
      const router = assetWithIp(snap, r.source_h);
      const a = snap.assets.find((x) => (x === router || x.gateway === router.id) && x.protocol_addresses.bacnet?.includes(Number(r.instance_number)));
      assert.ok(a, `${trace} ${r.source_h} instance ${r.instance_number}`);
      assert.equal(simplify(a.identity.vendor), simplify(r.vendor), `${trace} ${r.source_h}`);
      checked++;
    }
    if (trace !== 'bacnet_segmented_data.pcap') assert.ok(checked > 0, trace);
  }
});

/** Modbus Application Protocol v1.1b3 §6.21: the object ids of Read Device Identification, as the inventory names them. */
const MEI_OBJECTS: Record<string, string> = { 0: 'vendor', 1: 'order_number', 2: 'firmware', 3: 'vendor_url', 4: 'product', 5: 'model' };

test('corpus: Modbus device identification (MEI 14) objects reach the server asset (tshark as oracle)', { skip: NO_TSHARK }, async () => {
  const path = join(CORPUS_DIR, 'icsnpp-modbus/testing/traces/modbus_example.pcap');
  const { stdout } = await run('tshark', ['-r', path, '-Y', 'modbus.object_str_value', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-e', 'ip.src', '-e', 'modbus.object_id', '-e', 'modbus.object_str_value']);
  const rows = stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  assert.ok(rows.length > 0);
  const snap = await inventoryOf(path);
  for (const [ip, ids, values] of rows) {
    const a = assetWithIp(snap, ip);
    const v = values.split('|');
    ids.split('|').forEach((id, i) => {
      if (MEI_OBJECTS[id] !== undefined) assert.equal(a.identity[MEI_OBJECTS[id]], v[i], `${ip} object ${id}`);
    });
    assert.ok(a.evidence.some((e) => e.protocol === 'modbus' && e.source === 'read_device_identification'));
    assert.equal(a.role, 'controller');
  }
});

test('corpus: every LLDP system name and CDP device id tshark decodes is an asset name', { skip: NO_TSHARK, timeout: 300_000 }, async () => {
  const rows = readManifest().filter((r) => /(^|;)(lldp|cdp)\(/.test(r.protocols));
  assert.ok(rows.length >= 20);
  let names = 0;
  for (const row of rows) {
    const { stdout } = await run('tshark', ['-r', row.absPath, '-Y', 'lldp || cdp', '-T', 'fields', '-E', 'occurrence=f', '-e', 'lldp.tlv.system.name', '-e', 'cdp.deviceid'], { maxBuffer: 64 << 20 });
    const expected = new Set(stdout.split('\n').flatMap((l) => l.split('\t')).filter((s) => s !== ''));
    const snap = await inventoryOf(row.absPath);
    const have = new Set(snap.assets.flatMap((a) => a.names.filter((n) => n.source === 'lldp' || n.source === 'cdp').map((n) => n.name)));
    for (const n of expected) assert.ok(have.has(n), `${row.path}: ${n}`);
    names += expected.size;
  }
  assert.ok(names > 10);
});

test('corpus: DHCP host names and parameter lists reach the asset of the client MAC (tshark as oracle)', { skip: NO_TSHARK }, async () => {
  const path = join(CORPUS_DIR, 'emreekin-ics-pcaps/COTP/cotp.pcap');
  const { stdout } = await run('tshark', ['-r', path, '-Y', 'dhcp.option.hostname', '-T', 'fields', '-E', 'occurrence=f', '-e', 'dhcp.hw.mac_addr', '-e', 'dhcp.option.hostname', '-e', 'dhcp.option.request_list_item']);
  const rows = stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  assert.ok(rows.length > 0);
  const snap = await inventoryOf(path);
  for (const [mac, name] of rows) {
    const a = snap.assets.find((x) => x.macs.includes(mac));
    assert.ok(a, mac);
    assert.ok(a.names.some((n) => n.name === name && n.source === 'dhcp'), `${mac} ${name}`);
    assert.ok(typeof a.identity.dhcp_fingerprint === 'string' && a.identity.dhcp_fingerprint.length > 0);
  }
});

test('corpus: NetBIOS names a positive answer gives reach the asset of its address (tshark as oracle)', { skip: NO_TSHARK }, async () => {
  const path = join(CORPUS_DIR, 'modbus-dataset-lemay/CnC_uploading_exe_modbus_6RTU_with_operate.pcap');
  const { stdout } = await run('tshark', ['-r', path, '-Y', 'nbns.flags.response==1 && nbns.count.answers>0', '-T', 'fields', '-E', 'occurrence=f', '-e', 'nbns.name', '-e', 'nbns.addr']);
  const rows = stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  assert.ok(rows.length > 0);
  const snap = await inventoryOf(path);
  for (const [nbName, ip] of rows) {
    // tshark writes `CONTROLL-F7B112<20> (Server service)`: the name, its suffix and the suffix's meaning.
    const name = nbName.replace(/<[0-9a-f]{2}>.*$/i, '').trim();
    assert.ok(assetWithIp(snap, ip).names.some((n) => n.name === name && n.source === 'netbios'), `${ip} ${name}`);
  }
});

test('corpus: one PC, one asset: LLDP, ARP, mDNS and its IPv6 link-local traffic meet on its MAC', { skip: NO_CORPUS }, async () => {
  const snap = await inventoryOf(join(CORPUS_DIR, 'iti-ics-security-tools/pcaps/s7/S7Comm/wrapup.pcapng'));
  const pc = snap.assets.filter((a) => a.names.some((n) => n.name === 'VJTI-PC3'));
  assert.equal(pc.length, 1);
  assert.deepEqual(pc[0].ips, ['192.168.0.16', 'fe80::98a:de6e:a5a4:6cfa']);
  assert.deepEqual(pc[0].names.map((n) => `${n.name}/${n.source}`), ['VJTI-PC3/lldp', 'vjti-pc3.local/mdns']);
});

test('corpus: a Siemens KTP700 panel announcing a bridge (its two-port switch) is an HMI, the Ruijie switch a network device', { skip: NO_CORPUS }, async () => {
  const snap = await inventoryOf(join(CORPUS_DIR, 'emreekin-ics-pcaps/COTP/cotp.pcap'));
  const panel = snap.assets.find((a) => String(a.identity.description).includes('SIMATIC HMI'))!;
  assert.equal(panel.role, 'hmi_scada');
  assert.match(String(panel.mac_vendor), /^Siemens/);
  const sw = snap.assets.find((a) => a.names.some((n) => n.name === 'Ruijie' && n.source === 'lldp'))!;
  assert.equal(sw.role, 'network_device');
  assert.deepEqual(sw.ips, []);
});

test('corpus: the inventory of every capture builds, its records are consistent, and both exports read back', { skip: NO_CORPUS, timeout: 600_000 }, async (t) => {
  let assets = 0;
  let edges = 0;
  for (const row of readManifest()) {
    const p = new Pipeline({ events: null });
    try {
      await readCaptureFile(row.absPath, p, p.anomalies);
    } catch {
      // Unreadable captures are the capture suite's business; the inventory must still build.
    }
    p.finish();
    assert.deepEqual(p.errorSamples, [], row.path);
    const snap = p.inventorySnapshot()!;
    const ids = new Set<string>();
    const ipOwner = new Map<string, string>();
    let count = 0;
    for (const a of snap.assets()) {
      count++;
      assert.ok(!ids.has(a.id), `${row.path}: duplicate id ${a.id}`);
      ids.add(a.id);
      for (const ip of a.ips) {
        assert.ok(!ipOwner.has(ip), `${row.path}: ${ip} in ${ipOwner.get(ip)} and ${a.id}`);
        ipOwner.set(ip, a.id);
      }
      assert.ok(a.ips.length + a.macs.length > 0 || (a.gateway !== null && ids.has(a.gateway)), `${row.path}: ${a.id} has no address`);
      assert.ok(a.roles.length > 0 && a.roles.every((r) => r.reasons.length > 0), `${row.path}: ${a.id} role without reason`);
      assert.ok(a.first_seen <= a.last_seen);
    }
    for (const c of snap.connections()) {
      edges++;
      if (c.client.asset !== null) assert.ok(ids.has(c.client.asset), `${row.path}: edge to unknown asset ${c.client.asset}`);
      assert.ok(c.first_seen <= c.last_seen && c.packets >= 0);
    }
    assert.equal(count, snap.summary.assets, row.path);
    // Both exports, read back.
    const dir = mkdtempSync(join(tmpdir(), 'lantern-inv-'));
    try {
      const written = writeInventory(dir, snap);
      assert.equal((JSON.parse(readFileSync(join(dir, 'assets.json'), 'utf8')) as unknown[]).length, written.assets, row.path);
      assert.equal((JSON.parse(readFileSync(join(dir, 'connections.json'), 'utf8')) as unknown[]).length, written.connections, row.path);
      assert.equal(readFileSync(join(dir, 'assets.csv'), 'utf8').trim().split('\n').length >= written.assets + 1, true, row.path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assets += count;
  }
  t.diagnostic(`inventory over the corpus: ${assets} assets, ${edges} connections`);
});
