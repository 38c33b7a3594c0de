// Routing of the events protocol sessions emit: each gets its flow's endpoints, transactions pass the detail filter,
// and everything is counted per protocol for the summary.
import type { FlowInfo, ProtocolEvent, Endpoint } from '../protocols/protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../protocols/operation.js';
import type { ProtocolEventSink } from '../flow/flow-table.js';
import type { LinkDiscovery } from '../protocols/link-discovery/types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DetectionEngine } from '../detect/engine.js';
import { DetailFilter, type DetailOptions, type RepeatSummaryRecord, type TransactionRecord } from './detail.js';

export interface EventRecordBase {
  ts: number;
  protocol: string;
  type: string;
  flow: number;
  client: Endpoint;
  server: Endpoint;
}

export type HintRecord = EventRecordBase & AssetHintEvent;

/** An LLDP or CDP frame's content (no flow: layer 2), written to hints.ndjson beside the protocol hints. */
export type LinkDiscoveryRecord = { ts: number; type: 'link_discovery'; vlan: number } & LinkDiscovery;

/** Where routed events go (the export writer, later the store and the detections). */
export interface EventOutput {
  transaction(record: TransactionRecord | RepeatSummaryRecord): void;
  hint(record: HintRecord): void;
  linkDiscovery?(record: LinkDiscoveryRecord): void;
}

export class ProtocolEventCounters {
  transactions = 0;
  exported = 0;
  summarised = 0;
  hints = 0;
  readonly byOutcome: Record<string, number> = {};
}

export class EventRouter implements ProtocolEventSink {
  readonly counters = new Map<string, ProtocolEventCounters>();
  private readonly filter: DetailFilter;

  constructor(
    private readonly output: EventOutput | null,
    detail: DetailOptions = {},
    private readonly inventory: Inventory | null = null,
    private readonly detection: DetectionEngine | null = null,
  ) {
    this.filter = new DetailFilter(detail, (rec) => {
      this.countersOf(rec.protocol).exported++;
      this.output?.transaction(rec);
    }, (protocol) => this.countersOf(protocol).summarised++);
  }

  onEvent(event: ProtocolEvent, flow: FlowInfo): void {
    // Common fields first, in a fixed order, then the event's own (Object.assign keeps the first key order).
    const record = Object.assign({ ts: event.ts, protocol: event.protocol, type: event.type, flow: flow.id, client: flow.client, server: flow.server }, event);
    const c = this.countersOf(event.protocol);
    if (event.type === 'transaction') {
      c.transactions++;
      const outcome = (event as TransactionEvent).outcome;
      c.byOutcome[outcome] = (c.byOutcome[outcome] ?? 0) + 1;
      this.inventory?.observeTransaction(record as TransactionRecord, flow);
      this.detection?.transaction(record as TransactionRecord);
      this.filter.offer(record as TransactionRecord);
    } else if (event.type === 'asset_hint') {
      c.hints++;
      this.inventory?.observeHint(record as HintRecord);
      this.detection?.hint(record as HintRecord);
      this.output?.hint(record as HintRecord);
    }
  }

  /** A link-discovery frame (LLDP, CDP): counted as a hint of its protocol. */
  onLinkDiscovery(ld: LinkDiscovery, ts: number, vlan: number): void {
    this.countersOf(ld.protocol).hints++;
    this.inventory?.observeLinkDiscovery(ld, ts, vlan);
    this.output?.linkDiscovery?.({ ts, type: 'link_discovery', vlan, ...ld });
  }

  /** Capture time moved on: summaries of long-repeated polls are written. */
  expire(nowSec: number): void {
    this.filter.expire(nowSec);
  }

  /** End of input: every pending summary is written. */
  finish(): void {
    this.filter.finish();
  }

  private countersOf(protocol: string): ProtocolEventCounters {
    let c = this.counters.get(protocol);
    if (c === undefined) {
      c = new ProtocolEventCounters();
      this.counters.set(protocol, c);
    }
    return c;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [p, c] of [...this.counters.entries()].sort()) out[p] = { transactions: c.transactions, exported: c.exported, summarised: c.summarised, hints: c.hints, by_outcome: c.byOutcome };
    return out;
  }
}
