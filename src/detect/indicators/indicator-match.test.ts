import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaptureFile } from '../../capture/open-capture.js';
import type { FlowRecord } from '../../flow/flow.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import { isTechniqueId } from '../attack/index.js';
import { detect, flowEnd, polls, tx } from '../testkit.js';
import { IndicatorSet } from './indicator-set.js';
import { indicatorDetection, indicatorMatchInfo } from './indicator-match.js';
import { parsePlainList } from './plain-list.js';
import { parseStixBundle } from './stix-bundle.js';
import { SAMPLE_BUNDLE } from './testdata.js';

const EWS = '10.10.1.50';
const PLC = '10.10.1.22';
const RESOLVER = '10.10.0.53';
const NOW = Date.parse('2026-06-01T00:00:00Z');

function intel(): IndicatorSet {
  const set = new IndicatorSet();
  set.addAll(parseStixBundle(SAMPLE_BUNDLE, 'example-isac', { now: NOW }).indicators);
  set.addAll(parsePlainList(['198.51.100.0/24,scanner range', 'example-bad.org', 'http://tools.example-bad.org/plc.exe'].join('\n'), 'site-list').indicators);
  return set;
}

function flow({ client, server, ts, ...o }: Partial<Omit<FlowRecord, 'client' | 'server'>> & { client: string; server: string; ts: number }): FlowRecord {
  return {
    id: 900,
    transport: 'tcp',
    ipProto: 6,
    client: { ip: client, port: 50000 },
    server: { ip: server, port: 443 },
    roleSource: 'handshake',
    vlan: [0, 0],
    protocol: 'tls',
    firstTs: ts,
    lastTs: ts + 5,
    packetsToServer: 10,
    packetsToClient: 10,
    bytesToServer: 1000,
    bytesToClient: 1000,
    payloadBytesToServer: 500,
    payloadBytesToClient: 500,
    endReason: 'fin',
    tcp: null,
    ...o,
  } as FlowRecord;
}

function with_(t: TransactionRecord, fields: Record<string, unknown>): TransactionRecord {
  return { ...t, ...fields } as TransactionRecord;
}

const dns = (ts: number, query: string, answers: { type: string; data: string }[] = []) =>
  with_(tx({ ts, protocol: 'dns', op: 'a', client: EWS, server: RESOLVER, port: 53, target: { query } }), { dns: { variant: 'dns', id: 1, query, answers: answers.map((a) => ({ name: query, ttl: 60, ...a })) } });
const http = (ts: number, host: string, uri: string) => tx({ ts, protocol: 'http', op: 'get', client: EWS, server: '192.0.2.80', port: 80, target: { host, uri } });
const tls = (ts: number, sni: string) => tx({ ts, protocol: 'tls', op: 'client_hello', client: EWS, server: '192.0.2.44', port: 443, target: { sni } });

test('indicator.match: a flow to a listed address fires with the indicator context', () => {
  const alerts = detect([indicatorDetection(intel())], [flowEnd(flow({ ts: 10, client: EWS, server: '203.0.113.7' })), flowEnd(flow({ ts: 20, client: EWS, server: '203.0.113.7' }))]);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.detection, 'indicator.match');
  assert.equal(a.kind, 'indicator');
  assert.equal(a.count, 2);
  assert.equal(a.severity, 'high', 'confidence 85');
  assert.deepEqual([a.src?.ip, a.dst?.ip, a.protocol], [EWS, '203.0.113.7', 'tls']);
  assert.equal(a.title, 'Traffic from 10.10.1.50 to 203.0.113.7, a known indicator (Remote access trojan C2) (source: example-isac)');
  const ind = a.facts.indicator as Record<string, unknown>;
  assert.equal(ind.id, 'indicator--00000000-0000-4000-8000-000000000001');
  assert.equal(ind.source, 'example-isac');
  assert.equal(ind.name, 'Remote access trojan C2');
  assert.deepEqual(ind.labels, ['malicious-activity', 'c2']);
  assert.equal(ind.confidence, 85);
  assert.equal(ind.created_by, 'Example OT ISAC');
  assert.deepEqual(ind.techniques, ['T0869']);
  assert.deepEqual(a.techniques, ['T0869'], 'the alert carries the indicator’s technique');
  assert.deepEqual(a.tactics, ['Command and Control']);
  assert.ok((ind.description as string).length <= 501, 'description cut to 500 characters');
  assert.match(ind.pattern as string, /^\[ipv4-addr:value = '203\.0\.113\.7'\]/);
  assert.deepEqual(a.facts.matched, { field: 'server.ip', value: '203.0.113.7' });
  assert.deepEqual(a.evidence[0].target, { field: 'server.ip', value: '203.0.113.7' });
});

