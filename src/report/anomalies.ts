// Anomalies of the management report: a list longer than one report reads, and a counters snapshot it cannot read.
import { defineAnomalies } from '../common/anomaly.js';

export const REPORT_ANOMALIES = defineAnomalies('report', {
  scan_cap: {
    severity: 'cap',
    description: 'The store held more incidents or suppressed alerts than one report reads (MAX_SCANNED); the counts of the page cover the first ones read and say so.',
  },
  bad_counters: {
    severity: 'weird',
    description: 'The latest counters snapshot in the store lacked the sensor fields the report reads (frames, inputs, anomaly_total); the sensor health box says it is unknown.',
  },
});
