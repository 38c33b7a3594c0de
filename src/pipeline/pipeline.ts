// Wiring of the stages: frames from any capture reader → stateless decode → flow table (reassembly, detection,
// protocol sessions). One Pipeline per analysis; it may be fed several captures in a row.
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame, FrameHandler } from '../capture/frame.js';
import { Decoder, type DecoderOptions } from '../decode/decoder.js';
import { L3, Packet } from '../decode/packet.js';
import { FlowTable, type FlowTableOptions, type FlowEndListener } from '../flow/flow-table.js';
import { ProtocolRegistry, defaultRegistry } from '../protocols/registry.js';
import { PIPELINE_ANOMALIES } from './anomalies.js';
import { EventRouter, type EventOutput } from './events.js';
import type { DetailOptions } from './detail.js';
import { Inventory, type InventoryOptions } from '../inventory/inventory.js';
import { macString } from '../decode/format.js';
import { parseLldp } from '../protocols/link-discovery/lldp.js';
import { parseCdp } from '../protocols/link-discovery/cdp.js';
import type { FlowRecord } from '../flow/flow.js';
import { ipv4String } from '../common/ip.js';
import { DetectionEngine, type DetectionOptions } from '../detect/engine.js';
import { AssetContexts } from './asset-context.js';

export interface PipelineOptions {
  decoder?: DecoderOptions;
  flows?: Partial<FlowTableOptions>;
  registry?: ProtocolRegistry;
  flowListener?: FlowEndListener;
  /** Where protocol transactions and asset hints go (the export writer); null to only count them. */
  events?: EventOutput | null;
  detail?: DetailOptions;
  /** Inventory caps and overrides, or null for none (decode and protocol benchmarks). Default: an inventory. */
  inventory?: Omit<InventoryOptions, 'registry'> | null;
  /** Detections to run, or null for none. Default: every built-in detection. */
  detection?: DetectionOptions | null;
}

const ETHERTYPE_LLDP = 0x88cc;
const SNAP_OUI_CISCO = 0x00000c;
const SNAP_PID_CDP = 0x2000;

/** How often (in capture seconds) state is swept for timeouts. */
const EXPIRE_INTERVAL_SEC = 1;
/** Internal errors keep their first messages for the report, not all of them. */
const MAX_ERROR_SAMPLES = 10;

export class Pipeline implements FrameHandler {
  readonly anomalies = new AnomalyCounter();
  readonly decoder: Decoder;
  readonly flows: FlowTable;
  readonly events: EventRouter;
  readonly errorSamples: string[] = [];
  readonly inventory: Inventory | null;
  readonly detection: DetectionEngine | null;

  frames = 0;
  capturedBytes = 0;
  wireBytes = 0;
  /** Earliest and latest capture time seen (float seconds); NaN before the first frame. */
  firstTs = Number.NaN;
  lastTs = Number.NaN;

  private readonly pkt = new Packet();
  /** Capture clock: the newest whole second seen. Timeouts run on it, so a frame out of order cannot rewind time. */
  private clockSec = -Infinity;
  private nextExpireSec = -Infinity;
  private inputStarting = false;

  constructor(options: PipelineOptions = {}) {
    this.decoder = new Decoder(this.anomalies, options.decoder);
    const registry = options.registry ?? defaultRegistry;
    const inventory = (this.inventory = options.inventory === null ? null : new Inventory({ ...options.inventory, registry }));
    let contexts: AssetContexts | null = null;
    const assets = inventory === null ? undefined : (ip: string) => (contexts ??= new AssetContexts(inventory, () => this.activeFlows(), () => this.clockSec)).get(ip);
    const detection = (this.detection = options.detection === null ? null : new DetectionEngine(registry, { assets, ...options.detection }));
    this.events = new EventRouter(options.events ?? null, options.detail, inventory, detection);
    const user = options.flowListener;
    const listener =
      inventory === null && detection === null
        ? user
        : {
            onFlowEnd(r: FlowRecord) {
              inventory?.observeFlowEnd(r);
              detection?.flowEnd(r);
              user?.onFlowEnd(r);
            },
            onFlowVolume(r: FlowRecord, toServer: boolean, ts: number) {
              detection?.flowVolume({ flow: r, toServer, ts, bytes: toServer ? r.payloadBytesToServer : r.payloadBytesToClient });
              user?.onFlowVolume?.(r, toServer, ts);
            },
          };
    this.flows = new FlowTable(registry, this.anomalies, { ...options.flows, eventSink: this.events }, listener);
  }

