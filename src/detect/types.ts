// The detection stage's contracts: a detection declares what it is (id, title, kind, severity, confidence, ATT&CK for
// ICS techniques, playbook) and creates a detector that reads the pipeline's normalised records (transactions, hints,
// ended flows, ARP) and raises findings; the engine folds findings into alerts (docs/detection.md).
import type { FlowRecord } from '../flow/flow.js';
import type { TransactionRecord } from '../pipeline/detail.js';
import type { HintRecord } from '../pipeline/events.js';
import type { ALERT_SEVERITIES } from '../common/vocabulary.js';

export type Severity = (typeof ALERT_SEVERITIES)[number];
export type AlertKind = 'behavior' | 'modeling' | 'configuration' | 'indicator';

/** What an alert means, what to check and how to respond: shown with every alert of the detection. */
export interface Playbook {
  readonly meaning: string;
  readonly check: readonly string[];
  readonly respond: readonly string[];
}

export interface DetectionInfo {
  /** Stable id: `s7.program_download`, `modeling.new_edge`. */
  readonly id: string;
  readonly title: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  /** 0..1: how sure a firing is the behaviour named (not that it is malicious). */
  readonly confidence: number;
  /** ATT&CK for ICS technique ids (`T0843`), checked against the generated table by a test. */
  readonly techniques: readonly string[];
  readonly playbook: Playbook;
}

/** One piece of evidence behind an alert: a transaction, a flow, an ARP reply, an indicator hit. */
export interface Evidence {
  readonly ts: number;
  readonly flow: number | null;
  readonly protocol: string | null;
  /** The operation name (`download_block`) or what was seen (`arp_reply`). */
  readonly what: string;
  readonly target?: Readonly<Record<string, unknown>>;
  /** The transaction's outcome (`ok`, `exception`, `no_response`), when the evidence is one. */
  readonly outcome?: string;
  readonly note?: string;
}

/** A detector's report; the engine folds findings of one detection on the same (src, dst, key) into one alert. */
export interface Finding {
  readonly ts: number;
  /** The acting host (client, sender), or null. */
  readonly src: string | null;
  /** The affected host (server, target), or null. */
  readonly dst: string | null;
  readonly protocol: string | null;
  /** Separates alerts of one detection between the same hosts (a point address, an indicator); default ''. */
  readonly key?: string;
  /** Overrides the detection's title for this alert (with the specifics). */
  readonly title?: string;
  readonly severity?: Severity;
  readonly evidence: Evidence;
  /** Facts for the analyst, merged into the alert (latest wins). */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** ATT&CK for ICS techniques this finding adds to the detection's (an indicator's own, from its feed). */
  readonly techniques?: readonly string[];
}

/** An ARP packet as detectors see it (Ethernet/IPv4 only). */
export interface ArpObservation {
  readonly ts: number;
  readonly op: 'request' | 'reply';
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetIp: string;
  /** Outer VLAN id (0 untagged): one address may live on several VLANs of a trunk. */
  readonly vlan?: number;
}

/** What the inventory knows of an address's asset when a detector asks (judged from the traffic so far). */
export interface AssetContext {
  readonly id: string;
  /** Most confident first: ROLES of src/common/vocabulary.ts (`controller`, `hmi_scada`, `engineering_workstation`...). */
  readonly roles: readonly string[];
  readonly purdue: number | null;
  readonly criticality: 'high' | 'medium' | 'low';
  /** The address's zone (`10.1.0.0/16`), or null. */
  readonly zone: string | null;
  readonly vendor: string | null;
  readonly model: string | null;
  /** Every address of the asset is public. */
  readonly external: boolean;
}

/** An alert a detector holds on to (DetectContext.alertOf); opaque. */
export interface AlertHandle {
  readonly id: string;
}

/** A running flow's payload in one direction reached a volume mark (64 KiB, 1 MiB, 16 MiB, 256 MiB). */
export interface FlowVolume {
  readonly flow: FlowRecord;
  /** Client to server (else server to client). */
  readonly toServer: boolean;
  readonly ts: number;
  /** Payload bytes so far in that direction. */
  readonly bytes: number;
}

export interface DetectContext {
  raise(detection: DetectionInfo, finding: Finding): void;
  /** Hosts seen answering an industrial protocol (PLCs, RTUs, outstations): the controllers of the network. */
  isIndustrialServer(ip: string): boolean;
  /** The asset behind an address, or null when there is no inventory or the address is unknown. */
  asset(ip: string): AssetContext | null;
  /**
   * The alert of (detection id, src, dst, key), or null before its first finding: a detector that fires on every
   * record (modeling) keeps it and calls `repeat` instead of building the same finding again.
   */
  alertOf(detection: string, src: string | null, dst: string | null, key: string): AlertHandle | null;
  /**
   * Counts a repeat on `alert` when its latest evidence is under a capture second old (count and last seen move on)
   * and answers true; false when a finding is due, so the evidence sample stays current.
   */
  repeat(alert: AlertHandle, ts: number): boolean;
}

/** A detection's state in one pipeline. Every table it keeps has a cap. */
export interface Detector {
  transaction?(t: TransactionRecord, ctx: DetectContext): void;
  hint?(h: HintRecord, ctx: DetectContext): void;
  flowEnd?(f: FlowRecord, ctx: DetectContext): void;
  flowVolume?(v: FlowVolume, ctx: DetectContext): void;
  arp?(a: ArpObservation, ctx: DetectContext): void;
  /** Capture time moved on (once per capture second): windows close. */
  expire?(nowSec: number, ctx: DetectContext): void;
}

export interface Detection extends DetectionInfo {
  create(): Detector;
}
