// A small STIX 2.1 bundle written for the indicator tests (not taken from any feed): one indicator of each supported
// kind with its context, each unsupported form, an expired, a revoked and two malformed indicators.
const IDENTITY = 'identity--6f0e1d52-1b0a-4c1e-9a55-0c7a4e3f0001';
const PATTERN = 'attack-pattern--6f0e1d52-1b0a-4c1e-9a55-0c7a4e3f0002';

export const SAMPLE_BUNDLE = {
  type: 'bundle',
  id: 'bundle--6f0e1d52-1b0a-4c1e-9a55-0c7a4e3f0000',
  objects: [
    { type: 'identity', spec_version: '2.1', id: IDENTITY, name: 'Example OT ISAC', identity_class: 'organization' },
    {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: PATTERN,
      name: 'Standard Application Layer Protocol',
      external_references: [{ source_name: 'mitre-ics-attack', external_id: 'T0869', url: 'https://attack.mitre.org/techniques/T0869' }],
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--00000000-0000-4000-8000-000000000001',
      created_by_ref: IDENTITY,
      name: 'Remote access trojan C2',
      description: 'Command-and-control server seen talking to engineering workstations. '.repeat(20),
      indicator_types: ['malicious-activity'],
      labels: ['c2'],
      pattern: "[ipv4-addr:value = '203.0.113.7'] OR [domain-name:value = 'c2.example-bad.net']",
      pattern_type: 'stix',
      valid_from: '2026-01-01T00:00:00Z',
      valid_until: '2027-01-01T00:00:00Z',
      confidence: 85,
      kill_chain_phases: [{ kill_chain_name: 'mitre-ics-attack', phase_name: 'command-and-control' }],
      external_references: [{ source_name: 'example-isac', url: 'https://isac.example/reports/42', external_id: 'R-42' }],
    },
    { type: 'relationship', spec_version: '2.1', id: 'relationship--00000000-0000-4000-8000-0000000000a1', relationship_type: 'indicates', source_ref: 'indicator--00000000-0000-4000-8000-000000000001', target_ref: PATTERN },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000002', pattern: "[ipv6-addr:value ISSUBSET '2001:db8:bad::/48']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', confidence: 30 },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000003', pattern: "[url:value = 'http://files.example-bad.net/stage2.bin']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000004', pattern: "[file:hashes.'SHA-256' = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000005', pattern: "[ipv4-addr:value = '192.0.2.5'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.6']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000006', pattern: 'alert tcp any any -> any 502', pattern_type: 'snort', valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000007', name: 'Old scanner', pattern: "[ipv4-addr:value = '192.0.2.9']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', valid_until: '2025-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000008', pattern: "[ipv4-addr:value = '192.0.2.10']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', revoked: true },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000009', pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000010', pattern: "[ipv4-addr:value = '192.0.2.11']", pattern_type: 'stix', confidence: 'high' },
    { type: 'malware', spec_version: '2.1', id: 'malware--00000000-0000-4000-8000-000000000011', name: 'not an indicator', is_family: true },
  ],
};

