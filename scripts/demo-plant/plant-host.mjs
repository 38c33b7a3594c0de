// One host of the demo plant, run inside its network namespace by make-demo.mjs: `node plant-host.mjs <role> <t0 ms>`.
// Modbus/TCP uses the modbus-serial library on both sides, OPC UA node-opcua; S7comm and DNP3 are real TCP sockets
// carrying the annotated payloads of messages.mjs. Attack steps print one JSON line each ({ step, start, end }).
import net from 'node:net';
import dgram from 'node:dgram';
import ModbusRTU from 'modbus-serial';
import opcuaServer from 'node-opcua-server';
import opcuaClient from 'node-opcua-client';
import * as M from './messages.mjs';

const { OPCUAServer } = opcuaServer;
const { OPCUAClient, MessageSecurityMode, SecurityPolicy, AttributeIds, DataType, Variant } = opcuaClient;

const [role, t0Arg] = process.argv.slice(2);
const T0 = Number(t0Arg); // plant time 0 (servers are started before it is known: 0)
const IP = {
  hmi: '10.10.1.10',
  plc1: '10.10.1.21',
  plc2: '10.10.1.22',
  rtu: '10.10.1.31',
  historian: '10.10.2.5',
  ews: '10.10.1.50',
  attacker: '10.10.9.66',
};
const RTU_ADDR = 10;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Waits until `sec` seconds after T0 (plant time). */
const at = (sec) => sleep(Math.max(0, T0 + sec * 1000 - Date.now()));
const now = () => Date.now() / 1000;
const log = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const quiet = (p) => p.catch((e) => log({ role, error: String(e?.message ?? e) }));
const jitter = (ms) => ms + Math.round((Math.random() - 0.5) * ms * 0.04);

async function step(name, fn) {
  const start = now();
  try {
    await fn();
  } catch (e) {
    log({ role, step: name, error: String(e?.message ?? e) });
  }
  log({ role, step: name, start, end: now() });
}

// ---- framing helpers: a socket that yields whole TPKT or DNP3 frames ----

class FrameSocket {
  constructor(sock, frameLength) {
    this.sock = sock;
    this.frameLength = frameLength;
    this.buf = Buffer.alloc(0);
    this.queue = [];
    this.waiters = [];
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const n = this.frameLength(this.buf);
        if (n <= 0 || this.buf.length < n) break;
        const f = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        const w = this.waiters.shift();
        if (w) w(f);
        else this.queue.push(f);
      }
    });
  }
  next(timeoutMs = 3000) {
    const f = this.queue.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error('timeout'));
      }, timeoutMs);
      const done = (x) => {
        clearTimeout(t);
        resolve(x);
      };
      this.waiters.push(done);
    });
  }
  write(b) {
    this.sock.write(b);
  }
}
const tpktLength = (b) => (b.length >= 4 ? (b[2] << 8) | b[3] : 0);
const dnp3Length = (b) => (b.length >= 3 ? M.dnp3FrameLength(b[2]) : 0);

