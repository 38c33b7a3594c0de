// The `lantern` command line: argument parsing (commander) and dispatch to the commands.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { analyzeCommand } from './analyze.js';
import { captureCommand } from './capture.js';
import { serveCommand } from './serve.js';
import { isoTimeOption, reportCommand } from './report-command.js';
import { lanternVersion } from './version.js';
import { parseDetailOption } from './detail-option.js';
import { parseByteSize } from '../evidence/evidence.js';
import type { DetailOptions } from '../pipeline/detail.js';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** An interface name as tcpdump takes it (`eth0`, `any`, `1`); what cannot be one is a usage error. */
function interfaceName(value: string, previous: string[] = []): string[] {
  if (!/^[^\s/-][^\s/]{0,63}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not an interface name`);
  if (previous.includes(value)) throw new InvalidArgumentError(`interface ${value} given twice`);
  return [...previous, value];
}

function byteSize(v: string): number {
  const n = parseByteSize(v);
  if (n === null) throw new InvalidArgumentError('expected a size such as 2GiB, 500MB or 0');
  return n;
}

function parseSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 366 * 86400) throw new InvalidArgumentError('expected a number of seconds (0 to 31622400)');
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('lantern')
    .description('Network security monitor for industrial control systems')
    .version(lanternVersion())
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`lantern: ${str.replace(/^error: /, '')}`) });

  program
    .command('analyze')
    .description('analyze capture files (pcap, pcapng, gzip-compressed; "-" reads standard input)')
    .argument('<captures...>', 'capture files, or - for standard input')
    .option('-e, --export <dir>', 'write the results to DIR (summary.json, flows.ndjson, events/, hints.ndjson, assets.json/.csv, connections.json/.csv)')
    .option('--detail <levels>', 'exported transactions: normal (writes, control, program, errors; polls summarised) or full; per protocol: modbus=full,normal', parseDetailOption)
    .option('--asset-overrides <file>', 'JSON file of corrections to assets: [{"match": {"ip"|"mac"|"id": ...}, "criticality", "purdue_level", "name"}]')
    .option('--intel <files...>', 'threat intel to match (STIX 2.1 bundles or plain lists of IPs, CIDRs, domains, URLs, hashes)')
    .option('--learn <seconds>', 'learning window of the modeling detections, in capture seconds (default 3600)', parseSeconds)
    .option('--rules <files...>', 'user detection rules (YAML, docs/rules.md)')
    .option('--no-detect', 'run without the detections (no alerts)')
    .option('-q, --quiet', 'no progress bar and no summary on the terminal')
    .option('--json', 'print the summary as JSON on standard output')
    .action(async (captures: string[], opts: { export?: string; assetOverrides?: string; intel?: string[]; rules?: string[]; learn?: number; detect?: boolean; quiet?: boolean; json?: boolean; detail?: DetailOptions }) => {
      exitCode = await analyzeCommand(captures, opts);
    });

  program
    .command('capture')
    .description('capture live traffic from an interface through tcpdump and analyze it until Ctrl-C')
    .requiredOption('-i, --interface <iface>', 'network interface to capture on')
    .option('-f, --filter <bpf>', 'BPF capture filter (tcpdump syntax)')
    .option('-e, --export <dir>', 'write the results to DIR (summary.json, assets and connections rewritten while capturing; flows.ndjson, events/, hints.ndjson)')
    .option('--refresh <seconds>', 'seconds between rewrites of the export while capturing (default 10)', positiveNumber)
    .option('--detail <levels>', 'exported transactions: normal or full, or per protocol: modbus=full,normal', parseDetailOption)
    .option('--duration <seconds>', 'stop after this many seconds', positiveNumber)
    .option('--count <frames>', 'stop after this many frames', positiveNumber)
    .option('-q, --quiet', 'no status line and no summary on the terminal')
    .option('--json', 'print the summary as JSON on standard output')
    .action(async (opts: { interface: string; filter?: string; export?: string; refresh?: number; duration?: number; count?: number; quiet?: boolean; json?: boolean; detail?: DetailOptions }) => {
      exitCode = await captureCommand(opts);
    });

  program
    .command('serve')
    .description('run the store, the ingestion of uploaded captures and the HTTP API (the demo plant on a first start)')
    .option('-p, --port <port>', 'TCP port', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
      return n;
    }, 8180)
    .option('--host <address>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--data <dir>', 'where the store lives', 'lantern-data')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--watch <dir>', 'ingest capture files dropped into DIR (moved to DIR/ingested or DIR/failed)')
    .option('-i, --interface <iface>', 'also capture live on IFACE through tcpdump (repeatable; root or CAP_NET_RAW)', interfaceName)
    .option('-f, --filter <bpf>', 'BPF capture filter for the live interfaces (tcpdump syntax)')
    .option('--no-demo', 'do not load the demo plant into an empty store')
    .option('--intel <files...>', 'threat intel to match (STIX 2.1 bundles or plain lists of IPs, CIDRs, domains, URLs, hashes)')
    .option('--learn <seconds>', 'learning window of the modeling detections, in capture seconds (default 3600)', parseSeconds)
    .option('--rules <files...>', 'user detection rules (YAML, docs/rules.md), reloaded when a file changes')
    .option('--evidence-budget <size>', 'disk for the kept captures alert packets are exported from (default 2GiB; 0 keeps none)', byteSize)
    .action(async (opts: { port: number; host: string; data: string; tlsCert?: string; tlsKey?: string; demo: boolean; watch?: string; interface?: string[]; filter?: string; intel?: string[]; learn?: number; rules?: string[]; evidenceBudget?: number }) => {
      exitCode = await serveCommand(opts);
    });

  program
    .command('report')
    .description('write the one-page management report of a period (HTML, prints on one A4 page) from the store of lantern serve')
    .option('--data <dir>', 'where the store lives (the --data of lantern serve)', 'lantern-data')
    .option('--from <time>', 'start of the period, ISO 8601: 2026-11-01 or 2026-11-01T08:00Z (UTC unless an offset is given; default 7 days before --to)', isoTimeOption)
    .option('--to <time>', 'end of the period, excluded, ISO 8601 (default now)', isoTimeOption)
    .requiredOption('-o, --out <file>', 'the HTML file to write')
    .action((opts: { data: string; from?: number; to?: number; out: string }) => {
      exitCode = reportCommand(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit with 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  return exitCode;
}
