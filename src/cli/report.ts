// The readable end-of-run summary printed on the terminal (the same facts as summary.json, for people).
import type { Summary } from '../pipeline/summary.js';

export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  for (const input of s.inputs) {
    const what = input.error
      ? `error: ${input.error.message}`
      : `${input.format}${input.compressed ? ' (gzip)' : ''}, ${n(input.frames)} frames${input.truncated ? ', TRUNCATED (ends mid-record)' : ''}`;
    lines.push(`  ${input.path}: ${what}`);
  }
  lines.push('');
  const span = s.first_ts !== null && s.last_ts !== null ? `${iso(s.first_ts)} → ${iso(s.last_ts)} (${duration(s.duration_seconds)})` : 'no frames';
  lines.push(`  Frames     ${n(s.frames)}   ${(s.bytes / 1e6).toFixed(1)} MB captured   ${span}`);
  lines.push(`  Link types ${entries(s.link_types)}`);
  const l = s.layers;
  lines.push(
    `  Layers     IPv4 ${n(l.ipv4 ?? 0)}  IPv6 ${n(l.ipv6 ?? 0)}  TCP ${n(l.tcp ?? 0)}  UDP ${n(l.udp ?? 0)}  ICMP ${n((l.icmp ?? 0) + (l.icmpv6 ?? 0))}  ARP ${n(l.arp ?? 0)}  fragments ${n(l.fragments ?? 0)} (${n(l.fragments_reassembled ?? 0)} datagrams reassembled)`,
  );
  if (Object.keys(s.l2_protocols).length > 0) lines.push(`  Layer 2    ${entries(s.l2_protocols)}`);
  const t = s.tcp;
  lines.push(
    `  TCP        ${n(t.segments)} segments  ${n(t.retransmissions)} retransmissions  ${n(t.out_of_order)} out of order  ${n(t.gaps)} gaps (${n(t.gap_bytes)} bytes missing)`,
  );
  const byProto = (s.flow_detail.by_protocol ?? {}) as Record<string, number>;
  lines.push(`  Flows      ${n(s.flows)}${Object.keys(byProto).length ? `   ${entries(byProto)}` : ''}`);
  const anomalies = Object.entries(s.anomalies).sort((a, b) => b[1] - a[1]);
  if (anomalies.length === 0) lines.push('  Anomalies  none');
  else {
    lines.push(`  Anomalies  ${n(s.anomaly_total)} in ${anomalies.length} kinds`);
    for (const [code, count] of anomalies.slice(0, 12)) lines.push(`    ${code.padEnd(36)} ${n(count)}`);
    if (anomalies.length > 12) lines.push(`    … ${anomalies.length - 12} more kinds in summary.json`);
  }
  if (s.internal_errors.length > 0) lines.push(`  Internal errors: ${s.internal_errors.length} (first: ${s.internal_errors[0].split('\n')[0]})`);
  lines.push(
    `  Processed  ${(s.file_bytes / 1e6).toFixed(1)} MB in ${s.processing_seconds.toFixed(2)} s: ${s.throughput.mb_per_s.toFixed(1)} MB/s, ${n(s.throughput.frames_per_s)} frames/s, peak RSS ${(s.peak_rss_bytes / 1e6).toFixed(0)} MB`,
  );
  return lines.join('\n');
}

function entries(rec: Record<string, number>): string {
  return Object.entries(rec)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join('  ');
}

function iso(ts: number): string {
  const d = new Date(ts * 1000);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function duration(sec: number): string {
  if (sec < 120) return `${sec.toFixed(1)} s`;
  if (sec < 7200) return `${(sec / 60).toFixed(1)} min`;
  if (sec < 172800) return `${(sec / 3600).toFixed(1)} h`;
  return `${(sec / 86400).toFixed(1)} days`;
}
