// `--export DIR`: the analysis results as files: summary.json (docs/summary.md), flows.ndjson (docs/flows.md),
// events/ and hints.ndjson (docs/events.md); the inventory files are written by export-inventory.ts.
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowEndListener, FlowRecord } from '../flow/flow-table.js';
import type { Summary } from '../pipeline/summary.js';
import type { EventOutput, HintRecord, LinkDiscoveryRecord } from '../pipeline/events.js';
import type { RepeatSummaryRecord, TransactionRecord } from '../pipeline/detail.js';

export function writeSummary(dir: string, summary: Summary): void {
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, 'summary.json'), summary);
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

const FLUSH_BYTES = 1 << 20;

/**
 * One JSON object per line, written through a temporary name until close(), with synchronous buffered writes: the
 * capture read loop is synchronous, so there is no backpressure to wait for.
 */
export class NdjsonFile {
  private readonly tmp: string;
  private fd: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  written = 0;

  constructor(private readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(value: unknown): void {
    const line = JSON.stringify(value) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.written++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }
}

/** DIR/flows.ndjson: one record per ended flow (docs/flows.md). */
export class FlowLogWriter implements FlowEndListener {
  private readonly file: NdjsonFile;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = new NdjsonFile(join(dir, 'flows.ndjson'));
  }

  onFlowEnd(flow: FlowRecord): void {
    this.file.write(flowLogRecord(flow));
  }

  flush(): void {
    this.file.flush();
  }

  close(): void {
    this.file.close();
  }
}

/** DIR/events/<protocol>.ndjson (transactions and repeat summaries) and DIR/hints.ndjson (docs/events.md). */
export class EventLogWriter implements EventOutput {
  private readonly files = new Map<string, NdjsonFile>();
  private hints: NdjsonFile | null = null;

  constructor(private readonly dir: string) {}

  transaction(record: TransactionRecord | RepeatSummaryRecord): void {
    let file = this.files.get(record.protocol);
    if (file === undefined) {
      mkdirSync(join(this.dir, 'events'), { recursive: true });
      file = new NdjsonFile(join(this.dir, 'events', `${safeName(record.protocol)}.ndjson`));
      this.files.set(record.protocol, file);
    }
    file.write(record);
  }

  hint(record: HintRecord | LinkDiscoveryRecord): void {
    if (this.hints === null) {
      mkdirSync(this.dir, { recursive: true });
      this.hints = new NdjsonFile(join(this.dir, 'hints.ndjson'));
    }
    this.hints.write(record);
  }

  linkDiscovery(record: LinkDiscoveryRecord): void {
    this.hint(record);
  }

  flush(): void {
    for (const f of this.files.values()) f.flush();
    this.hints?.flush();
  }

  close(): void {
    for (const f of this.files.values()) f.close();
    this.hints?.close();
  }
}

function safeName(protocol: string): string {
  return protocol.replace(/[^a-z0-9_-]/gi, '_');
}

/** The documented flows.ndjson record (docs/flows.md). */
export function flowLogRecord(f: FlowRecord): Record<string, unknown> {
  return {
    ts: f.firstTs,
    last_ts: f.lastTs,
    duration: Math.round((f.lastTs - f.firstTs) * 1e6) / 1e6,
    id: f.id,
    transport: f.transport,
    ip_proto: f.ipProto,
    client: f.client,
    server: f.server,
    role_source: f.roleSource,
    vlan: f.vlan,
    protocol: f.protocol,
    packets_to_server: f.packetsToServer,
    packets_to_client: f.packetsToClient,
    bytes_to_server: f.bytesToServer,
    bytes_to_client: f.bytesToClient,
    payload_bytes_to_server: f.payloadBytesToServer,
    payload_bytes_to_client: f.payloadBytesToClient,
    end_reason: f.endReason,
    tcp: f.tcp === null
      ? null
      : {
          handshake: f.tcp.handshake,
          gaps: f.tcp.gaps,
          gap_bytes: f.tcp.gapBytes,
          retransmissions: f.tcp.retransmissions,
          overlap_mismatches: f.tcp.overlapMismatches,
        },
  };
}
