// `lantern analyze CAPTURE... [--export DIR]`: reads capture files (or stdin) through the pipeline and reports.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readCaptureFile, readCaptureStream, CaptureError, type CaptureResult } from '../capture/open-capture.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { buildSummary, type InputReport } from '../pipeline/summary.js';
import { createProgress } from './progress.js';
import { formatSummary } from './report.js';
import { EventLogWriter, FlowLogWriter, writeSummary } from './export.js';
import type { DetailOptions } from '../pipeline/detail.js';
import { lanternVersion } from './version.js';
import { writeInventory } from './export-inventory.js';
import { writeAlerts, writeIncidents } from './export-alerts.js';
import { triageRun } from '../triage/offline.js';
import { loadIntel } from './intel.js';
import { RuleSet } from '../detect/rules/rule-set.js';
import { compileRuleSources, formatRuleErrors } from '../detect/rules/load.js';
import type { IndicatorSet } from '../detect/indicators/indicator-set.js';
import { loadAssetOverrides } from './asset-overrides.js';
import type { AssetOverride } from '../inventory/snapshot.js';

export interface AnalyzeOptions {
  export?: string;
  /** File of analyst corrections of assets (docs/inventory.md). */
  assetOverrides?: string;
  quiet?: boolean;
  json?: boolean;
  detail?: DetailOptions;
  /** Threat-intel files (STIX 2.1 bundles or plain lists). */
  intel?: string[];
  /** User rule files (YAML). */
  rules?: string[];
  /** Learning window of the modeling detections (capture seconds). */
  learn?: number;
  /** False: no detections. */
  detect?: boolean;
}

export async function analyzeCommand(paths: string[], opts: AnalyzeOptions): Promise<number> {
  let flowLog: FlowLogWriter | undefined;
  let eventLog: EventLogWriter | null = null;
  if (opts.export) {
    try {
      flowLog = new FlowLogWriter(opts.export);
      eventLog = new EventLogWriter(opts.export);
    } catch (err) {
      process.stderr.write(`lantern: cannot write export to ${opts.export}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  let overrides: AssetOverride[] = [];
  if (opts.assetOverrides !== undefined) {
    try {
      overrides = loadAssetOverrides(opts.assetOverrides);
    } catch (err) {
      process.stderr.write(`lantern: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  let indicators: IndicatorSet | null = null;
  if (opts.intel !== undefined && opts.intel.length > 0) {
    try {
      indicators = loadIntel(opts.intel, (line) => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      });
    } catch (err) {
      process.stderr.write(`lantern: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  let rules: RuleSet | null = null;
  if (opts.rules !== undefined && opts.rules.length > 0) {
    const r = compileRuleSources(opts.rules.map((name) => ({ name })));
    if (r.errors.length > 0) {
      process.stderr.write(`lantern: the rules do not validate:\n${formatRuleErrors(r.errors)}\n`);
      return 2;
    }
    rules = new RuleSet(r.rules);
    if (!opts.quiet) process.stderr.write(`rules: ${r.rules.length} loaded from ${opts.rules.join(', ')}\n`);
  }
  const pipeline = new Pipeline({ flowListener: flowLog, events: eventLog, detail: opts.detail, inventory: { overrides }, detection: opts.detect === false ? null : { learnSeconds: opts.learn, indicators, rules } });
  const inputs: InputReport[] = [];
  const abort = new AbortController();
  // Stays installed until the process exits: a second Ctrl-C must not kill the export being written.
  process.on('SIGINT', () => abort.abort());
  const started = process.hrtime.bigint();
  let failed = 0;
  const showProgress = !opts.quiet && !opts.json && process.stderr.isTTY === true;

  for (const path of paths) {
    if (abort.signal.aborted) break;
    pipeline.beginInput();
    const progress = createProgress(path === '-' ? 'stdin' : basename(path), path === '-' ? null : sizeOf(path), showProgress);
    const onProgress = (bytes: number) => progress.update(bytes, pipeline.frames);
    const framesBefore = pipeline.frames;
    try {
      const result: CaptureResult =
        path === '-'
          ? await readCaptureStream(process.stdin, pipeline, pipeline.anomalies, { onProgress, signal: abort.signal })
          : await readCaptureFile(path, pipeline, pipeline.anomalies, { onProgress, signal: abort.signal });
      inputs.push({
        path,
        format: result.format,
        compressed: result.compressed,
        frames: result.frames,
        file_bytes: result.fileBytes,
        truncated: result.truncated,
      });
    } catch (err) {
      failed++;
      const code = err instanceof CaptureError ? err.code : 'capture.unreadable';
      const message = err instanceof Error ? err.message : String(err);
      inputs.push({ path, format: null, compressed: false, frames: pipeline.frames - framesBefore, file_bytes: 0, truncated: false, error: { code, message } });
      progress.stop();
      process.stderr.write(`lantern: ${path}: ${message}\n`);
      continue;
    }
    progress.stop();
  }
  pipeline.finish();

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const inventory = pipeline.inventorySnapshot();
  const summary = buildSummary(pipeline, inputs, seconds, lanternVersion(), inventory?.summary ?? null);
  if (opts.export) {
    try {
      flowLog?.close();
      eventLog?.close();
      if (inventory !== null) writeInventory(opts.export, inventory);
      if (pipeline.detection !== null) {
        const detection = pipeline.detection;
        const triaged = triageRun(detection.alerts.records((ip) => pipeline.assetIdOf(ip)), (ip) => detection.asset(ip));
        writeAlerts(opts.export, triaged.alerts);
        writeIncidents(opts.export, triaged.incidents);
      }
      writeSummary(opts.export, summary);
    } catch (err) {
      process.stderr.write(`lantern: cannot write export to ${opts.export}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else if (!opts.quiet) {
    process.stdout.write(`${abort.signal.aborted ? 'Interrupted: partial results\n' : ''}${formatSummary(summary)}\n`);
    for (const input of summary.inputs) if (input.truncated) process.stderr.write(`lantern: warning: ${input.path} ends mid-record (truncated); analysed up to the break\n`);
  }
  if (abort.signal.aborted) return 130;
  return failed > 0 ? 1 : 0;
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
