// Limits hit while loading threat-intel indicators (src/detect/indicators/indicator-set.ts).
import { defineAnomalies } from '../../common/anomaly.js';

export const INDICATOR_ANOMALIES = defineAnomalies('indicators', {
  too_many_indicators: { severity: 'cap', description: 'The indicator set is full (MAX_INDICATORS): later indicators were not loaded.' },
  too_many_values: { severity: 'cap', description: 'The indicator set holds MAX_VALUES values (addresses, ranges, names, URLs, hashes): later ones were not loaded.' },
});

export const INDICATOR_ANOMALY = INDICATOR_ANOMALIES.codes;
