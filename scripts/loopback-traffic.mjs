// Traffic for the project's own test captures: real Node.js TCP and UDP clients and servers on the loopback
// interface of a private network namespace (see scripts/record-loopback.sh). Deterministic content, small volume.
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';

const TCP_PORT = 5020;
const UDP_PORT = 5021;

async function tcpExchange() {
  const server = net.createServer((sock) => {
    sock.on('data', (d) => sock.write(Buffer.concat([Buffer.from('ack:'), d])));
    sock.on('end', () => sock.end());
  });
  server.listen(TCP_PORT, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect(TCP_PORT, '127.0.0.1');
  await once(client, 'connect');
  client.setNoDelay(true);
  for (let i = 0; i < 5; i++) {
    client.write(`request ${i}\n`);
    await once(client, 'data');
  }
  // One write larger than the MTU: several segments in one direction.
  client.write(Buffer.alloc(6000, 0x41));
  let got = 0;
  while (got < 6004) {
    const [d] = await once(client, 'data');
    got += d.length;
  }
  client.end();
  await once(client, 'close');
  server.close();
}

async function udpExchange(type, host, sizes) {
  const server = dgram.createSocket(type);
  server.bind(UDP_PORT, host);
  await once(server, 'listening');
  server.on('message', (msg, rinfo) => server.send(msg.subarray(0, 16), rinfo.port, rinfo.address));
  const client = dgram.createSocket(type);
  for (const size of sizes) {
    client.send(Buffer.alloc(size, 0x42), UDP_PORT, host);
    await once(client, 'message');
  }
  client.close();
  server.close();
}

// A datagram to a port nobody listens on: the kernel answers with ICMP (v4) / ICMPv6 port unreachable.
async function unreachable(type, host) {
  const sock = dgram.createSocket(type);
  sock.send(Buffer.from('is anyone there?'), UDP_PORT + 1, host);
  await new Promise((resolve) => setTimeout(resolve, 200));
  sock.close();
}

await tcpExchange();
// 4000 and 3000 bytes exceed the namespace's 1400-byte MTU: the kernel fragments them (IPv4 and IPv6).
await udpExchange('udp4', '127.0.0.1', [32, 4000]);
await udpExchange('udp6', '::1', [48, 3000]);
await unreachable('udp4', '127.0.0.1');
await unreachable('udp6', '::1');
