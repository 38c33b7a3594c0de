// Remote system discovery: one client identifying many devices (Modbus device identification, S7 SZL reads, CIP
// ListIdentity, BACnet Who-Is...), sweeping unit ids behind one server, probing point addresses that do not exist,
// or repeating discovery broadcasts.
import type { TransactionRecord } from '../../pipeline/detail.js';
import { actionOf, declaredActions } from '../semantics.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import { evidenceOf } from './on-action.js';
import { addCapped, isGroupAddress, PairWindowTable, WindowTable } from './window.js';

/** Identification requests to this many distinct devices: engineering tools talk to a handful, scanners to ranges. */
export const IDENTIFY_MIN_SERVERS = 5;
/** Over this long (capture seconds): a slow scan of a subnet still lands in one window. */
export const IDENTIFY_WINDOW_SEC = 300;
/**
 * Discovery broadcasts (Who-Is, ListIdentity) from one host per BROADCAST_WINDOW_SEC: a workstation repeats one every
 * few minutes; a scanner walks device-instance ranges with one broadcast per range.
 */
export const BROADCAST_MIN = 10;
export const BROADCAST_WINDOW_SEC = 60;
/**
 * Distinct unit ids left unanswered (no response or an error) on one server: a gateway's dead slave fails again and
 * again under one id; a sweep fails under many. QUT's DNP3 reconnaissance tried 4 addresses.
 */
export const UNIT_SWEEP_MIN_FAILED = 4;
/** Distinct unit ids on one server, answered or not: Modbus/TCP devices that answer every id still show a sweep. */
export const UNIT_SWEEP_MIN_UNITS = 32;
/** Distinct point addresses answered with an error (illegal address): a register map being probed (Lemay's scan). */
export const ADDRESS_SWEEP_MIN = 50;
export const SWEEP_WINDOW_SEC = 60;
const MAX_CLIENTS = 10_000;
const MAX_PAIRS = 20_000;
/** Servers remembered per client window: evidence enough, bounded. */
const MAX_SERVERS_LISTED = 256;

/** Industrial protocols (those with declared actions): name-service and other IT discovery is not judged here. */
const INDUSTRIAL = new Set(declaredActions().map((a) => a.protocol));
/** Lone answers and announcements that carry access `discovery` but are not requests. */
const ANNOUNCEMENTS = new Set(['i_am', 'i_have', 'i_am_router_to_network', 'i_could_be_router_to_network', 'network_number_is']);

const info: DetectionInfo = {
  id: 'behavior.remote_discovery',
  title: 'Remote system discovery',
  kind: 'behavior',
  severity: 'medium',
  confidence: 0.75,
  techniques: ['T0846', 'T0888', 'T0861'],
  playbook: {
    meaning:
      'A host is mapping the control network: asking many devices who they are (vendor, model, firmware), trying unit ids or point addresses one after another, or repeating discovery broadcasts. Adversaries do this before they pick a target; so do asset-inventory tools and commissioning engineers.',
    check: [
      'Is the source an asset-inventory tool, an engineering workstation during commissioning, or a vendor laptop, at a planned time?',
      'Which devices, unit ids or addresses were probed (evidence and facts), and which answered?',
      'Did the same host write, download or change modes afterwards?',
    ],
    respond: [
      'If the source is unknown or not allowed to scan: isolate it, find its user, and review what it learned (device identities, valid addresses).',
      'If it is an approved tool: mark the alert learned and record its scan schedule.',
    ],
  },
};

interface ClientWindow {
  readonly start: number;
  readonly servers: Set<string>;
  broadcasts: number;
}

interface PairWindow {
  readonly start: number;
  readonly units: Set<number>;
  readonly failedUnits: Set<number>;
  readonly badAddresses: Set<string>;
  unitFired: boolean;
  addressFired: boolean;
}

/** Errors that say the addressed unit is not there (a gateway's dead path, an unknown IEC 104 common address). */
const NO_SUCH_UNIT = new Set(['gateway_path_unavailable', 'gateway_target_device_failed_to_respond', 'unknown_common_address', 'unknown_common_address_negative']);

/**
 * What a request addresses behind its server. A DNP3 outstation answers only its configured master: trying master
 * (source) addresses is as much a sweep as trying outstation addresses, so DNP3 counts the pair.
 */
function unitId(t: TransactionRecord, unit: number): number {
  if (t.protocol !== 'dnp3') return unit;
  const master = (t as { dnp3?: { master?: unknown } }).dnp3?.master;
  return typeof master === 'number' ? master * 65536 + unit : unit;
}

function linkAddresses(ids: ReadonlySet<number>): string[] {
  return [...ids].sort((a, b) => a - b).map((id) => `${Math.floor(id / 65536)}→${id % 65536}`);
}

/** The unit addressed did not answer as a device: no response, or an error that says it is not there. */
const unitMissing = (t: TransactionRecord): boolean => t.outcome === 'no_response' || (t.outcome === 'exception' && t.error !== undefined && NO_SUCH_UNIT.has(t.error.name));

