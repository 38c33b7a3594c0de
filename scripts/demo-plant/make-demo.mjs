// Builds the demo plant in network namespaces joined by a bridge, runs it for ~2.5 minutes while tcpdump records the
// bridge, and writes <out>.pcapng plus <out minus .pcapng>.attacks.json. Needs root, iproute2, tcpdump, editcap.
// Usage: sudo node make-demo.mjs ../../demo/demo-plant.pcapng
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(HERE, '../../demo/demo-plant.pcapng'));
const END = Number(process.env.PLANT_END ?? 150); // seconds of plant time
const ATTACK = Number(process.env.PLANT_ATTACK ?? 95); // first attack step
const SPOOF = ATTACK + 38;
const P = 'ltn-'; // namespace prefix

/** The plant: namespace, address (one /16 segment), MAC (the vendor OUI is what the inventory reads). */
const HOSTS = [
  { role: 'plc1', name: 'PLC-1', ip: '10.10.1.21', mac: '00:80:f4:12:34:21' }, // Telemecanique (Schneider) Modicon
  { role: 'plc2', name: 'PLC-2', ip: '10.10.1.22', mac: '00:1b:1b:5a:07:22' }, // Siemens AG S7-300
  { role: 'rtu', name: 'RTU-1', ip: '10.10.1.31', mac: '00:30:a7:00:31:31' }, // Schweitzer Engineering RTU
  { role: 'hmi', name: 'HMI-OPS-01', ip: '10.10.1.10', mac: '00:14:22:a1:10:10' }, // Dell HMI PC
  { role: 'historian', name: 'HIST-01', ip: '10.10.2.5', mac: 'f8:bc:12:02:05:05' }, // Dell server
  { role: 'ews', name: 'EWS-ENG-01', ip: '10.10.1.50', mac: '00:14:22:a1:50:50' }, // Dell engineering laptop
  { role: 'attacker', name: 'KALI', ip: '10.10.9.66', mac: '02:66:09:66:09:66' }, // locally administered: a rogue laptop
];
const ROGUE_MAC = '02:de:ad:be:ef:21';

