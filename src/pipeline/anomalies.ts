// Anomalies raised by the pipeline itself: a bug inside one stage costs that frame, never the process.
import { defineAnomalies } from '../common/anomaly.js';

export const PIPELINE_ANOMALIES = defineAnomalies('pipeline', {
  internal_error: {
    severity: 'violation',
    description: 'A stage threw while handling one frame; the frame was dropped and processing went on (a Lantern bug: please report it with the capture).',
  },
  time_went_backwards: {
    severity: 'weird',
    description: 'A frame is older than the newest one seen; timeouts keep using the newest time.',
  },
});
