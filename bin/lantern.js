#!/usr/bin/env node
// Entry point for `npx lantern`: the compiled CLI lives in dist/ (built by `npm install` through `prepare`).
//
// Memory bound: V8 lets garbage pile up to a limit far above what Lantern keeps alive (flows churning through a
// full table leave ~3x their live size behind), so the CLI runs with an old-space limit sized to the caps: the flow
// table, the inventory and every other table are capped well below it (docs/decisions/0005-memory-budget.md and
// 0007-inventory-memory.md). When the limit is not
// already set, the process runs itself again with it; LANTERN_HEAP_MB changes it.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HEAP_MB = Number(process.env.LANTERN_HEAP_MB) || 256;
// V8 sizes the young generation from the heap limit; a small limit would shrink it and slow the hot path by a third.
const SEMI_SPACE_MB = 16;
const hasLimit = process.execArgv.some((a) => a.startsWith('--max-old-space-size'));

if (!hasLimit) {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Signals are passed on; the child's handlers are idempotent, so a Ctrl-C that reaches it both from the terminal's
  // process group and from here stops it once, cleanly, with its report.
  const forward = (signal) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
} else {
  const main = new URL('../dist/src/cli/main.js', import.meta.url);
  if (!existsSync(main)) {
    process.stderr.write('lantern: not built yet: run `npm install` (or `npm run build`) in the repository first\n');
    process.exit(2);
  }
  const { run } = await import(main.href);
  process.exitCode = await run(process.argv.slice(2));
}
