// Every built-in detection, one module each (src/detect/behaviors/, later modeling, configuration, indicators).
// The ATT&CK coverage report (docs/attack-coverage.md) and the console's detection list read this table.
import type { Detection } from './types.js';
import { programDownload } from './behaviors/program-download.js';
import { programUpload } from './behaviors/program-upload.js';
import { modeChange } from './behaviors/mode-change.js';
import { deviceRestart } from './behaviors/device-restart.js';
import { firmwareUpdate } from './behaviors/firmware-update.js';
import { blockReporting } from './behaviors/block-reporting.js';
import { clockChange } from './behaviors/clock-change.js';
import { credentialChange } from './behaviors/credential-change.js';
import { unauthorizedCommand } from './behaviors/unauthorized-command.js';

export const BUILTIN_DETECTIONS: readonly Detection[] = [
  programDownload,
  programUpload,
  modeChange,
  deviceRestart,
  firmwareUpdate,
  blockReporting,
  clockChange,
  credentialChange,
  unauthorizedCommand,
];
