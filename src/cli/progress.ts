// Progress on a terminal: bytes of total, frames/s and time left, drawn on stderr with cli-progress.
import cliProgress from 'cli-progress';

export interface Progress {
  update(bytesDone: number, frames: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

export function createProgress(label: string, totalBytes: number | null, enabled: boolean): Progress {
  if (!enabled) return NO_PROGRESS;
  const started = Date.now();
  const known = totalBytes !== null && totalBytes > 0;
  const bar = new cliProgress.SingleBar(
    {
      format: known
        ? '{label} [{bar}] {percentage}% | {done} of {total_h} | {fps} frames/s | {eta_formatted} left'
        : '{label} {done} | {frames} frames | {fps} frames/s',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
      fps: 8,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(known ? totalBytes : 1, 0, { label, done: mb(0), total_h: known ? mb(totalBytes) : '?', fps: 0, frames: 0 });
  return {
    update(bytesDone, frames) {
      const secs = (Date.now() - started) / 1000;
      const fps = secs > 0 ? Math.round(frames / secs) : 0;
      bar.update(known ? Math.min(bytesDone, totalBytes) : 0, { label, done: mb(bytesDone), fps: fps.toLocaleString('en-US'), frames: frames.toLocaleString('en-US') });
    },
    stop() {
      bar.stop();
    },
  };
}

function mb(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
