// How the report writes numbers, durations, times and untrusted text (alert titles, host names come from the wire).

/** Cuts `s` to `max` characters (code points, so no surrogate pair is split), ending in an ellipsis when cut. */
export function cut(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 alert`, `3 alerts`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A duration for people: `40 s`, `12 min`, `3 h 10 min`, `2 d 4 h`; `up` rounds up (for "within"). */
export function span(seconds: number, up = false): string {
  const round = up ? Math.ceil : Math.round;
  const s = Math.max(0, seconds);
  if (round(s) < 60) return `${round(s)} s`;
  const m = round(s / 60);
  if (m < 60) return `${m} min`;
  if (m < 1440) return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
  const h = round(s / 3600);
  return h % 24 === 0 ? `${h / 24} d` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-28 07:15` (UTC; seconds left out). */
export function utc(ts: number): string {
  if (!Number.isFinite(ts)) return '—';
  const d = new Date(ts * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** C0 and C1 controls and the bidirectional overrides that could make a hostile title read as something else. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text for HTML (content or a quoted attribute): escaped, controls and direction overrides dropped. */
export function esc(s: string): string {
  return String(s)
    .replace(UNPRINTABLE, ' ')
    .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const ROLE_NAMES: Readonly<Record<string, string>> = {
  controller: 'controller',
  field_device: 'field device',
  hmi_scada: 'HMI / SCADA',
  engineering_workstation: 'engineering workstation',
  historian: 'historian',
  network_device: 'network device',
  it_host: 'IT host',
  unknown: 'unknown role',
};

/** An asset role (src/common/vocabulary.ts ROLES) in words. */
export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role.replace(/_/g, ' ');
}