function connect(host, port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

// ---- S7 client ----

class S7Client {
  constructor(fs) {
    this.fs = fs;
    this.ref = 0x0100 + Math.floor(Math.random() * 0x100);
  }
  static async open(host) {
    const s = await connect(host, 102);
    const c = new S7Client(new FrameSocket(s, tpktLength));
    c.sock = s;
    c.fs.write(M.COTP_CR);
    await c.fs.next();
    await c.job(M.S7_SETUP_JOB);
    return c;
  }
  /** Sends a job (or userdata) with a fresh PDU reference and returns the answer's S7 PDU. */
  async job(pdu) {
    this.ref = (this.ref + 1) & 0xffff;
    this.fs.write(M.tpktDt(M.withRef(pdu, this.ref)));
    return (await this.fs.next()).subarray(7);
  }
  close() {
    this.sock.end();
  }
}

// ---- servers ----

async function plc1() {
  const regs = new Uint16Array(200);
  regs.set([612, 480, 215, 1, 0, 350], 0); // level, flow, temperature, pump on, alarm, setpoint
  setInterval(() => {
    regs[0] = 600 + Math.round(20 * Math.sin(Date.now() / 9000));
    regs[1] = 470 + Math.round(15 * Math.sin(Date.now() / 5000));
    regs[100]++;
  }, 500);
  const vector = {
    getHoldingRegister: (addr) => regs[addr] ?? 0,
    getMultipleHoldingRegisters: (addr, len) => Array.from(regs.subarray(addr, addr + len)),
    getInputRegister: (addr) => regs[addr] ?? 0,
    setRegister: (addr, value) => {
      regs[addr] = value;
    },
    readDeviceIdentification: () => ({ 0: 'Schneider Electric', 1: 'BMEP582040', 2: 'v4.01', 3: 'www.se.com', 4: 'Modicon M580', 5: 'BMEP582040 CPU' }),
  };
  const server = new ModbusRTU.ServerTCP(vector, { host: IP.plc1, port: 502, unitID: 1 });
  server.on('socketError', () => {});
  await plc1Opcua(regs);
}

/** The M580's embedded OPC UA server (security None, anonymous): the historian reads tags through it. */
async function plc1Opcua(regs) {
  const server = new OPCUAServer({
    port: 4840,
    hostname: IP.plc1,
    buildInfo: { productName: 'Modicon M580 OPC UA', productUri: 'urn:schneider-electric:m580', manufacturerName: 'Schneider Electric', softwareVersion: '4.01' },
    serverInfo: { applicationUri: 'urn:PLC-1:M580', productUri: 'urn:schneider-electric:m580', applicationName: { text: 'PLC-1 M580 OPC UA', locale: 'en' } },
    securityModes: [MessageSecurityMode.None],
    securityPolicies: [SecurityPolicy.None],
    allowAnonymous: true,
  });
  await server.initialize();
  const space = server.engine.addressSpace;
  const ns = space.getOwnNamespace();
  const plant = ns.addObject({ organizedBy: space.rootFolder.objects, browseName: 'Line1' });
  const tags = { TankLevel: 0, Flow: 1, Temperature: 2, PumpRunning: 3, Setpoint: 5 };
  for (const [name, reg] of Object.entries(tags)) {
    ns.addVariable({
      componentOf: plant,
      browseName: name,
      nodeId: `s=Line1.${name}`,
      dataType: 'UInt16',
      minimumSamplingInterval: 500,
      value: { get: () => new Variant({ dataType: DataType.UInt16, value: regs[reg] }) },
    });
  }
  await server.start();
}

function plc2() {
  let values = [612, 480, 215, 0];
  setInterval(() => (values = [600 + Math.round(Math.random() * 30), 470 + Math.round(Math.random() * 20), 215, values[3] + 1]), 1000);
  net
    .createServer((sock) => {
      sock.on('error', () => {});
      const fs = new FrameSocket(sock, tpktLength);
      let pending = Promise.resolve();
      sock.on('data', () => {
        pending = pending.then(async () => {
          while (fs.queue.length > 0) await answerS7(fs, fs.queue.shift(), values);
        });
      });
    })
    .listen(102, IP.plc2);
}

async function answerS7(fs, frame, values) {
  if (frame[5] === 0xe0) return fs.write(M.COTP_CC);
  if (frame[5] !== 0xf0) return;
  const pdu = frame.subarray(7);
  const ref = M.s7Ref(pdu);
  const reply = (p) => fs.write(M.tpktDt(M.withRef(p, ref)));
  const rosctr = pdu[1];
  if (rosctr === 0x07) {
    const szl = (pdu[22] << 8) | pdu[23];
    return reply(szl === 0x001c ? M.S7_SZL_001C : M.S7_SZL_0011);
  }
  if (rosctr !== 0x01) return;
  switch (pdu[10]) {
    case 0xf0:
      return reply(M.S7_SETUP_ACK);
    case 0x04:
      return reply(M.s7ReadAck(values));
    case 0x1d:
      return reply(M.S7_START_UPLOAD_ACK);
    case 0x1e:
      return reply(M.s7UploadAck());
    case 0x1f:
      return reply(M.S7_END_UPLOAD_ACK);
    case 0x1a: {
      reply(M.S7_REQUEST_DOWNLOAD_ACK);
      // The CPU now pulls the block from the programming device, then says the download has ended.
      fs.write(M.tpktDt(M.withRef(M.S7_DOWNLOAD_BLOCK_JOB, 0x0600)));
      await fs.next();
      fs.write(M.tpktDt(M.withRef(M.S7_DOWNLOAD_ENDED_JOB, 0x0601)));
      await fs.next();
      return;
    }
    case 0x28:
      return reply(M.S7_PI_ACK);
    case 0x29:
      return reply(M.S7_PLC_STOP_ACK);
  }
}

function rtu() {
  let restart = false;
  const binaries = [true, false, true, false];
  net
    .createServer((sock) => {
      sock.on('error', () => {});
      const fs = new FrameSocket(sock, dnp3Length);
      let tseq = 0;
      sock.on('data', () => {
        while (fs.queue.length > 0) {
          const { src, app } = M.dnp3App(fs.queue.shift());
          const seq = app[0] & 0x0f;
          const func = app[1];
          let resp;
          if (func === 0x01 && app[2] === 0x3c && app[3] === 0x01) {
            const analogs = [1180 + Math.round(Math.random() * 40), 13200 + Math.round(Math.random() * 100), 52, 730];
            resp = M.dnp3StaticResponse(seq, restart, binaries, analogs);
          } else if (func === 0x01) resp = M.dnp3NullResponse(seq, restart);
          else if (func === 0x03 || func === 0x04) {
            if (func === 0x04) binaries[app[6]] = app[7] === 0x03;
            resp = M.dnp3EchoResponse(seq, restart, app.subarray(2));
          } else if (func === 0x0d) {
            resp = M.dnp3ColdRestartResponse(seq);
            restart = true;
          } else resp = M.dnp3NullResponse(seq, restart);
          fs.write(M.dnp3Frame(false, src, RTU_ADDR, tseq++, resp));
        }
      });
    })
    .listen(20000, IP.rtu);
}

// ---- clients ----

class Dnp3Master {
  constructor(fs, address) {
    this.fs = fs;
    this.address = address;
    this.seq = Math.floor(Math.random() * 16);
    this.tseq = 0;
  }
  static async open(host, address) {
    const s = await connect(host, 20000);
    const m = new Dnp3Master(new FrameSocket(s, dnp3Length), address);
    m.sock = s;
    return m;
  }
  async request(build) {
    const seq = (this.seq = (this.seq + 1) & 0x0f);
    this.fs.write(M.dnp3Frame(true, RTU_ADDR, this.address, this.tseq++, build(seq)));
    return M.dnp3App(await this.fs.next()).app;
  }
}

async function dhcpInform(ip, mac, name, vendor) {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise((r) => s.bind(68, '0.0.0.0', r));
  s.setBroadcast(true);
  const msg = M.dhcpInform(Math.floor(Math.random() * 0xffffffff), ip, mac, name, vendor);
  await new Promise((resolve, reject) => s.send(msg, 67, '255.255.255.255', (err) => (err ? reject(err) : resolve())));
  s.close();
}

async function modbusClient(host) {
  const c = new ModbusRTU();
  await c.connectTCP(host, { port: 502 });
  c.setID(1);
  c.setTimeout(1000);
  return c;
}

async function hmi(mac) {
  await at(2);
  await quiet(dhcpInform(IP.hmi, mac, 'HMI-OPS-01', 'MSFT 5.0'));
  const mb = await modbusClient(IP.plc1);
  const dnp = await Dnp3Master.open(IP.rtu, 1);
  const end = Number(process.env.PLANT_END ?? 150);
  let n = 0;
  const poll = async () => {
    for (let t = 3; t < end - 3; t += 1) {
      await at(t + jitter(1000) / 1000 - 1);
      await quiet(mb.readHoldingRegisters(0, 10));
      n++;
      if (t === 40 || t === 82) await quiet(mb.writeRegister(5, t === 40 ? 360 : 350)); // operator changes the setpoint
    }
  };
  const dnpPoll = async () => {
    for (let t = 4; t < end - 3; t += 2) {
      await at(t);
      await quiet(dnp.request((s) => ((t - 4) % 10 === 0 ? M.dnp3ReadClass0(s) : M.dnp3ReadClass123(s))));
      if (t === 60) {
        // Operator opens breaker 1: select-before-operate with a CROB.
        await quiet(dnp.request((s) => M.dnp3Crob(s, 0x03, 1, 0x03)));
        await quiet(dnp.request((s) => M.dnp3Crob(s, 0x04, 1, 0x03)));
      }
    }
  };
  await Promise.all([poll(), dnpPoll()]);
  log({ role, polls: n });
}

async function historian(mac) {
  await at(2.5);
  await quiet(dhcpInform(IP.historian, mac, 'HIST-01', 'MSFT 5.0'));
  const s7 = await S7Client.open(IP.plc2);
  const dnp = await Dnp3Master.open(IP.rtu, 2);
  await at(4);
  const ua = OPCUAClient.create({
    applicationName: 'HIST-01 Collector',
    applicationUri: 'urn:HIST-01:Collector',
    clientName: 'HIST-01',
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 5, initialDelay: 1000 },
  });
  await ua.connect(`opc.tcp://${IP.plc1}:4840`);
  const session = await ua.createSession();
  const nodes = ['TankLevel', 'Flow', 'Temperature', 'PumpRunning', 'Setpoint'].map((n) => ({ nodeId: `ns=1;s=Line1.${n}`, attributeId: AttributeIds.Value }));
  const end = Number(process.env.PLANT_END ?? 150);
  for (let t = 5; t < end - 3; t += 5) {
    await at(t + 0.3);
    await quiet(session.read(nodes));
    await quiet(s7.job(M.S7_READ_JOB));
    if (t % 15 === 0) await quiet(dnp.request((s) => M.dnp3ReadClass0(s)));
  }
}

