// BACnet/IP session: one datagram at a time; confirmed requests paired with their ACK/Error/Reject/Abort by (requester
// side, invoke id, routed addresses), segmented transfers followed to their last segment, BVLC requests paired with
// their Result/ACK, unconfirmed services and network-layer messages as lone transactions, asset hints.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { BACNET_ANOMALIES } from './anomalies.js';
import { BVLC, PDU, UNCONFIRMED } from './codes.js';
import { BacnetTxn, bvlcRequestWaits, describeTransaction, deviceIdentityHint, iAmHint, roleHint } from './describe.js';
import { parseDatagram } from './parse.js';
import type { BacnetPdu } from './types.js';

const A = BACNET_ANOMALIES.codes;
const MAX_HINTS = 32;
/** Open segmented transfers (requests still arriving in segments, or complex ACKs being received) per session. */
const MAX_OPEN_TRANSFERS = 64;
const RECENTLY_CLOSED = 8;

function side(dir: Direction): 'client' | 'server' {
  return dir === 0 ? 'client' : 'server';
}

export class BacnetSession implements ProtocolSession {
  private readonly pending: PendingRequests<BacnetTxn>;
  /** The same transactions as `pending`, for continuation segments of a segmented request. */
  private readonly open = new Map<string, BacnetTxn>();
  /** Transactions whose segmented complex ACK is still arriving. */
  private readonly receiving: PendingRequests<BacnetTxn>;
  private readonly receivingOpen = new Map<string, BacnetTxn>();
  private readonly bvlcPending: PendingRequests<BacnetTxn>;
  /** Keys of segmented transfers just finished: the final segment ACK comes after the last segment. */
  private readonly closed: string[] = [];
  private readonly roles = [false, false];
  private readonly hinted = new Set<string>();

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<BacnetTxn>((txn, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      else if (why === 'replaced') ctx.anomaly(A.duplicate_invoke_id);
      this.forget(this.open, txn);
      ctx.emit(describeTransaction(txn));
    });
    this.receiving = new PendingRequests<BacnetTxn>(
      (txn, _ts, why) => {
        if (why === 'cap') ctx.anomaly(A.pending_cap);
        this.forget(this.receivingOpen, txn);
        txn.incomplete = true;
        ctx.emit(describeTransaction(txn));
      },
      { maxPending: MAX_OPEN_TRANSFERS },
    );
    this.bvlcPending = new PendingRequests<BacnetTxn>((txn) => ctx.emit(describeTransaction(txn)), { maxPending: 4 });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (data.length === 0) return;
    this.pending.expire(ts);
    this.receiving.expire(ts);
    this.bvlcPending.expire(ts);
    const pdu = parseDatagram(data);
    for (const code of pdu.anomalies) this.ctx.anomaly(code);
    if (pdu.apduType >= 0) this.apdu(dir, pdu, ts);
    else if (pdu.networkMessage >= 0) this.lone(dir, pdu, ts);
    else if (pdu.bvlcFunction >= 0) this.bvlc(dir, pdu, ts);
  }

  /** UDP: the datagram just delivered was cut short; it has been parsed already (its truncation was counted). */
  onGap(): void {}

  onEnd(): void {
    this.pending.drain();
    this.receiving.drain();
    this.bvlcPending.drain();
  }

  private forget(map: Map<string, BacnetTxn>, txn: BacnetTxn): void {
    for (const [k, v] of map) {
      if (v === txn) {
        map.delete(k);
        return;
      }
    }
  }

  private lone(dir: Direction, pdu: BacnetPdu, ts: number): void {
    this.ctx.emit(describeTransaction(new BacnetTxn(pdu, ts, dir)));
  }

  private role(dir: Direction, role: string, ts: number, source: string): void {
    if (this.roles[dir]) return;
    this.roles[dir] = true;
    this.ctx.emit(roleHint(side(dir), role, ts, source));
  }

  private hint(key: string, event: ReturnType<typeof iAmHint>): void {
    if (event === null || this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_HINTS) {
      if (this.hinted.size === MAX_HINTS) {
        this.hinted.add('\0cap');
        this.ctx.anomaly(A.hint_cap);
      }
      return;
    }
    this.hinted.add(key);
    this.ctx.emit(event);
  }

  /** Pairing key: requester side, invoke id, the device's routed address and the requester's. */
  private key(requesterDir: Direction, invokeId: number, device: string, requester: string): string {
    return `${requesterDir}:${invokeId}:${device}:${requester}`;
  }

  private apdu(dir: Direction, pdu: BacnetPdu, ts: number): void {
    const other = (1 - dir) as Direction;
    switch (pdu.apduType) {
      case PDU.UNCONFIRMED_REQUEST: {
        this.lone(dir, pdu, ts);
        const h = iAmHint(side(dir), ts, pdu);
        if (h !== null) {
          // The I-Am hint says the role itself.
          this.roles[dir] = true;
          this.hint(`${dir}:i_am:${JSON.stringify(h.identity)}:${h.address}`, h);
        } else if (pdu.service === UNCONFIRMED.I_AM || pdu.service === UNCONFIRMED.I_HAVE) this.role(dir, 'device', ts, pdu.fields.service_name!);
        else if (pdu.service === UNCONFIRMED.WHO_IS || pdu.service === UNCONFIRMED.WHO_HAS) this.role(dir, 'client', ts, pdu.fields.service_name!);
        return;
      }
      case PDU.CONFIRMED_REQUEST: {
        const key = this.key(dir, pdu.invokeId, pdu.dest, pdu.src);
        this.role(dir, 'client', ts, pdu.fields.service_name!);
        if (pdu.segmented && pdu.sequenceNumber > 0) {
          const txn = this.open.get(key);
          if (txn === undefined) this.ctx.anomaly(A.orphan_segment);
          else txn.requestSegments++;
          return;
        }
        const txn = new BacnetTxn(pdu, ts, dir);
        if (pdu.segmented) txn.requestSegments = 1;
        this.pending.add(key, txn, ts);
        this.open.set(key, txn);
        return;
      }
      case PDU.SEGMENT_ACK: {
        // Sent by the server: acknowledges request segments; by the client: complex-ACK segments.
        const byServer = pdu.fields.sent_by_server === true;
        const key = byServer ? this.key(other, pdu.invokeId, pdu.src, pdu.dest) : this.key(dir, pdu.invokeId, pdu.dest, pdu.src);
        const txn = byServer ? this.open.get(key) : this.receivingOpen.get(key);
        if (txn !== undefined) txn.segmentAcks++;
        else if (!this.closed.includes(key)) this.ctx.anomaly(A.orphan_segment);
        return;
      }
      default:
        this.response(dir, pdu, ts);
    }
  }

  private response(dir: Direction, pdu: BacnetPdu, ts: number): void {
    const other = (1 - dir) as Direction;
    const byClient = pdu.apduType === PDU.ABORT && pdu.fields.sent_by_server === false;
    const key = byClient ? this.key(dir, pdu.invokeId, pdu.dest, pdu.src) : this.key(other, pdu.invokeId, pdu.src, pdu.dest);
    if (!byClient) this.role(dir, 'server', ts, pdu.fields.pdu_type_name!);

    if (pdu.apduType === PDU.COMPLEX_ACK && pdu.segmented) {
      const receiving = this.receivingOpen.get(key);
      if (receiving !== undefined) {
        receiving.responseSegments++;
        if (!pdu.moreFollows) this.finishReceiving(key, receiving);
        return;
      }
      if (pdu.sequenceNumber !== 0 && this.open.get(key) === undefined) {
        this.ctx.anomaly(A.orphan_segment);
        return;
      }
    } else if (pdu.apduType === PDU.ABORT) {
      const receiving = this.receivingOpen.get(key);
      if (receiving !== undefined) {
        receiving.resp = pdu;
        receiving.respTs = ts;
        this.finishReceiving(key, receiving);
        return;
      }
    }

    const entry = this.pending.take(key);
    let txn: BacnetTxn;
    if (entry === undefined) {
      this.ctx.anomaly(A.response_without_request);
      txn = new BacnetTxn(null, 0, byClient ? dir : other);
    } else {
      txn = entry.request;
      this.open.delete(key);
      const req = txn.req!;
      if (pdu.service >= 0 && req.service !== pdu.service) this.ctx.anomaly(A.service_mismatch);
    }
    txn.resp = pdu;
    txn.respTs = ts;
    if (pdu.apduType === PDU.COMPLEX_ACK && pdu.segmented) {
      txn.responseSegments = 1;
      if (pdu.moreFollows) {
        this.receiving.add(key, txn, ts);
        this.receivingOpen.set(key, txn);
        return;
      }
    }
    this.ctx.emit(describeTransaction(txn));
    const h = deviceIdentityHint(side(dir), ts, pdu);
    if (h !== null) this.hint(`${dir}:rp:${JSON.stringify(h.identity)}:${h.address}`, h);
  }

  private finishReceiving(key: string, txn: BacnetTxn): void {
    this.receiving.take(key);
    this.receivingOpen.delete(key);
    if (this.closed.length >= RECENTLY_CLOSED) this.closed.shift();
    this.closed.push(key);
    this.ctx.emit(describeTransaction(txn));
  }

  private bvlc(dir: Direction, pdu: BacnetPdu, ts: number): void {
    const fn = pdu.bvlcFunction;
    if (bvlcRequestWaits(fn)) {
      this.role(dir, 'client', ts, pdu.fields.bvlc_function_name!);
      this.bvlcPending.add(`b${dir}`, new BacnetTxn(pdu, ts, dir), ts);
      return;
    }
    if (fn === BVLC.RESULT || fn === BVLC.READ_BDT_ACK || fn === BVLC.READ_FDT_ACK) {
      this.role(dir, 'server', ts, pdu.fields.bvlc_function_name!);
      const entry = this.bvlcPending.take(`b${1 - dir}`);
      const txn = entry?.request ?? new BacnetTxn(null, 0, (1 - dir) as Direction);
      txn.resp = pdu;
      txn.respTs = ts;
      this.ctx.emit(describeTransaction(txn));
      return;
    }
    this.lone(dir, pdu, ts);
  }
}
