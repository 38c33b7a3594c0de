// Anomalies raised by alert notifications: limits that dropped or cut something, stored targets that were refused.
import { defineAnomalies } from '../common/anomaly.js';

export const NOTIFY_ANOMALIES = defineAnomalies('notify', {
  queue_full: {
    severity: 'cap',
    description: "A target's queue was full (its receiver is down or slow): the notification was dropped and counted in the target's `dropped`.",
  },
  message_truncated: {
    severity: 'cap',
    description: "A syslog message was longer than the target's `max_bytes`: its text was shortened, then its least important fields left out.",
  },
  sent_memory_full: {
    severity: 'cap',
    description: 'The memory of alerts already sent to a target was full: the oldest was forgotten, so its next update is sent as new.',
  },
  invalid_pending: {
    severity: 'violation',
    description: 'A notification kept in the store from the last run was malformed (edited by hand, or from another version) and was not sent.',
  },
  invalid_target: {
    severity: 'violation',
    description: 'A stored notification target failed validation (edited by hand, or from another version) and was skipped.',
  },
});