  onFrame(frame: Frame): void {
    this.frames++;
    this.capturedBytes += frame.caplen;
    this.wireBytes += frame.origLen;
    const pkt = this.pkt;
    try {
      this.decoder.decode(frame, pkt);
      pkt.frameNumber = this.frames;
      this.tick(pkt.tsSec, pkt.ts);
      const l3 = pkt.l3;
      if (l3 === L3.IPV4 || l3 === L3.IPV6) {
        this.inventory?.observeFrame(pkt);
        this.flows.process(pkt);
      } else if (l3 === L3.ARP) {
        this.inventory?.observeArp(pkt);
        if (this.detection !== null && pkt.arpSenderMacOff >= 0 && (pkt.arpOp === 1 || pkt.arpOp === 2)) {
          this.detection.arp({ ts: pkt.ts, op: pkt.arpOp === 2 ? 'reply' : 'request', senderMac: macString(pkt.buf, pkt.arpSenderMacOff), senderIp: ipv4String(pkt.arpSenderIp), targetIp: ipv4String(pkt.arpTargetIp), vlan: pkt.vlanOuter });
        }
      }
      else if (pkt.etherType === ETHERTYPE_LLDP || (pkt.snapOui === SNAP_OUI_CISCO && pkt.snapPid === SNAP_PID_CDP)) this.linkDiscovery(pkt);
    } catch (err) {
      this.anomalies.add(PIPELINE_ANOMALIES.codes.internal_error);
      if (this.errorSamples.length < MAX_ERROR_SAMPLES) {
        this.errorSamples.push(`frame ${this.frames}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  }

  private linkDiscovery(pkt: Packet): void {
    const sender = macString(pkt.buf, pkt.srcMacOff);
    const ld =
      pkt.etherType === ETHERTYPE_LLDP
        ? parseLldp(pkt.buf, pkt.l2PayloadOff, pkt.l2PayloadEnd, sender, this.anomalies)
        : parseCdp(pkt.buf, pkt.l2PayloadOff, pkt.l2PayloadEnd, sender, this.anomalies);
    if (ld !== null) this.events.onLinkDiscovery(ld, pkt.ts, pkt.vlanOuter);
  }

  /** The inventory now, with the flows still open counted in their edges. */
  inventorySnapshot() {
    if (this.inventory === null) return null;
    return this.inventory.snapshot(this.activeFlows());
  }

  /** The inventory's asset id of an address, or null (alerts name their assets with it). */
  assetIdOf(ip: string): string | null {
    const a = this.inventory?.assets.byIp.get(ip);
    return a === undefined ? null : this.inventory!.assets.resolve(a).id;
  }

  /** The inventory records changed since the last delta was committed (the store's flush). */
  inventoryDelta() {
    if (this.inventory === null) return null;
    return this.inventory.delta(this.activeFlows());
  }

  private activeFlows(): FlowRecord[] {
    const active: FlowRecord[] = [];
    for (const f of this.flows.flows()) active.push(f.record('active', f.protocol ?? (f.transport === 'tcp' || f.transport === 'udp' ? 'undecided' : null)));
    return active;
  }

  private tick(sec: number, ts: number): void {
    if (!(ts >= this.firstTs)) {
      if (Number.isNaN(this.firstTs)) this.firstTs = ts;
      else if (ts < this.firstTs) this.firstTs = ts;
    }
    if (ts > this.lastTs || Number.isNaN(this.lastTs)) this.lastTs = ts;
    if (this.inputStarting) {
      this.inputStarting = false;
      // A further capture that starts before the previous one ended is a separate recording: end the old flows
      // rather than mixing them, and restart the clock.
      if (sec < this.clockSec) {
        this.flows.flush(this.clockSec);
        this.clockSec = -Infinity;
        this.nextExpireSec = -Infinity;
      }
    }
    if (sec < this.clockSec) {
      this.anomalies.add(PIPELINE_ANOMALIES.codes.time_went_backwards);
      return;
    }
    this.clockSec = sec;
    if (sec >= this.nextExpireSec) {
      this.nextExpireSec = sec + EXPIRE_INTERVAL_SEC;
      this.decoder.expire(sec);
      this.flows.expire(sec);
      this.events.expire(sec);
      this.detection?.expire(sec);
    }
  }

  /** A new capture follows the previous one in the same analysis. */
  beginInput(): void {
    this.inputStarting = true;
  }

  /** End of all input: ends every flow so sessions see their last bytes. */
  // Detectors are not expired here: the end of a capture is not the passing of time (a poll that "stops" because the
  // recording ended is no change), and their windows are judged as records arrive.
  finish(): void {
    try {
      this.flows.flush(Number.isFinite(this.clockSec) ? this.clockSec : 0);
      this.events.finish();
    } catch (err) {
      this.anomalies.add(PIPELINE_ANOMALIES.codes.internal_error);
      if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(`flush: ${String(err)}`);
    }
  }
}
