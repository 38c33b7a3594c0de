// A watched folder: capture files dropped into it are ingested one by one, then moved to `ingested/` (or `failed/`,
// with a `.reason.txt` beside), so a restart never reads a file twice. A file is taken only once its size has stayed
// the same for one poll, so a copy still in progress is left alone. Polling, not fs.watch: it behaves the same on
// every file system, network shares included.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sensor } from './sensor.js';

export const WATCH_POLL_MS = 2000;

export class WatchFolder {
  private readonly sizes = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    readonly dir: string,
    private readonly sensor: Sensor,
    private readonly log: (line: string) => void = () => {},
  ) {
    mkdirSync(join(dir, 'ingested'), { recursive: true });
    mkdirSync(join(dir, 'failed'), { recursive: true });
  }

  start(pollMs = WATCH_POLL_MS): void {
    this.timer = setInterval(() => void this.poll(), pollMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at the folder: ingests the files whose size has settled. */
  async poll(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let done = 0;
    try {
      const seen = new Set<string>();
      for (const name of readdirSync(this.dir)) {
        if (name.startsWith('.')) continue;
        const path = join(this.dir, name);
        let size: number;
        try {
          const st = statSync(path);
          if (!st.isFile()) continue;
          size = st.size;
        } catch {
          continue;
        }
        seen.add(name);
        if (this.sizes.get(name) !== size) {
          this.sizes.set(name, size);
          continue;
        }
        this.sizes.delete(name);
        try {
          const r = await this.sensor.ingestFile(path, name);
          renameSync(path, join(this.dir, 'ingested', name));
          this.log(`ingested ${name}: ${r.frames} frames`);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          renameSync(path, join(this.dir, 'failed', name));
          writeFileSync(join(this.dir, 'failed', `${name}.reason.txt`), `${why}\n`);
          this.log(`could not ingest ${name}: ${why}`);
        }
        done++;
      }
      for (const name of this.sizes.keys()) if (!seen.has(name)) this.sizes.delete(name);
    } finally {
      this.busy = false;
    }
    return done;
  }
}
