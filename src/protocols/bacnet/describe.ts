// BACnet datagrams and request/response pairs → normalised transactions and asset hints (docs/protocols/bacnet.md).
import { latencyMs, type AssetHintEvent, type AssetIdentity, type CodeName, type Operation, type TransactionEvent } from '../operation.js';
import { BVLC_RESULT_CODES, OBJECT_DEVICE, PDU, PDU_TYPES, PROP, UNCONFIRMED, bvlcEntry, nameOf, networkMessageEntry, serviceEntry } from './codes.js';
import type { BacnetFields, BacnetPdu, PropertyItem } from './types.js';
import { BACNET_VENDORS } from './vendors.js';

export const PROTOCOL_ID = 'bacnet';

/** A transaction in the making: the request (or the lone message) and what answered it. */
export class BacnetTxn {
  resp: BacnetPdu | null = null;
  respTs = 0;
  /** Segments of the request / of the complex ACK seen, and segment ACKs. */
  requestSegments = 0;
  responseSegments = 0;
  segmentAcks = 0;
  /** A segmented complex ACK whose last segment never came. */
  incomplete = false;
  constructor(
    readonly req: BacnetPdu | null,
    readonly reqTs: number,
    /** Direction that sent the request (or the lone message). */
    readonly dir: 0 | 1,
  ) {}
}

function operationOf(p: BacnetPdu): Operation {
  if (p.apduType >= 0) {
    if (p.service >= 0) {
      const e = serviceEntry(p.apduType !== PDU.UNCONFIRMED_REQUEST, p.service);
      return { code: p.service, name: e.name, access: e.access };
    }
    return { code: p.apduType, name: nameOf(PDU_TYPES, p.apduType), access: 'other' };
  }
  if (p.networkMessage >= 0) {
    const e = networkMessageEntry(p.networkMessage);
    return { code: p.networkMessage, name: e.name, access: e.access };
  }
  const e = bvlcEntry(p.bvlcFunction);
  return { code: p.bvlcFunction, name: e.name, access: e.access };
}

const RESPONSE_PREFIXED = new Set<keyof BacnetFields>([
  'bvlc_function', 'bvlc_function_name', 'forwarded_from', 'dnet', 'dadr', 'snet', 'sadr', 'hop_count',
  'pdu_type', 'pdu_type_name', 'segmented', 'more_follows', 'sequence_number',
  'window_size', 'sent_by_server',
]);

export function describeTransaction(t: BacnetTxn): TransactionEvent {
  const req = t.req;
  const resp = t.resp;
  const base = (req ?? resp)!;
  const operation = operationOf(base);
  const bacnet: Record<string, unknown> = { ...base.fields };
  if (req !== null && resp !== null) {
    const rs = resp.fields;
    for (const key of Object.keys(rs) as (keyof BacnetFields)[]) {
      if (key === 'expecting_reply' || key === 'priority_class') continue;
      if (RESPONSE_PREFIXED.has(key)) bacnet[`response_${key}`] = rs[key];
      else if (key === 'items') bacnet.items = rs.items; // the ACK's items carry the values
      else if (bacnet[key] === undefined) bacnet[key] = rs[key];
    }
  }
  if (t.requestSegments > 0) bacnet.request_segments = t.requestSegments;
  if (t.responseSegments > 0) bacnet.response_segments = t.responseSegments;
  if (t.segmentAcks > 0) bacnet.segment_acks = t.segmentAcks;
  if (t.incomplete) bacnet.segmentation_incomplete = true;

  const f = bacnet as BacnetFields;
  const target: Record<string, unknown> = {};
  if (f.object_type_name !== undefined) target.area = f.object_type_name;
  if (f.instance !== undefined) target.address = f.instance;
  if (f.property_name !== undefined) target.property = f.property_name;
  if (f.array_index !== undefined) target.array_index = f.array_index;
  const first = f.items?.[0];
  if (first !== undefined && target.area === undefined) {
    target.area = first.object_type_name;
    target.address = first.instance;
    if (first.property_name !== undefined) target.property = first.property_name;
  }
  if (f.items_total !== undefined) target.count = f.items_total;
  if (f.device_instance !== undefined) target.device = f.device_instance;
  if (f.low_limit !== undefined) target.low_limit = f.low_limit;
  if (f.high_limit !== undefined) target.high_limit = f.high_limit;
  if (f.networks !== undefined && f.networks.length > 0) target.network = f.networks[0];
  if (f.dnet !== undefined) target.dnet = f.dnet;

  let outcome: TransactionEvent['outcome'] = 'ok';
  let error: CodeName | undefined;
  const isConfirmed = req !== null && req.apduType === PDU.CONFIRMED_REQUEST;
  const isBvlcRequest = req !== null && req.apduType < 0 && req.networkMessage < 0 && bvlcRequestWaits(req.bvlcFunction);
  if ((isConfirmed || isBvlcRequest) && resp === null) outcome = 'no_response';
  const answer = resp;
  if (answer !== null) {
    if (answer.errorCode >= 0) {
      outcome = 'exception';
      error = { code: answer.errorCode, name: answer.errorName };
    } else if (answer.apduType === PDU.ERROR) {
      outcome = 'exception';
    } else if (answer.fields.bvlc_result_code !== undefined && answer.fields.bvlc_result_code !== 0) {
      outcome = 'exception';
      error = { code: answer.fields.bvlc_result_code, name: nameOf(BVLC_RESULT_CODES, answer.fields.bvlc_result_code) };
    }
  }
  const origin: 'client' | 'server' = t.dir === 0 ? 'client' : 'server';
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: req !== null ? t.reqTs : t.respTs,
    operation,
    target,
    outcome,
    latency_ms: req !== null && resp !== null ? latencyMs(t.reqTs, t.respTs) : null,
    origin,
    ...(error !== undefined ? { error } : {}),
    bacnet,
  };
}

