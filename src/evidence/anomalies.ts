// Anomaly catalogue of evidence keeping and export: what could not be kept, what was deleted, where an export stopped.
import { defineAnomalies } from '../common/anomaly.js';

export const EVIDENCE_ANOMALIES = defineAnomalies('evidence', {
  keep_failed: {
    severity: 'violation',
    description: 'A capture could not be kept (linking, copying, decompressing or indexing it failed); its time range is reported as a gap.',
  },
  over_budget: {
    severity: 'cap',
    description: 'A capture larger than the evidence budget was not kept; its time range is reported as a gap.',
  },
  evicted: {
    severity: 'cap',
    description: 'A kept capture was deleted, oldest kept first, to stay within the evidence budget; its time range is reported as a gap.',
  },
  ring_rotated: {
    severity: 'cap',
    description: "A live ring segment was deleted, oldest first, because the live rings exceeded their share of the budget; its time range is reported as a gap.",
  },
  ring_not_pcap: {
    severity: 'violation',
    description: 'A live capture stream did not start with a classic pcap header; nothing of that run is kept.',
  },
  ring_bad_record: {
    severity: 'violation',
    description: 'A live stream record declared more than 16 MiB; keeping stops for the rest of that run (reported as a gap).',
  },
  ring_write_failed: {
    severity: 'violation',
    description: 'Writing a live ring segment failed (disk full, permissions); keeping stops for the rest of that run.',
  },
  missing_file: {
    severity: 'violation',
    description: "A kept capture's file vanished (deleted outside Lantern); it is dropped from the catalogue and its range reported as a gap.",
  },
  duplicate: {
    severity: 'weird',
    description: 'A capture identical to one already kept (same size, frames, first and last time, and hash of its first and last 64 KiB) is not kept twice.',
  },
  catalog_unreadable: {
    severity: 'violation',
    description: 'The evidence catalogue could not be read at start; files the catalogue named are re-indexed from the folders.',
  },
  gaps_folded: {
    severity: 'cap',
    description: 'More than 10,000 gap records: the oldest were folded into one horizon before which evidence may be missing.',
  },
  export_frame_cap: {
    severity: 'cap',
    description: 'An export stopped at its frame cap; the last packet carries a comment saying so, and the response header too.',
  },
  export_byte_cap: {
    severity: 'cap',
    description: 'An export stopped at its byte cap; the last packet carries a comment saying so, and the response header too.',
  },
  export_merge_cap: {
    severity: 'cap',
    description: 'More than 64 kept captures overlap one moment of an export; the extra ones were not read (reported as gaps).',
  },
});
