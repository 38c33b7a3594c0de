// Every anomaly Lantern can raise, from each stage's own catalogue. docs/anomalies.md is rendered from this list
// (a test keeps the two in step), so a code is declared once, in the module that raises it.
import type { AnomalyDefinition } from '../common/anomaly.js';
import { CAPTURE_ANOMALIES, PCAP_ANOMALIES, PCAPNG_ANOMALIES } from '../capture/anomalies.js';
import { DECODE_ANOMALIES } from '../decode/anomalies.js';
import { FLOW_ANOMALIES, TCP_STREAM_ANOMALIES } from '../flow/anomalies.js';
import { PIPELINE_ANOMALIES } from './anomalies.js';
import { defaultRegistry } from '../protocols/registry.js';
import { LINK_DISCOVERY_ANOMALIES } from '../protocols/link-discovery/anomalies.js';
import { NOTIFY_ANOMALIES } from '../notify/anomalies.js';
import { EVIDENCE_ANOMALIES } from '../evidence/anomalies.js';
import { RULE_ANOMALIES } from '../detect/rules/anomalies.js';
import { REPORT_ANOMALIES } from '../report/anomalies.js';

export interface CatalogueSection {
  stage: string;
  definitions: readonly AnomalyDefinition[];
}

export const ANOMALY_SECTIONS: readonly CatalogueSection[] = [
  { stage: 'capture', definitions: [CAPTURE_ANOMALIES, PCAP_ANOMALIES, PCAPNG_ANOMALIES].flatMap((c) => c.definitions) },
  { stage: 'decode', definitions: DECODE_ANOMALIES },
  { stage: 'flow', definitions: [FLOW_ANOMALIES, TCP_STREAM_ANOMALIES].flatMap((c) => c.definitions) },
  { stage: 'pipeline', definitions: PIPELINE_ANOMALIES.definitions },
  { stage: 'link discovery (LLDP, CDP)', definitions: LINK_DISCOVERY_ANOMALIES.definitions },
  ...defaultRegistry.modules.map((m) => ({ stage: `protocol: ${m.id}`, definitions: m.anomalies })),
  { stage: 'user rules', definitions: RULE_ANOMALIES.definitions },
  { stage: 'notifications', definitions: NOTIFY_ANOMALIES.definitions },
  { stage: 'report', definitions: REPORT_ANOMALIES.definitions },
  { stage: 'evidence (kept captures, pcap export)', definitions: EVIDENCE_ANOMALIES.definitions },
];

export const ALL_ANOMALIES: readonly AnomalyDefinition[] = ANOMALY_SECTIONS.flatMap((s) => s.definitions);

export function isDeclaredAnomaly(code: string): boolean {
  return DECLARED.has(code);
}

const DECLARED = new Set(ALL_ANOMALIES.map((d) => d.code));

export function renderAnomalyDocs(): string {
  const lines = [
    '# Anomaly codes',
    '',
    'Generated from the catalogues in the code (`src/pipeline/anomaly-catalogue.ts`); `UPDATE_GOLDEN=1 npm test` rewrites',
    'this page. Codes are stable: they are an API for rules, dashboards and tests.',
    '',
    'Severities: **weird**: odd but decoding goes on; **violation**: the bytes are not (or no longer) what they claim,',
    'the unit is skipped or resynchronised; **cap**: a resource limit was hit and something was dropped or cut short.',
    '',
  ];
  for (const section of ANOMALY_SECTIONS) {
    lines.push(`## ${section.stage}`, '', '| code | severity | meaning |', '|---|---|---|');
    for (const d of section.definitions) lines.push(`| \`${d.code}\` | ${d.severity} | ${d.description.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
