// Live capture: runs `tcpdump -U --immediate-mode -w -` and exposes its pcap output as a stream for the readers.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface LiveCaptureOptions {
  interface: string;
  /** BPF filter expression, passed to tcpdump as is. */
  filter?: string;
  /** Snap length in bytes (tcpdump -s); 0 means tcpdump's default (262144). */
  snapLen?: number;
  /** tcpdump binary; LANTERN_TCPDUMP overrides it. */
  tcpdump?: string;
}

export interface LiveCaptureStats {
  exitCode: number | null;
  signal: string | null;
  /** tcpdump's own counters, read from its exit report when it printed them. */
  received: number | null;
  droppedByKernel: number | null;
  droppedByInterface: number | null;
  /** tcpdump's stderr lines other than its banner and counters (errors such as a missing interface). */
  messages: string[];
}

export interface LiveCapture {
  readonly stdout: Readable;
  /** Asks tcpdump to stop; its stdout then ends after the last buffered packet. */
  stop(): void;
  readonly done: Promise<LiveCaptureStats>;
  /** Resolves when tcpdump says it listens (the interface is open: packets from now on are captured). */
  readonly listening: Promise<void>;
}

const MAX_MESSAGES = 20;

export function startLiveCapture(opts: LiveCaptureOptions): LiveCapture {
  const bin = opts.tcpdump ?? process.env.LANTERN_TCPDUMP ?? 'tcpdump';
  const args = ['-U', '--immediate-mode', '-n', '-w', '-', '-i', opts.interface];
  if (opts.snapLen !== undefined) args.push('-s', String(opts.snapLen));
  if (opts.filter) args.push(opts.filter);
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stats: LiveCaptureStats = {
    exitCode: null,
    signal: null,
    received: null,
    droppedByKernel: null,
    droppedByInterface: null,
    messages: [],
  };
  let listened: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (listened = resolve));
  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrTail += chunk;
    let nl: number;
    while ((nl = stderrTail.indexOf('\n')) >= 0) {
      if (noteLine(stats, stderrTail.slice(0, nl).trim())) listened();
      stderrTail = stderrTail.slice(nl + 1);
    }
    if (stderrTail.length > 4096) stderrTail = stderrTail.slice(-4096);
  });
  const done = new Promise<LiveCaptureStats>((resolve) => {
    child.on('error', (err) => {
      stats.messages.push(`cannot run ${bin}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      if (stderrTail.trim()) noteLine(stats, stderrTail.trim());
      stats.exitCode = code;
      stats.signal = signal;
      resolve(stats);
    });
  });
  return {
    stdout: child.stdout!,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
    done,
    listening,
  };
}

/** Notes one line of tcpdump's stderr; true for its banner (it listens). */
function noteLine(stats: LiveCaptureStats, line: string): boolean {
  if (!line) return false;
  const m = /^(\d+) packets? (received by filter|dropped by kernel|dropped by interface|captured)/.exec(line);
  if (m) {
    const n = Number(m[1]);
    if (m[2] === 'received by filter') stats.received = n;
    else if (m[2] === 'dropped by kernel') stats.droppedByKernel = n;
    else if (m[2] === 'dropped by interface') stats.droppedByInterface = n;
    return false;
  }
  if (/^(tcpdump: )?listening on /.test(line)) return true;
  if (stats.messages.length < MAX_MESSAGES) stats.messages.push(line);
  return false;
}
