// Alerts as ArcSight CEF records (Implementing ArcSight CEF, revision 25): the header with `|` and `\` escaped, the
// extension with `\`, `=` and line breaks escaped, standard keys from the CEF dictionary; fitted to a byte cap.
import { isIPv4, isIPv6 } from 'node:net';
import type { NotifyAlert, NotifyEventType, NotifySeverity } from './types.js';
import { byteLength, cutChars, cutUtf8 } from './utf8.js';

export const CEF_VENDOR = 'Lantern';
export const CEF_PRODUCT = 'Lantern';
/** CEF severities 0..10: 0-3 low, 4-6 medium, 7-8 high, 9-10 very high. */
export const CEF_SEVERITY: Record<NotifySeverity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };
/** The dictionary's common string length (msg, cat, csN, flexStringN). */
const MAX_VALUE_CHARS = 1023;
/** The Name header field. */
const MAX_NAME_CHARS = 512;
const MAX_CLASS_CHARS = 1023;

/** A header field: `\` and `|` escaped; line breaks are not allowed in the header and become spaces. */
export function escapeCefHeader(s: string): string {
  return s.replace(/[\\|]/g, '\\$&').replace(/[\r\n]+/g, ' ');
}

/** An extension value: `\` and `=` escaped, CR and LF written `\r` and `\n`. */
export function escapeCefValue(s: string): string {
  return s.replace(/[\\=]/g, '\\$&').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Extension fields in groups kept or left out together (a custom field and its label), most important first. */
export function cefExtension(a: NotifyAlert, event: NotifyEventType): [string, string][][] {
  const ms = (s: number) => String(Math.round(s * 1000));
  const g: [string, string][][] = [
    [['rt', ms(a.last_seen)]],
    [['externalId', a.id]],
    [['cn1', String(Math.round(a.score))], ['cn1Label', 'riskScore']],
    [['cat', a.kind]],
    [['cnt', String(a.count)]],
  ];
  const address = (ep: NotifyAlert['src'], v4: string, v6: string, label: string) => {
    if (ep === null) return;
    if (isIPv4(ep.ip)) g.push([[v4, ep.ip]]);
    else if (isIPv6(ep.ip)) g.push([[v6, ep.ip], [`${v6}Label`, label]]);
  };
  address(a.src, 'src', 'c6a2', 'Source IPv6 Address');
  address(a.dst, 'dst', 'c6a3', 'Destination IPv6 Address');
  if (a.protocol !== null) g.push([['app', a.protocol]]);
  g.push([['start', ms(a.first_seen)]], [['end', ms(a.last_seen)]], [['flexString1', event], ['flexString1Label', 'event']], [['cs5', a.status], ['cs5Label', 'status']], [['cfp1', String(a.confidence)], ['cfp1Label', 'confidence']]);
  if (a.techniques.length > 0) g.push([['cs1', a.techniques.join(',')], ['cs1Label', 'techniques']]);
  if (a.tactics.length > 0) g.push([['cs2', a.tactics.join(',')], ['cs2Label', 'tactics']]);
  if (a.src?.asset) g.push([['cs3', a.src.asset], ['cs3Label', 'srcAsset']]);
  if (a.dst?.asset) g.push([['cs4', a.dst.asset], ['cs4Label', 'dstAsset']]);
  if (a.url !== undefined && a.url !== '') g.push([['cs6', a.url], ['cs6Label', 'consoleUrl']]);
  g.push([['msg', a.title]]);
  return g.map((group) => group.map(([k, v]) => [k, cutChars(v, MAX_VALUE_CHARS)]));
}

export interface CefRecord {
  text: string;
  truncated: boolean;
}

/**
 * `CEF:0|Lantern|Lantern|version|detection|title|severity|extension` within `maxBytes`: extension groups are left out
 * from the least important, then the Name is shortened.
 */
export function formatCef(a: NotifyAlert, event: NotifyEventType, version: string, maxBytes: number): CefRecord {
  const head = (name: string) =>
    `CEF:0|${escapeCefHeader(CEF_VENDOR)}|${escapeCefHeader(CEF_PRODUCT)}|${escapeCefHeader(version)}|${escapeCefHeader(cutChars(a.detection, MAX_CLASS_CHARS))}|${escapeCefHeader(name)}|${CEF_SEVERITY[a.severity]}|`;
  let name = cutChars(a.title, MAX_NAME_CHARS);
  let header = head(name);
  let truncated = false;
  let groups = cefExtension(a, event);
  for (;;) {
    const ext = groups.map((group) => group.map(([k, v]) => `${k}=${escapeCefValue(v)}`).join(' ')).join(' ');
    const text = header + ext;
    if (byteLength(text) <= maxBytes) return { text, truncated };
    truncated = true;
    if (groups.length > 0) groups = groups.slice(0, -1);
    else if (name === '') return { text: cutUtf8(text, maxBytes), truncated };
    else {
      // Only the header is left: shorten the Name by at least the excess.
      name = cutChars(name, Math.max(0, name.length - (byteLength(text) - maxBytes)));
      header = head(name);
    }
  }
}
