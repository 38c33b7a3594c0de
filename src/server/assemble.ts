// Everything `lantern serve` runs around one store, put together in one place so that the tests (the console end to
// end) run the same server: threat intel, user rules, notifications, kept captures (evidence), the sensor and the
// HTTP API with the console.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { IntelLibrary, type LoadedIntel } from './intel.js';
import { RuleLibrary } from './rules.js';
import { Notifier } from '../notify/notifier.js';
import { loadTargets, takePending } from '../notify/config.js';
import { Evidence } from '../evidence/evidence.js';
import { formatRuleErrors } from '../detect/rules/load.js';
import type { SqliteStore } from '../store/sqlite.js';

export interface AssembleOptions {
  /** The data directory: uploads and kept captures live under it. */
  data: string;
  intelFiles?: LoadedIntel[];
  ruleFiles?: string[];
  learn?: number;
  /** Disk budget of the kept captures (bytes); 0 keeps none. */
  evidenceBudget?: number;
  https?: { key: Buffer; cert: Buffer };
  webRoot?: string | null;
  /** Where status lines go (stdout for serve; nowhere for tests). */
  say?: (line: string) => void;
  /** Where warnings go (rule files reloaded badly). */
  warn?: (line: string) => void;
}

export interface ServerParts {
  auth: StoreAuth;
  intel: IntelLibrary;
  rules: RuleLibrary;
  notifier: Notifier;
  evidence: Evidence | undefined;
  sensor: Sensor;
  app: FastifyInstance;
}

/** A setup problem the operator must fix; `exitCode` 2 for bad arguments or files, 1 for the environment. */
export class AssembleError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export async function assembleServer(store: SqliteStore, o: AssembleOptions): Promise<ServerParts> {
  const say = o.say ?? (() => undefined);
  const auth = new StoreAuth(store);
  const intel = new IntelLibrary(store, { commandLine: o.intelFiles ?? [], say });
  const rules = new RuleLibrary(store, o.ruleFiles ?? [], o.warn ?? say);
  const ruleErrors = rules.reload();
  if (ruleErrors.length > 0) throw new AssembleError(`the rules do not validate:\n${formatRuleErrors(ruleErrors)}`, 2);
  if (rules.set.size > 0) say(`rules: ${rules.set.size} loaded`);
  const notifier = new Notifier({ targets: loadTargets(store) });
  const resumed = notifier.restore(takePending(store));
  if (resumed > 0) say(`notifications: ${resumed} kept from the last run queued again`);
  let evidence: Evidence | undefined;
  try {
    if (o.evidenceBudget !== 0) evidence = new Evidence(o.data, { budgetBytes: o.evidenceBudget, log: say });
  } catch (err) {
    throw new AssembleError(`cannot keep evidence in ${o.data}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  const sensor = new Sensor(store, { detection: { learnSeconds: o.learn, rules: rules.set }, intel: intel.feed, notifier, evidence });
  const app = await buildApp({ auth, store, sensor, evidence, uploadDir: join(o.data, 'uploads'), intel, notifier, rules, secureCookies: o.https !== undefined, https: o.https, webRoot: o.webRoot });
  return { auth, intel, rules, notifier, evidence, sensor, app };
}