async function ews(mac) {
  await at(3);
  await quiet(dhcpInform(IP.ews, mac, 'EWS-ENG-01', 'MSFT 5.0'));
  await at(12);
  // The engineer goes online with the CPU: identity, component names, then a backup of OB1.
  const s7 = await S7Client.open(IP.plc2);
  await s7.job(M.s7SzlRequest(0x0011, 0x0000));
  await s7.job(M.s7SzlRequest(0x001c, 0x0000));
  await s7.job(M.S7_START_UPLOAD_JOB);
  await s7.job(M.S7_UPLOAD_JOB);
  await s7.job(M.S7_END_UPLOAD_JOB);
  await sleep(1500);
  s7.close();
  await at(50);
  const s7b = await S7Client.open(IP.plc2);
  await s7b.job(M.s7SzlRequest(0x0011, 0x0000));
  await sleep(500);
  s7b.close();
}

async function attacker() {
  let attackS7 = null;
  const A = Number(process.env.PLANT_ATTACK ?? 95);
  await at(A);
  await step('port_scan', async () => {
    for (const host of [IP.plc1, IP.plc2, IP.rtu]) {
      for (const port of [502, 102, 20000, 44818, 2404]) {
        await new Promise((resolve) => {
          const s = net.connect({ host, port });
          const done = () => {
            clearTimeout(t);
            s.destroy();
            resolve();
          };
          const t = setTimeout(done, 500);
          s.once('connect', done);
          s.once('error', done);
        });
        await sleep(40);
      }
    }
  });
  await at(A + 6);
  await step('modbus_device_id_sweep', async () => {
    const c = await modbusClient(IP.plc1);
    c.setTimeout(300);
    for (let unit = 1; unit <= 8; unit++) {
      c.setID(unit);
      await c.readDeviceIdentification(1, 0).catch(() => {});
    }
    c.setID(1);
    await c.readDeviceIdentification(3, 0).catch(() => {}); // extended objects of the unit that answered
    c.close(() => {});
  });
  await at(A + 14);
  await step('modbus_unauthorized_write', async () => {
    const c = await modbusClient(IP.plc1);
    await c.writeRegister(5, 9999); // setpoint far out of range
    await c.writeRegisters(0, [0, 0, 999, 0]); // overwrite process values, pump off
    await sleep(200);
    c.close(() => {});
  });
  await at(A + 20);
  await step('s7_block_download', async () => {
    const s7 = await S7Client.open(IP.plc2);
    s7.ref++;
    s7.fs.write(M.tpktDt(M.withRef(M.S7_REQUEST_DOWNLOAD_JOB, s7.ref)));
    await s7.fs.next(); // ack of the request
    const blockJob = (await s7.fs.next()).subarray(7); // the CPU asks for the block
    s7.fs.write(M.tpktDt(M.withRef(M.s7DownloadBlockAck(), M.s7Ref(blockJob))));
    const endedJob = (await s7.fs.next()).subarray(7);
    s7.fs.write(M.tpktDt(M.withRef(M.S7_DOWNLOAD_ENDED_ACK, M.s7Ref(endedJob))));
    await s7.job(M.S7_PI_INSE_JOB);
    attackS7 = s7; // the same connection stops the CPU a few seconds later
  });
  await at(A + 26);
  await step('s7_plc_stop', async () => {
    await attackS7.job(M.S7_PLC_STOP_JOB);
    await sleep(300);
    attackS7.close();
  });
  await at(A + 32);
  await step('dnp3_cold_restart', async () => {
    const m = await Dnp3Master.open(IP.rtu, 3);
    await m.request((s) => M.dnp3ColdRestart(s));
    await sleep(300);
    m.sock.end();
  });
}

const roles = { plc1, plc2, rtu, hmi, historian, ews, attacker };
await roles[role](process.env.PLANT_MAC);
if (role === 'plc1' || role === 'plc2' || role === 'rtu') log({ role, ready: true });
