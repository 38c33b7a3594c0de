// Limits hit while user rules run (src/detect/rules/rule-set.ts); problems in a rule file are RuleErrors, not anomalies.
import { defineAnomalies } from '../../common/anomaly.js';

export const RULE_ANOMALIES = defineAnomalies('rules', {
  threshold_groups_full: {
    severity: 'cap',
    description: 'A threshold rule already tracks MAX_GROUPS_PER_RULE groups (or all rules MAX_GROUPS): matches of a new group were not counted until old groups expire.',
  },
  threshold_slots_full: {
    severity: 'cap',
    description: 'Threshold windows hold MAX_WINDOW_SLOTS match times in all: a window that needed to grow did not, and the match was not counted.',
  },
});

export const RULE_ANOMALY = RULE_ANOMALIES.codes;
