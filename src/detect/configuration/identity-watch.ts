// The shared shape of the identity detections: per device (address, protocol-level address or device behind it) and
// per message and field, the first value is learned and a later different value fires; a value coming back after a
// change is counted as flapping. Values are compared only within one protocol message: two messages (or protocols)
// often write one fact differently (`V3.2.7` and `3.2.7`).
import type { HintRecord } from '../../pipeline/events.js';
import { isHostAddress } from '../../inventory/address-class.js';
import type { Detection, DetectionInfo, DetectContext, Severity } from '../types.js';

/** Device fields watched, across all protocols. */
const MAX_WATCHED = 50_000;
/** Distinct values remembered per field (for flapping and the facts). */
const MAX_VALUES = 8;
const MAX_VALUE_LENGTH = 128;

class Watched {
  readonly values: string[];
  changes = 0;
  flaps = 0;

  constructor(
    public value: string,
    public since: number,
  ) {
    this.values = [value];
  }
}

export interface IdentityWatchOptions {
  /** Identity fields watched, with their label for titles. */
  readonly fields: Readonly<Record<string, string>>;
  readonly severity: (field: string, ctx: DetectContext, ip: string) => Severity;
}

/** A detection firing when a watched identity field of one device changes value. */
export function identityWatch(info: DetectionInfo, options: IdentityWatchOptions): Detection {
  const fields = Object.entries(options.fields);
  return {
    ...info,
    create() {
      const watched = new Map<string, Watched>();
      return {
        hint(h: HintRecord, ctx: DetectContext) {
          const identity = h.identity;
          if (identity === undefined) return;
          let base: string | null = null;
          let ip = '';
          for (const [field, label] of fields) {
            const raw = identity[field];
            if (raw === undefined) continue;
            const value = String(raw).trim().slice(0, MAX_VALUE_LENGTH);
            if (value === '') continue;
            if (base === null) {
              ip = h.subject?.ip ?? (h.side === 'server' ? h.server.ip : h.client.ip);
              if (!isHostAddress(ip)) return;
              base = `${h.protocol}|${h.source}|${ip}|${h.address ?? ''}|${h.subject?.behind ?? ''}|`;
            }
            const key = base + field;
            const w = watched.get(key);
            if (w === undefined) {
              if (watched.size < MAX_WATCHED) watched.set(key, new Watched(value, h.ts));
              continue;
            }
            if (w.value === value) continue;
            const previous = w.value;
            const flapping = w.values.includes(value);
            w.changes++;
            if (flapping) w.flaps++;
            else if (w.values.length < MAX_VALUES) w.values.push(value);
            w.value = value;
            w.since = h.ts;
            const device = h.subject?.behind !== undefined ? `${ip} (device ${h.subject.behind})` : h.address !== undefined ? `${ip} (${h.protocol} address ${h.address})` : ip;
            const what = `${label} of ${device} changed from ${previous} to ${value}`;
            ctx.raise(info, {
              ts: h.ts,
              src: null,
              dst: ip,
              protocol: h.protocol,
              key: `${field}|${h.address ?? ''}|${h.subject?.behind ?? ''}`,
              title: `${what}${flapping ? ' (flapping)' : ''} (${h.protocol} ${h.source})`,
              severity: options.severity(field, ctx, ip),
              evidence: { ts: h.ts, flow: h.flow, protocol: h.protocol, what: h.source, target: { field, previous, value }, note: flapping ? 'a value seen before came back' : what },
              facts: { field, previous, value, values: [...w.values], changes: w.changes, flaps: w.flaps, source: h.source, address: h.address ?? null, behind: h.subject?.behind ?? null },
            });
          }
        },
      };
    },
  };
}