/** BVLC functions that are answered by a BVLC-Result or an ACK. */
export function bvlcRequestWaits(fn: number): boolean {
  return fn === 0x01 || fn === 0x02 || fn === 0x05 || fn === 0x06 || fn === 0x08;
}

export function roleHint(side: 'client' | 'server', role: string, ts: number, source: string): AssetHintEvent {
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role, source };
}

/** A message from a device on another BACnet network carries its source network and address: the IP side routed it. */
function routedSubject(f: BacnetFields): { subject?: { behind: string } } {
  return f.snet !== undefined && f.sadr !== undefined ? { subject: { behind: `${f.snet}/${f.sadr}` } } : {};
}

/** An I-Am: the sender's device instance, vendor id, max APDU and segmentation. */
export function iAmHint(side: 'client' | 'server', ts: number, p: BacnetPdu): AssetHintEvent | null {
  const f = p.fields;
  if (p.service !== UNCONFIRMED.I_AM || f.device_instance === undefined) return null;
  const identity: AssetIdentity = { device_type: 'bacnet_device' };
  if (f.vendor_id !== undefined) {
    identity.vendor_id = f.vendor_id;
    identity.vendor = BACNET_VENDORS.get(f.vendor_id);
  }
  if (f.max_apdu !== undefined) identity.max_apdu = f.max_apdu;
  if (f.segmentation_name !== undefined) identity.segmentation = f.segmentation_name;
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: 'device', address: f.device_instance, identity, source: 'i_am', ...routedSubject(f) };
}

const IDENTITY_PROPERTIES: Readonly<Record<number, keyof AssetIdentity>> = {
  [PROP.VENDOR_NAME]: 'vendor',
  [PROP.VENDOR_IDENTIFIER]: 'vendor_id',
  [PROP.MODEL_NAME]: 'model',
  [PROP.FIRMWARE_REVISION]: 'firmware',
  [PROP.APPLICATION_SOFTWARE_VERSION]: 'software',
  [PROP.OBJECT_NAME]: 'name',
};

/** Identity properties of a Device object read in a ReadProperty(Multiple) ACK, or null. */
export function deviceIdentityHint(side: 'client' | 'server', ts: number, resp: BacnetPdu): AssetHintEvent | null {
  if (resp.apduType !== PDU.COMPLEX_ACK) return null;
  const f = resp.fields;
  const items: PropertyItem[] = f.items ?? (f.property !== undefined ? [f] : []);
  const identity: AssetIdentity = {};
  let instance = -1;
  for (const it of items) {
    if (it.object_type !== OBJECT_DEVICE || it.property === undefined || it.value === undefined) continue;
    const key = IDENTITY_PROPERTIES[it.property];
    if (key === undefined) continue;
    const v = it.value;
    if (key === 'vendor_id' ? typeof v !== 'number' : typeof v !== 'string' || v === '') continue;
    identity[key] = v as string | number;
    instance = it.instance!;
  }
  if (instance < 0) return null;
  if (identity.vendor === undefined && typeof identity.vendor_id === 'number') identity.vendor = BACNET_VENDORS.get(identity.vendor_id);
  return {
    protocol: PROTOCOL_ID,
    type: 'asset_hint',
    ts,
    side,
    role: 'device',
    address: instance,
    identity,
    source: f.service_name ?? 'read_property',
    ...routedSubject(f),
  };
}