test('indicator.match: inbound from a listed range (client side) and IPv6 ranges; low confidence stays medium', () => {
  const alerts = detect(
    [indicatorDetection(intel())],
    [flowEnd(flow({ ts: 1, client: '198.51.100.23', server: PLC, protocol: 'modbus' })), flowEnd(flow({ ts: 2, client: '2001:db8:bad:7::1', server: 'fd00::22', protocol: 'opcua' }))],
  );
  assert.equal(alerts.length, 2);
  const scan = alerts.find((a) => a.protocol === 'modbus')!;
  assert.equal(scan.title, 'Traffic to 10.10.1.22 from 198.51.100.23, a known indicator (source: site-list)');
  assert.deepEqual(scan.facts.matched, { field: 'client.ip', value: '198.51.100.23' });
  assert.equal((scan.facts.indicator as { description: string }).description, 'scanner range');
  const v6 = alerts.find((a) => a.protocol === 'opcua')!;
  assert.equal(v6.severity, 'medium', 'STIX confidence 30');
});

test('indicator.match: DNS question (parent domain), DNS answers (address and CNAME)', () => {
  const alerts = detect(
    [indicatorDetection(intel())],
    [
      dns(1, 'WWW.C2.Example-Bad.net.'),
      dns(2, 'update.vendor.example', [
        { type: 'cname', data: 'cdn.example-bad.org' },
        { type: 'a', data: '198.51.100.9' },
      ]),
    ],
  );
  // Each indicator is its own alert per (source, destination): the question and answer above hit three indicators.
  assert.equal(alerts.length, 3);
  const byField = (f: string) => alerts.filter((a) => (a.facts.matched as { field: string }).field === f);
  assert.equal(byField('dns.query').length, 1);
  assert.equal(byField('dns.query')[0].title, '10.10.1.50 looked up WWW.C2.Example-Bad.net., a known indicator (Remote access trojan C2) (source: example-isac)');
  assert.deepEqual(byField('dns.answer').map((a) => (a.facts.matched as { value: string }).value).sort(), ['198.51.100.9', 'cdn.example-bad.org']);
  assert.deepEqual(byField('dns.query')[0].evidence[0].what, 'dns_query');
});

test('indicator.match: HTTP host and URL (direct and through a proxy), TLS SNI', () => {
  const alerts = detect(
    [indicatorDetection(intel())],
    [
      http(1, 'files.example-bad.net', '/stage2.bin'),
      http(2, 'proxy.site.local:3128', 'http://tools.example-bad.org/plc.exe'),
      http(3, 'c2.example-bad.net:8080', '/beacon'),
      tx({ ts: 4, protocol: 'http', op: 'connect', client: EWS, server: '192.0.2.81', port: 3128, target: { uri: 'portal.example-bad.org:443' } }),
      tls(5, 'api.example-bad.org'),
    ],
  );
  const got = alerts.map((a) => `${(a.facts.matched as { field: string }).field} ${(a.facts.matched as { value: string }).value}`).sort();
  assert.deepEqual(got, [
    'http.host c2.example-bad.net',
    'http.host portal.example-bad.org',
    'http.host tools.example-bad.org',
    'http.url files.example-bad.net/stage2.bin',
    'http.url http://tools.example-bad.org/plc.exe',
    'tls.sni api.example-bad.org',
  ]);
  const sni = alerts.find((a) => a.protocol === 'tls')!;
  assert.equal(sni.title, 'TLS connection from 10.10.1.50 to api.example-bad.org (192.0.2.44): api.example-bad.org is a known indicator (source: site-list)');
});