const sh = (cmd, ...args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const ns = (name, ...args) => sh('ip', 'netns', 'exec', P + name, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cleanup() {
  for (const n of [...HOSTS.map((h) => h.role), 'sw', 'rogue']) {
    try {
      execFileSync('ip', ['netns', 'del', P + n], { stdio: 'ignore' });
    } catch {
      // not there
    }
  }
}

function noIpv6(name) {
  ns(name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
}

function addHost(name, ip, mac) {
  sh('ip', 'netns', 'add', P + name);
  noIpv6(name);
  sh('ip', 'link', 'add', `v-${name}`, 'netns', P + 'sw', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', P + name);
  sh('ip', '-n', P + 'sw', 'link', 'set', `v-${name}`, 'master', 'br0', 'up');
  sh('ip', '-n', P + name, 'link', 'set', 'eth0', 'address', mac);
  sh('ip', '-n', P + name, 'addr', 'add', `${ip}/16`, 'dev', 'eth0');
  sh('ip', '-n', P + name, 'link', 'set', 'lo', 'up');
  sh('ip', '-n', P + name, 'link', 'set', 'eth0', 'up');
  // A default route (to no router) only so that limited broadcasts (DHCP INFORM) have a way out.
  sh('ip', '-n', P + name, 'route', 'add', 'default', 'via', '10.10.0.1', 'dev', 'eth0');
}

cleanup();
sh('ip', 'netns', 'add', P + 'sw');
noIpv6('sw');
sh('ip', '-n', P + 'sw', 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
sh('ip', '-n', P + 'sw', 'link', 'set', 'br0', 'up');
for (const h of HOSTS) addHost(h.role, h.ip, h.mac);

const events = [];
const children = [];
const env = { ...process.env, PLANT_END: String(END), PLANT_ATTACK: String(ATTACK) };
let ready = 0;
// Each host gets its own host name (UTS namespace) and configuration folder, so what node-opcua puts in its
// certificates and application URIs names the plant host, not the machine that made the capture.
const PKI = mkdtempSync(join(tmpdir(), 'demo-plant-'));
function startHost(h, t0) {
  const home = join(PKI, h.role);
  const node = [process.execPath, join(HERE, 'plant-host.mjs'), h.role, String(t0)];
  const c = spawn('ip', ['netns', 'exec', P + h.role, 'unshare', '--uts', 'sh', '-c', `hostname ${h.name} && exec "$@"`, 'sh', ...node], {
    env: { ...env, PLANT_MAC: h.mac, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  c.stdout.on('data', (d) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const l of lines) {
      if (!l.startsWith('{')) continue; // library chatter (node-opcua logs to stdout)
      const e = JSON.parse(l);
      if (e.ready) ready++;
      else events.push(e);
      if (e.error) console.error(`${h.role}: ${e.step ?? ''} ${e.error}`);
    }
  });
  children.push(c);
}

// Servers first (node-opcua makes its certificate and address space), then the capture, then the clients.
const SERVERS = ['plc1', 'plc2', 'rtu'];
for (const h of HOSTS.filter((x) => SERVERS.includes(x.role))) startHost(h, 0);
for (let waited = 0; ready < SERVERS.length; waited += 200) {
  if (waited > 120_000) throw new Error('servers did not start');
  await sleep(200);
}
const raw = `${out}.tmp.pcap`;
const tcpdump = spawn('ip', ['netns', 'exec', P + 'sw', 'tcpdump', '-i', 'br0', '-n', '-U', '-s', '0', '-w', raw], { stdio: ['ignore', 'ignore', 'inherit'] });
await sleep(1500);
const T0 = Date.now() + 1000;
for (const h of HOSTS.filter((x) => !SERVERS.includes(x.role))) startHost(h, T0);

// ARP spoof: a new MAC claims PLC-1's address (its ARP request to the HMI poisons the HMI's cache).
await sleep(Math.max(0, T0 + SPOOF * 1000 - Date.now()));
const spoofStart = Date.now() / 1000;
addHost('rogue', '10.10.1.21', ROGUE_MAC);
// Any IP packet to the HMI makes the rogue kernel ARP for it with sender 10.10.1.21 (no ping in minimal images).
const knock = "const s=require('net').connect(502,'10.10.1.10');s.on('error',()=>{});setTimeout(()=>process.exit(0),1500)";
for (let i = 0; i < 3; i++) {
  ns('rogue', process.execPath, '-e', knock);
  ns('rogue', 'ip', 'neigh', 'flush', 'dev', 'eth0');
}
events.push({ role: 'rogue', step: 'arp_spoof', start: spoofStart, end: Date.now() / 1000 });
sh('ip', 'netns', 'del', P + 'rogue');

await sleep(Math.max(0, T0 + END * 1000 - Date.now()));
for (const c of children) c.kill('SIGTERM');
await sleep(1000);
tcpdump.kill('SIGINT');
await new Promise((r) => tcpdump.once('exit', r));
cleanup();
rmSync(PKI, { recursive: true, force: true });

sh('editcap', '-F', 'pcapng', raw, out);
rmSync(raw);

const round = (t) => Math.round(t * 1e6) / 1e6;
const ATTACKS = {
  port_scan: { src: '10.10.9.66', dst: ['10.10.1.21', '10.10.1.22', '10.10.1.31'], protocol: 'tcp', technique: 'T0846', technique_name: 'Remote System Discovery', what: 'TCP connect scan of ports 502, 102, 20000, 44818, 2404 on PLC-1, PLC-2 and the RTU from a new host' },
  modbus_device_id_sweep: { src: '10.10.9.66', dst: '10.10.1.21', protocol: 'modbus', technique: 'T0888', technique_name: 'Remote System Information Discovery', what: 'Read Device Identification (FC 43/14) to unit ids 1..8, then the extended objects of unit 1' },
  modbus_unauthorized_write: { src: '10.10.9.66', dst: '10.10.1.21', protocol: 'modbus', technique: 'T0855', technique_name: 'Unauthorized Command Message', what: 'Write Single Register (FC 6) setpoint HR5 = 9999, then Write Multiple Registers (FC 16) HR0..3 (pump off)' },
  s7_block_download: { src: '10.10.9.66', dst: '10.10.1.22', protocol: 's7comm', technique: 'T0843', technique_name: 'Program Download', what: 'Request download / download block / download ended of OB1, then PI service _INSE to activate it' },
  s7_plc_stop: { src: '10.10.9.66', dst: '10.10.1.22', protocol: 's7comm', technique: 'T0881', technique_name: 'Service Stop', what: 'S7 PLC stop (function 0x29, P_PROGRAM): the CPU goes to STOP' },
  dnp3_cold_restart: { src: '10.10.9.66', dst: '10.10.1.31', protocol: 'dnp3', technique: 'T0816', technique_name: 'Device Restart/Shutdown', what: 'DNP3 cold restart (FC 13) from an unknown master (address 3) to outstation 10' },
  arp_spoof: { src: ROGUE_MAC, dst: '10.10.1.10', protocol: 'arp', technique: 'T0830', technique_name: 'Adversary-in-the-Middle', what: `a new MAC ${ROGUE_MAC} claims 10.10.1.21 (PLC-1) in ARP to the HMI` },
};
const steps = events
  .filter((e) => e.step !== undefined && e.start !== undefined)
  .sort((a, b) => a.start - b.start)
  .map((e, i) => ({ step: i + 1, id: e.step, start_ts: round(e.start), end_ts: round(e.end), ...ATTACKS[e.step] }));
const sidecar = out.replace(/\.pcapng$/, '') + '.attacks.json';
writeFileSync(
  sidecar,
  JSON.stringify({ capture: out.split('/').pop(), generated_by: 'scripts/demo-plant/make-demo.mjs', hosts: Object.fromEntries(HOSTS.map((h) => [h.role, { ip: h.ip, mac: h.mac }])), steps }, null, 2) + '\n',
);
console.log(`wrote ${out} and ${sidecar}: ${steps.length} attack steps`);
const errors = events.filter((e) => e.error);
if (errors.length > 0) console.log(`${errors.length} client errors (see above)`);