export const remoteDiscovery: Detection = {
  ...info,
  create() {
    const clients = new WindowTable<ClientWindow>(IDENTIFY_WINDOW_SEC, MAX_CLIENTS, (start) => ({ start, servers: new Set(), broadcasts: 0 }));
    const broadcasts = new WindowTable<ClientWindow>(BROADCAST_WINDOW_SEC, MAX_CLIENTS, (start) => ({ start, servers: new Set(), broadcasts: 0 }));
    const pairs = new PairWindowTable<PairWindow>(SWEEP_WINDOW_SEC, MAX_PAIRS, (start) => ({
      start,
      units: new Set(),
      failedUnits: new Set(),
      badAddresses: new Set(),
      unitFired: false,
      addressFired: false,
    }));

    function identify(t: TransactionRecord, ctx: DetectContext): void {
      const client = t.client.ip;
      const server = t.server.ip;
      if (isGroupAddress(server)) {
        const w = broadcasts.at(client, t.ts);
        if (w === null) return;
        w.broadcasts++;
        if (w.broadcasts >= BROADCAST_MIN) {
          ctx.raise(info, {
            ts: t.ts,
            src: client,
            dst: null,
            protocol: t.protocol,
            key: 'broadcast',
            title: `Repeated ${t.protocol} discovery broadcasts from ${client} (${w.broadcasts} ${t.operation.name} in ${BROADCAST_WINDOW_SEC} s)`,
            evidence: evidenceOf(t),
            facts: { broadcasts_in_window: w.broadcasts },
          });
        }
        return;
      }
      const w = clients.at(client, t.ts);
      if (w === null || !addCapped(w.servers, server, MAX_SERVERS_LISTED)) return;
      if (w.servers.size < IDENTIFY_MIN_SERVERS) return;
      ctx.raise(info, {
        ts: t.ts,
        src: client,
        dst: null,
        protocol: t.protocol,
        key: 'identify',
        title: `${client} identified ${w.servers.size} devices in ${IDENTIFY_WINDOW_SEC / 60} min (${t.protocol} ${t.operation.sub?.name ?? t.operation.name})`,
        evidence: evidenceOf(t, `device ${server}`),
        facts: { devices: [...w.servers].slice(0, 20), devices_in_window: w.servers.size },
      });
    }

    function sweep(t: TransactionRecord, ctx: DetectContext): void {
      const unit = t.target.unit;
      const address = t.target.address;
      const refused = t.outcome === 'exception' && typeof address === 'number' && !unitMissing(t);
      if (typeof unit !== 'number' && !refused) return;
      const w = pairs.at(t.client.ip, t.server.ip, t.ts);
      if (w === null) return;
      if (typeof unit === 'number') {
        const id = unitId(t, unit);
        addCapped(w.units, id, UNIT_SWEEP_MIN_UNITS);
        if (unitMissing(t)) addCapped(w.failedUnits, id, UNIT_SWEEP_MIN_FAILED);
        if (!w.unitFired && (w.failedUnits.size >= UNIT_SWEEP_MIN_FAILED || w.units.size >= UNIT_SWEEP_MIN_UNITS)) {
          w.unitFired = true;
          ctx.raise(info, {
            ts: t.ts,
            src: t.client.ip,
            dst: t.server.ip,
            protocol: t.protocol,
            key: 'unit_sweep',
            title: `${t.protocol} ${t.protocol === 'dnp3' ? 'link-address' : 'unit-id'} sweep of ${t.server.ip} by ${t.client.ip} (${w.units.size} ${t.protocol === 'dnp3' ? 'master/outstation pairs' : 'unit ids'}, ${w.failedUnits.size} unanswered, in ${SWEEP_WINDOW_SEC} s)`,
            evidence: evidenceOf(t),
            facts: t.protocol === 'dnp3' ? { link_addresses: linkAddresses(w.units), unanswered_link_addresses: linkAddresses(w.failedUnits) } : { unit_ids: [...w.units].sort((a, b) => a - b), unanswered_unit_ids: [...w.failedUnits].sort((a, b) => a - b) },
          });
        }
      }
      if (refused) {
        addCapped(w.badAddresses, `${t.target.area ?? ''}:${address}`, ADDRESS_SWEEP_MIN);
        if (!w.addressFired && w.badAddresses.size >= ADDRESS_SWEEP_MIN) {
          w.addressFired = true;
          ctx.raise(info, {
            ts: t.ts,
            src: t.client.ip,
            dst: t.server.ip,
            protocol: t.protocol,
            key: 'address_sweep',
            title: `${t.protocol} address sweep of ${t.server.ip} by ${t.client.ip} (${ADDRESS_SWEEP_MIN}+ addresses refused in ${SWEEP_WINDOW_SEC} s, ${t.target.area ?? 'unknown area'})`,
            evidence: evidenceOf(t, t.error?.name),
            facts: { refused_addresses_in_window: w.badAddresses.size, area: t.target.area ?? null },
          });
        }
      }
    }

    return {
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (t.origin !== 'client' || !INDUSTRIAL.has(t.protocol)) return;
        if ((t.operation.access === 'discovery' && !ANNOUNCEMENTS.has(t.operation.name)) || actionOf(t) === 'identify') identify(t, ctx);
        sweep(t, ctx);
      },
      expire(nowSec: number) {
        clients.expire(nowSec);
        broadcasts.expire(nowSec);
        pairs.expire(nowSec);
      },
    };
  },
};
