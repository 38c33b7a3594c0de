// Syslog delivery: UDP, one datagram per message (RFC 5426); TCP with RFC 6587 octet counting (or a line feed after
// each message); TLS as RFC 5425 (octet counting, optional CA file). Connections are kept and reopened after a failure.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { failure, type SendResult, type Transport } from './transport.js';
import type { StreamFraming } from './types.js';

const OK: SendResult = { ok: true, status: null };
/** How long `close()` lets a stream finish writing before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

export class UdpTransport implements Transport {
  private socket: UdpSocket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  send(body: Buffer, _headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
    if (signal.aborted) return Promise.resolve(failure(new Error('aborted')));
    let s = this.socket;
    if (s === null) {
      s = createSocket(isIP(this.host) === 6 ? 'udp6' : 'udp4');
      const created = s;
      // An asynchronous socket error (ICMP unreachable on some systems) closes it; the next send opens another.
      created.on('error', () => this.drop(created));
      this.socket = created;
    }
    const socket = s;
    return new Promise((resolve) => {
      try {
        socket.send(body, this.port, this.host, (err) => {
          if (err === null || err === undefined) return resolve(OK);
          this.drop(socket);
          resolve(failure(err, (err as NodeJS.ErrnoException).code !== 'EMSGSIZE'));
        });
      } catch (err) {
        this.drop(socket);
        resolve(failure(err));
      }
    });
  }

  private drop(s: UdpSocket): void {
    if (this.socket === s) this.socket = null;
    try {
      s.close();
    } catch {
      // Closed already.
    }
  }

  close(): void {
    if (this.socket !== null) this.drop(this.socket);
  }
}

export interface StreamOptions {
  host: string;
  port: number;
  tls: boolean;
  /** PEM file of the CA to trust (TLS); null: the system's CAs. */
  caFile: string | null;
  framing: StreamFraming;
  /** Connecting and each write. */
  timeoutMs: number;
}

/** `LEN SP MSG` (RFC 6587 section 3.4.1), or the message with its line feeds made spaces, then a line feed. */
export function frame(body: Buffer, framing: StreamFraming): Buffer {
  if (framing === 'octet_counting') return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
  const out = Buffer.allocUnsafe(body.length + 1);
  for (let i = 0; i < body.length; i++) out[i] = body[i] === 0x0a ? 0x20 : body[i];
  out[body.length] = 0x0a;
  return out;
}

export class StreamTransport implements Transport {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;

  constructor(private readonly o: StreamOptions) {}

  async send(body: Buffer, _headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
    let s: Socket;
    try {
      s = await this.connect(signal);
    } catch (err) {
      return failure(err);
    }
    const data = frame(body, this.o.framing);
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: SendResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = () => {
        this.drop(s);
        finish(failure(new Error('aborted')));
      };
      // A receiver that stops reading fills the buffers: the write never completes, the connection is given up.
      const timer = setTimeout(() => {
        this.drop(s);
        finish(failure(new Error(`write timed out after ${this.o.timeoutMs} ms`)));
      }, this.o.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        s.write(data, (err) => {
          if (err === null || err === undefined) return finish(OK);
          this.drop(s);
          finish(failure(err));
        });
      } catch (err) {
        this.drop(s);
        finish(failure(err));
      }
    });
  }

  private connect(signal: AbortSignal): Promise<Socket> {
    if (this.socket !== null && !this.socket.destroyed && this.socket.writable) return Promise.resolve(this.socket);
    if (this.connecting !== null) return this.connecting;
    const p = new Promise<Socket>((resolve, reject) => {
      let s: Socket;
      try {
        s = this.o.tls
          ? tlsConnect({
              host: this.o.host,
              port: this.o.port,
              ...(this.o.caFile !== null ? { ca: readFileSync(this.o.caFile) } : {}),
              ...(isIP(this.o.host) === 0 ? { servername: this.o.host } : {}),
            })
          : netConnect({ host: this.o.host, port: this.o.port });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const ready = this.o.tls ? 'secureConnect' : 'connect';
      const fail = (err: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        s.destroy();
        reject(err);
      };
      const onAbort = () => fail(new Error('aborted'));
      const timer = setTimeout(() => fail(new Error(`connection timed out after ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      s.once('error', fail);
      s.once(ready, () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        s.off('error', fail);
        s.setNoDelay(true);
        s.setKeepAlive(true, 60_000);
        // Receivers do not answer (RFC 6587); reading keeps the stream flowing, so a close from their side is seen.
        s.on('data', () => {});
        s.on('end', () => this.drop(s));
        s.on('error', () => this.drop(s));
        s.on('close', () => {
          if (this.socket === s) this.socket = null;
        });
        this.socket = s;
        resolve(s);
      });
    });
    this.connecting = p;
    const clear = () => {
      if (this.connecting === p) this.connecting = null;
    };
    p.then(clear, clear);
    return p;
  }

  private drop(s: Socket): void {
    if (this.socket === s) this.socket = null;
    s.destroy();
  }

  close(): void {
    const s = this.socket;
    if (s === null) return;
    this.socket = null;
    s.end();
    setTimeout(() => s.destroy(), CLOSE_GRACE_MS).unref();
  }
}
