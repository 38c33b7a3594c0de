// Every built-in detection, one module each (src/detect/behaviors/, src/detect/modeling/, src/detect/configuration/);
// the indicator detection joins when threat intel is loaded (src/detect/indicators/).
// The ATT&CK coverage report (docs/attack-coverage.md) and the console's detection list read this table.
import type { Detection, DetectionInfo } from './types.js';
import { programDownload } from './behaviors/program-download.js';
import { programUpload } from './behaviors/program-upload.js';
import { modeChange } from './behaviors/mode-change.js';
import { deviceRestart } from './behaviors/device-restart.js';
import { firmwareUpdate } from './behaviors/firmware-update.js';
import { blockReporting } from './behaviors/block-reporting.js';
import { clockChange } from './behaviors/clock-change.js';
import { credentialChange } from './behaviors/credential-change.js';
import { unauthorizedCommand } from './behaviors/unauthorized-command.js';
import { remoteDiscovery } from './behaviors/remote-discovery.js';
import { portScan } from './behaviors/port-scan.js';
import { bruteForceIo } from './behaviors/brute-force-io.js';
import { denialOfService } from './behaviors/denial-of-service.js';
import { spoofedReporting } from './behaviors/spoofed-reporting.js';
import { adversaryInTheMiddle } from './behaviors/adversary-in-the-middle.js';
import { remoteServicesToControllerZone } from './behaviors/remote-services.js';
import { externalRemoteServices } from './behaviors/external-remote-services.js';
import { controllerExternal } from './behaviors/controller-external.js';
import { controllerInternetAccessible } from './behaviors/controller-internet-accessible.js';
import { toolTransfer } from './behaviors/tool-transfer.js';
import { bindingChange } from './configuration/binding-change.js';
import { firmwareChange } from './configuration/firmware-change.js';
import { identityChange } from './configuration/identity-change.js';
import { Baseline, modelingDetections } from './modeling/index.js';
import { indicatorDetection, indicatorMatchInfo } from './indicators/indicator-match.js';
import type { IndicatorSet } from './indicators/indicator-set.js';
import { IntelFeed } from './indicators/intel-feed.js';
import type { RuleSet } from './rules/rule-set.js';

const BEHAVIORS: readonly Detection[] = [
  programDownload,
  programUpload,
  modeChange,
  deviceRestart,
  firmwareUpdate,
  blockReporting,
  clockChange,
  credentialChange,
  unauthorizedCommand,
  remoteDiscovery,
  portScan,
  bruteForceIo,
  denialOfService,
  spoofedReporting,
  adversaryInTheMiddle,
  remoteServicesToControllerZone,
  externalRemoteServices,
  controllerExternal,
  controllerInternetAccessible,
  toolTransfer,
  bindingChange,
  firmwareChange,
  identityChange,
];

export interface CatalogOptions {
  /** The modeling detections' learning window (capture seconds). */
  learnSeconds?: number;
  /** Threat intel: adds the indicator detection (a feed is always matched: its set can be replaced while running). */
  indicators?: IndicatorSet | IntelFeed | null;
  /** User rules (docs/rules.md): one detection running the set's current rules. */
  rules?: RuleSet | null;
  /** The modeling baseline of the run (default: a new one per pipeline); a server passes the one it stores. */
  baseline?: () => Baseline;
}

/** The built-in detections for one run: each pipeline learns its own baseline. */
export function builtinDetections(o: CatalogOptions = {}): Detection[] {
  return [
    ...BEHAVIORS,
    ...modelingDetections(o.baseline ?? (() => new Baseline({ learnSeconds: o.learnSeconds })), { learnSeconds: o.learnSeconds }),
    ...(o.indicators instanceof IntelFeed || (o.indicators != null && o.indicators.size > 0) ? [indicatorDetection(o.indicators)] : []),
    ...(o.rules != null ? [o.rules.detection] : []),
  ];
}

/** Every detection there is, for listings and the ATT&CK coverage report (the indicator one included). */
export const DETECTION_CATALOG: readonly DetectionInfo[] = [...builtinDetections(), indicatorMatchInfo];
