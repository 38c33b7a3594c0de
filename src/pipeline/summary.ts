// The analysis summary: what was read, what each layer saw, what went wrong. Written as DIR/summary.json by
// `lantern analyze --export DIR` and printed on the terminal; its fields are documented in docs/summary.md.
import { linkTypeName } from '../common/link-types.js';
import type { Pipeline } from './pipeline.js';
import type { InventorySummary } from '../inventory/snapshot.js';
import type { DetectionCounters } from '../detect/engine.js';

export interface InputReport {
  path: string;
  format: 'pcap' | 'pcapng' | null;
  compressed: boolean;
  frames: number;
  file_bytes: number;
  truncated: boolean;
  error?: { code: string; message: string };
}

export interface Summary {
  schema: 'lantern.summary/1';
  lantern_version: string;
  inputs: InputReport[];
  frames: number;
  bytes: number;
  wire_bytes: number;
  file_bytes: number;
  first_ts: number | null;
  last_ts: number | null;
  duration_seconds: number;
  truncated: boolean;
  link_types: Record<string, number>;
  layers: Record<string, number>;
  l2_protocols: Record<string, number>;
  tcp: Record<string, number>;
  flows: number;
  flow_detail: Record<string, unknown>;
  protocols: Record<string, unknown>;
  /** Assets and connections (docs/inventory.md); null when the pipeline ran without an inventory. */
  inventory: InventorySummary | null;
  /** Detection counters and alerts per severity (docs/detection.md); null without detections. */
  detection: (DetectionCounters & { by_severity: Record<string, number> }) | null;
  anomalies: Record<string, number>;
  anomaly_total: number;
  internal_errors: string[];
  processing_seconds: number;
  throughput: { mb_per_s: number; frames_per_s: number };
  peak_rss_bytes: number;
  capture_stats?: Record<string, unknown>;
}

export function buildSummary(
  pipeline: Pipeline,
  inputs: InputReport[],
  processingSeconds: number,
  version: string,
  inventory: InventorySummary | null = null,
): Summary {
  const dc = pipeline.decoder.counters;
  const fc = pipeline.flows.counters;
  const link: Record<string, number> = {};
  for (const [type, n] of [...dc.linkTypes.entries()].sort((a, b) => a[0] - b[0])) link[linkTypeName(type)] = n;
  const fileBytes = inputs.reduce((s, i) => s + i.file_bytes, 0);
  const seconds = Math.max(processingSeconds, 1e-9);
  const first = Number.isNaN(pipeline.firstTs) ? null : pipeline.firstTs;
  const last = Number.isNaN(pipeline.lastTs) ? null : pipeline.lastTs;
  return {
    schema: 'lantern.summary/1',
    lantern_version: version,
    inputs,
    frames: pipeline.frames,
    bytes: pipeline.capturedBytes,
    wire_bytes: pipeline.wireBytes,
    file_bytes: fileBytes,
    first_ts: first,
    last_ts: last,
    duration_seconds: first !== null && last !== null ? round6(last - first) : 0,
    truncated: inputs.some((i) => i.truncated),
    link_types: link,
    layers: layerCounters(dc),
    l2_protocols: Object.fromEntries([...dc.l2.entries()].sort((a, b) => b[1] - a[1])),
    tcp: {
      segments: fc.tcpSegments,
      retransmissions: fc.retransmissions,
      out_of_order: fc.outOfOrder,
      overlaps: fc.overlaps,
      overlap_mismatches: fc.overlapMismatches,
      gaps: fc.gaps,
      gap_bytes: fc.gapBytes,
      midstream_pickups: fc.midstreamPickups,
      buffer_cap_hits: fc.bufferCapHits,
      after_close: fc.afterClose,
      seq_jumps: fc.seqJumps,
    },
    flows: fc.created,
    flow_detail: {
      ended: fc.ended,
      active_at_end: fc.active,
      evicted_cap: fc.evictedCap,
      timed_out_idle: fc.timedOutIdle,
      timed_out_lifetime: fc.timedOutLifetime,
      by_protocol: Object.fromEntries([...fc.byProtocol.entries()].sort((a, b) => b[1] - a[1])),
    },
    protocols: pipeline.events.toJSON(),
    inventory,
    detection: pipeline.detection === null ? null : { ...pipeline.detection.counters(), by_severity: pipeline.detection.alerts.bySeverity() },
    anomalies: pipeline.anomalies.toJSON(),
    anomaly_total: pipeline.anomalies.total,
    internal_errors: [...pipeline.errorSamples, ...(pipeline.detection?.errorSamples ?? [])],
    processing_seconds: round6(processingSeconds),
    throughput: {
      mb_per_s: round3(fileBytes / 1e6 / seconds),
      frames_per_s: Math.round(pipeline.frames / seconds),
    },
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** The decoder's numeric counters, with the snake_case names every exported field uses. */
function layerCounters(dc: Pipeline['decoder']['counters']): Record<string, number> {
  const json = dc.toJSON() as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'number') out[snakeCase(k)] = v;
  return out;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
