// Port scans of controllers: TCP connections from one host that carried no data (SYN probes answered by RST or left
// unanswered, connect scans closed at once) to many (host, port) pairs on industrial ports or on known controllers.
import type { FlowRecord } from '../../flow/flow.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import { addCapped, WindowTable } from './window.js';

/**
 * Well-known industrial service ports: S7/MMS (ISO-TSAP 102), Modbus 502, IEC 104 2404, DNP3 20000, EtherNet/IP 44818
 * and 2222, BACnet 47808, OPC UA 4840, Niagara Fox 1911, OMRON FINS 9600, MELSEC 5007, PCWorx 1962, HART-IP 5094.
 */
export const INDUSTRIAL_PORTS: ReadonlySet<number> = new Set([102, 502, 2404, 20000, 44818, 2222, 47808, 4840, 1911, 9600, 5007, 1962, 5094]);
/**
 * Probed (host, port) pairs from one source in one window. nmap's sweep of DNP3 port 20000 in the QUT set touched 5
 * hosts; a master reconnecting to its outstations retries the same few pairs, which count once.
 */
export const PORT_SCAN_MIN_TARGETS = 5;
/** Half-open probes end by idle time-out (30 s) after the answered ones: the window covers both. */
export const PORT_SCAN_WINDOW_SEC = 120;
/** A probe sends at most this many packets (SYN, its retry, the RST): longer data-less connections are keep-alives. */
export const PROBE_MAX_PACKETS = 3;
const MAX_SOURCES = 10_000;
/** Pairs kept per source window: enough to list, bounded. */
const MAX_PAIRS_LISTED = 1024;

const info: DetectionInfo = {
  id: 'behavior.port_scan',
  title: 'Port scan of industrial devices',
  kind: 'behavior',
  severity: 'medium',
  confidence: 0.7,
  techniques: ['T0846'],
  playbook: {
    meaning:
      'A host opened connections to many industrial ports or controllers and sent nothing: a port scan (nmap, masscan, a vulnerability scanner) looking for devices and services to attack.',
    check: [
      'Is the source a sanctioned scanner or asset-inventory tool, scanning at a planned time?',
      'Which hosts and ports were probed (evidence), and which answered? A master retrying offline outstations looks alike: are the targets its own devices?',
      'Did the source talk an industrial protocol to any of them afterwards?',
    ],
    respond: [
      'If unsanctioned: isolate the source, find how it reached the control network, and treat the answering devices as known to the attacker.',
      'Scanning can crash fragile controllers: check that the probed devices still answer their masters.',
    ],
  },
};

interface SourceWindow {
  readonly start: number;
  readonly pairs: Set<string>;
  readonly hosts: Set<string>;
}

function isProbe(f: FlowRecord): boolean {
  return f.transport === 'tcp' && f.payloadBytesToServer === 0 && f.payloadBytesToClient === 0 && f.packetsToServer <= PROBE_MAX_PACKETS;
}

export const portScan: Detection = {
  ...info,
  create() {
    const sources = new WindowTable<SourceWindow>(PORT_SCAN_WINDOW_SEC, MAX_SOURCES, (start) => ({ start, pairs: new Set(), hosts: new Set() }));
    return {
      flowEnd(f: FlowRecord, ctx: DetectContext) {
        if (!isProbe(f)) return;
        const host = f.server.ip;
        const port = f.server.port;
        if (!INDUSTRIAL_PORTS.has(port) && !ctx.isIndustrialServer(host)) return;
        const w = sources.at(f.client.ip, f.lastTs);
        if (w === null || !addCapped(w.pairs, `${host}:${port}`, MAX_PAIRS_LISTED)) return;
        addCapped(w.hosts, host, MAX_PAIRS_LISTED);
        if (w.pairs.size < PORT_SCAN_MIN_TARGETS) return;
        const answered = f.packetsToClient > 0;
        ctx.raise(info, {
          ts: f.firstTs,
          src: f.client.ip,
          dst: null,
          protocol: null,
          title: `Port scan from ${f.client.ip}: ${w.pairs.size} ports probed on ${w.hosts.size} industrial hosts`,
          evidence: {
            ts: f.firstTs,
            flow: f.id,
            protocol: null,
            what: 'tcp_probe',
            target: { ip: host, port, answered, end: f.endReason },
          },
          facts: { probed_pairs: w.pairs.size, probed_hosts: [...w.hosts].slice(0, 20) },
        });
      },
      expire(nowSec: number) {
        sources.expire(nowSec);
      },
    };
  },
};
