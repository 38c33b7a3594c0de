// Hands a flow's ordered bytes to its protocol: detection while undecided (buffered bytes replayed on a match), then
// the session; a probe or session that throws is detached from its flow and never escapes.

import type { AnomalyCounter } from '../common/anomaly.js';
import type {
  Direction,
  FlowInfo,
  ProtocolEvent,
  ProtocolSession,
  SessionContext,
  Transport,
} from '../protocols/protocol.js';
import type { ProtocolRegistry } from '../protocols/registry.js';
import { FLOW_ANOMALIES } from './anomalies.js';
import { DETECT_NEED_MORE, DETECT_UNKNOWN, Detection, type DetectBudget } from './detect.js';
import type { Flow } from './flow.js';
import type { StreamSink, TcpStream } from './tcp-reassembly.js';

/** Where protocol events go (the pipeline). */
export interface ProtocolEventSink {
  onEvent(event: ProtocolEvent, flow: FlowInfo): void;
}

export const PROTOCOL_UNKNOWN = 'unknown';
export const PROTOCOL_UNDECIDED = 'undecided';

class FlowSessionContext implements SessionContext {
  constructor(
    readonly flow: FlowInfo,
    private readonly anomalies: AnomalyCounter,
    private readonly events: ProtocolEventSink | null,
  ) {}

  anomaly(code: string): void {
    this.anomalies.add(code);
  }

  emit(event: ProtocolEvent): void {
    if (this.events !== null) this.events.onEvent(event, this.flow);
  }
}

export class FlowDelivery implements StreamSink<Flow> {
  constructor(
    private readonly registry: ProtocolRegistry,
    private readonly anomalies: AnomalyCounter,
    private readonly budget: DetectBudget,
    private readonly events: ProtocolEventSink | null,
  ) {}

  streamData(stream: TcpStream<Flow>, buf: Uint8Array, off: number, end: number, ts: number): void {
    this.data(stream.owner, stream.dir, buf, off, end, ts);
  }

  streamGap(stream: TcpStream<Flow>, bytes: number, ts: number): void {
    this.gap(stream.owner, stream.dir, bytes, ts);
  }

  /** Ordered bytes of one direction (TCP stream data or one UDP datagram), borrowed: buf[off, end). */
  data(flow: Flow, dir: Direction, buf: Uint8Array, off: number, end: number, ts: number): void {
    const session = flow.session;
    if (session !== null) {
      try {
        session.onData(dir, buf.subarray(off, end), ts);
      } catch {
        this.fail(flow);
      }
      return;
    }
    if (flow.protocol === null) this.detect(flow, dir, buf, off, end, ts);
  }

  gap(flow: Flow, dir: Direction, bytes: number, ts: number): void {
    const session = flow.session;
    if (session !== null) {
      try {
        session.onGap(dir, bytes, ts);
      } catch {
        this.fail(flow);
      }
    } else if (flow.detection !== null) {
      flow.detection.dropDirection(dir);
    }
  }

  /** The flow ended: the session hears it, detection buffers are released. */
  end(flow: Flow, ts: number): void {
    const session = flow.session;
    if (session !== null) {
      flow.session = null;
      try {
        session.onEnd(ts);
      } catch {
        this.anomalies.add(FLOW_ANOMALIES.codes.protocol_error);
      }
    }
    if (flow.detection !== null) {
      flow.detection.release(this.budget);
      flow.detection = null;
    }
  }

  private detect(flow: Flow, dir: Direction, buf: Uint8Array, off: number, end: number, ts: number): void {
    let d = flow.detection;
    if (d === null) {
      const transport: Transport = flow.transport === 'udp' ? 'udp' : 'tcp';
      const candidates = this.registry.candidates(transport, flow.serverPort, flow.clientPort);
      if (candidates.length === 0) {
        flow.protocol = PROTOCOL_UNKNOWN;
        return;
      }
      d = flow.detection = new Detection(candidates, transport);
    }
    const verdict = d.feed(this.budget, this.anomalies, dir, buf, off, end, ts);
    if (verdict === DETECT_NEED_MORE) return;
    flow.detection = null;
    if (verdict === DETECT_UNKNOWN) {
      d.release(this.budget);
      flow.protocol = PROTOCOL_UNKNOWN;
      return;
    }
    const module = d.matched!;
    flow.protocol = module.id;
    let session: ProtocolSession;
    try {
      session = module.createSession(new FlowSessionContext(flow.info(), this.anomalies, this.events));
    } catch {
      this.anomalies.add(FLOW_ANOMALIES.codes.protocol_error);
      d.release(this.budget);
      return;
    }
    flow.session = session;
    for (let i = 0; i < d.chunkCount; i++) {
      try {
        session.onData(d.chunkDir(i), d.chunkView(i), d.chunkTs(i));
      } catch {
        this.fail(flow);
        break;
      }
    }
    d.release(this.budget);
    if (flow.session !== null) this.data(flow, dir, buf, off, end, ts);
  }

  private fail(flow: Flow): void {
    this.anomalies.add(FLOW_ANOMALIES.codes.protocol_error);
    flow.session = null;
  }
}
