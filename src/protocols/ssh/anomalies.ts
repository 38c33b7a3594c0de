// Anomalies of the SSH module (the identification strings of RFC 4253 4.2).
import { defineAnomalies } from '../../common/anomaly.js';

export const SSH_ANOMALIES = defineAnomalies('ssh', {
  not_ssh: {
    severity: 'violation',
    description: 'The client did not start with `SSH-`, or the server sent more than 16 lines or 4 KiB before its banner: the direction is no longer parsed.',
  },
  bad_banner: { severity: 'weird', description: 'A banner that is not `SSH-<protoversion>-<softwareversion>`: it is exported as sent.' },
  banner_too_long: { severity: 'cap', description: 'A banner over 255 bytes without a line end: the first 255 bytes are used.' },
  gap: { severity: 'weird', description: 'Capture loss before the banner: the direction is no longer parsed.' },
});
