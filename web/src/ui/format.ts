// How the console writes times, sizes and counts: capture times in UTC (the sensor's clock is the capture's),
// numbers grouped, sizes in binary units.

const pad = (n: number) => String(n).padStart(2, '0');

/** Capture time (seconds) as `2026-11-28 07:15:02` UTC. */
export function time(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '—';
  const d = new Date(ts * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `time()` with milliseconds, for events. */
export function timeMs(ts: number): string {
  return `${time(ts)}.${String(Math.floor((ts % 1) * 1000)).padStart(3, '0')}`;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A duration in seconds as `3 h 12 min`. */
export function duration(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.round((s % 86400) / 3600)} h`;
}

export const PURDUE_LEVELS: Record<string, string> = {
  '0': 'Level 0 · process',
  '1': 'Level 1 · basic control',
  '2': 'Level 2 · supervisory',
  '3': 'Level 3 · operations',
  '4': 'Level 4 · enterprise',
  '5': 'Level 5 · internet',
};

export function purdue(level: number | null): string {
  return level === null ? 'Level unknown' : (PURDUE_LEVELS[String(level)] ?? `Level ${level}`);
}

const ROLE_NAMES: Record<string, string> = {
  controller: 'Controller',
  field_device: 'Field device',
  hmi_scada: 'HMI / SCADA',
  engineering_workstation: 'Engineering workstation',
  historian: 'Historian',
  network_device: 'Network device',
  it_host: 'IT host',
  unknown: 'Unknown',
};

export function role(r: string): string {
  return ROLE_NAMES[r] ?? r.replace(/_/g, ' ');
}

/** The best name of an asset: its first name, else its first IP, else its id. */
export function assetName(a: { names: { name: string }[]; ips: string[]; id: string }): string {
  return a.names[0]?.name ?? a.ips[0] ?? a.id;
}