test('indicator.match: ordinary traffic stays quiet', () => {
  const alerts = detect(
    [indicatorDetection(intel())],
    [
      ...polls({ from: 0, n: 50, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: EWS, server: PLC }),
      flowEnd(flow({ ts: 60, client: EWS, server: PLC, protocol: 'modbus' })),
      flowEnd(flow({ ts: 61, client: EWS, server: '198.51.101.1' })),
      dns(62, 'example-bad.net.vendor.example', [{ type: 'a', data: '192.0.2.80' }]),
      dns(63, 'bad.net'),
      http(64, 'files.example-bad.net', '/other.bin'),
      http(65, '192.0.2.80', '/'),
      tls(66, 'example-bad.org.cdn.example'),
      tx({ ts: 67, protocol: 'dns', op: 'a', client: EWS, server: RESOLVER }),
    ],
  );
  assert.deepEqual(alerts.map((a) => a.title), []);
  assert.equal(detect([indicatorDetection(new IndicatorSet())], [flowEnd(flow({ ts: 1, client: EWS, server: '203.0.113.7' })), dns(2, 'c2.example-bad.net')]).length, 0, 'an empty set matches nothing');
});

test('indicator.match: declared info is complete', () => {
  assert.equal(indicatorMatchInfo.id, 'indicator.match');
  assert.ok(indicatorMatchInfo.techniques.every(isTechniqueId));
  assert.ok(indicatorMatchInfo.playbook.check.length > 0 && indicatorMatchInfo.playbook.respond.length > 0);
  assert.equal(indicatorDetection(new IndicatorSet()).id, 'indicator.match');
});

const CORPUS = resolve(process.cwd(), '../shared/data/ics-corpus');
const TLS_CAPTURE = join(CORPUS, 'ct-samples/Protocols/DLMS-COSEM/Matousp PCAPs/DLMSDirector.pcap');
const HTTP_CAPTURE = join(CORPUS, 'icsnpp-synchrophasor/tests/traces/c37118_1100_unclean.pcap');

async function alertsOver(capture: string, list: string[]) {
  const set = new IndicatorSet();
  set.addAll(parsePlainList(list.join('\n'), 'corpus-test').indicators);
  const pipeline = new Pipeline({ detection: { detections: [indicatorDetection(set)] }, inventory: null });
  await readCaptureFile(capture, pipeline, pipeline.anomalies);
  pipeline.finish();
  assert.deepEqual(pipeline.detection!.errorSamples, []);
  return [...pipeline.detection!.alerts.records()].map((a) => `${(a.facts.matched as { field: string }).field} ${(a.facts.matched as { value: string }).value} ${a.src?.ip}>${a.dst?.ip}`).sort();
}

test('indicator.match over real captures: DNS, TLS SNI, flows, HTTP URL', { skip: !existsSync(TLS_CAPTURE) && `corpus not found at ${CORPUS}` }, async () => {
  assert.deepEqual(await alertsOver(TLS_CAPTURE, ['pixelberrystudios.com', 'elasticbeanstalk.com', '52.5.123.140']), [
    'dns.answer 52.5.123.140 192.168.137.242>192.168.137.1',
    'dns.query choicesapilive.us-east-1.elasticbeanstalk.com 192.168.137.242>192.168.137.1',
    'server.ip 52.5.123.140 192.168.137.242>52.5.123.140',
    'tls.sni choicesapilive.pixelberrystudios.com 192.168.137.242>52.5.123.140',
  ]);
  assert.deepEqual(await alertsOver(HTTP_CAPTURE, ['http://192.168.0.21:8765/']), ['http.url 192.168.0.21:8765/ 192.168.0.22>192.168.0.21']);
});
