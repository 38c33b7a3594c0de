// Anomalies raised by the store: records it refused to write.
import { defineAnomalies } from '../common/anomaly.js';

export const STORE_ANOMALIES = defineAnomalies('store', {
  invalid_record: {
    severity: 'violation',
    description: 'A record handed to the store lacked a required field or had one of the wrong type; it was skipped and the rest of its batch written.',
  },
});
