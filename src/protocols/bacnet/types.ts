// Typed BACnet/IP datagram as parse.ts returns it (BVLC, NPDU, APDU header) and the fields exported under `bacnet`
// (docs/protocols/bacnet.md).

/** A decoded primitive value: null, boolean, number, or a string (text, hex octets, bits, date, time, `type:instance`). */
export type BacnetValue = null | boolean | number | string;

/** One object/property of ReadProperty(Multiple)/WriteProperty(Multiple), with its value or error. */
export interface PropertyItem {
  object_type?: number;
  object_type_name?: string;
  instance?: number;
  property?: number;
  property_name?: string;
  array_index?: number;
  value?: BacnetValue;
  /** When the property value holds several primitives (lists, arrays), capped. */
  values?: BacnetValue[];
  /** The value has constructed (context-tagged) parts that are not decoded. */
  constructed?: boolean;
  priority?: number;
  error_class?: number;
  error_class_name?: string;
  error_code?: number;
  error_code_name?: string;
}

export interface BdtEntry {
  address: string;
  mask: string;
}

export interface FdtEntry {
  address: string;
  ttl: number;
  remaining: number;
}

/** Fields decoded from one datagram; a request's and its response's are merged into one record. */
export interface BacnetFields extends PropertyItem {
  bvlc_function?: number;
  bvlc_function_name?: string;
  bvlc_result_code?: number;
  bvlc_result_name?: string;
  forwarded_from?: string;
  bdt?: BdtEntry[];
  fdt?: FdtEntry[];
  table_entries?: number;
  fd_ttl?: number;
  fdt_entry?: string;
  dnet?: number;
  dadr?: string;
  snet?: number;
  sadr?: string;
  hop_count?: number;
  expecting_reply?: boolean;
  priority_class?: number;
  network_message?: number;
  network_message_name?: string;
  networks?: number[];
  network_reject_reason?: number;
  network_reject_reason_name?: string;
  performance_index?: number;
  network_number?: number;
  network_number_configured?: boolean;
  routing_table_ports?: number;
  pdu_type?: number;
  pdu_type_name?: string;
  invoke_id?: number;
  service?: number;
  service_name?: string;
  segmented?: boolean;
  more_follows?: boolean;
  segmented_response_accepted?: boolean;
  sequence_number?: number;
  window_size?: number;
  max_segments?: number;
  max_apdu?: number;
  negative_ack?: boolean;
  sent_by_server?: boolean;
  items?: PropertyItem[];
  items_total?: number;
  device_instance?: number;
  vendor_id?: number;
  segmentation?: number;
  segmentation_name?: string;
  low_limit?: number;
  high_limit?: number;
  object_name?: string;
  time_duration?: number;
  enable_disable?: number;
  enable_disable_name?: string;
  reinit_state?: number;
  reinit_state_name?: string;
  password_present?: boolean;
  subscriber_process_id?: number;
  lifetime?: number;
  file_start?: number;
  file_count?: number;
  reject_reason?: number;
  reject_reason_name?: string;
  abort_reason?: number;
  abort_reason_name?: string;
  date?: string;
  time?: string;
}

export interface BacnetPdu {
  /** BVLC function, or -1 when the datagram is not BVLC/IP. */
  bvlcFunction: number;
  /** Network-layer message type, or -1 (an APDU or no NPDU). */
  networkMessage: number;
  /** APDU type 0-15, or -1 when there is no APDU. */
  apduType: number;
  invokeId: number;
  /** Service choice, or -1 (segment ACK, reject, abort carry none). */
  service: number;
  segmented: boolean;
  moreFollows: boolean;
  sequenceNumber: number;
  /** NPDU destination `dnet/dadr` and source `snet/sadr` ('' when absent): the routed ends, for request pairing. */
  dest: string;
  src: string;
  /** Error/reject/abort code and name when the APDU is one. */
  errorCode: number;
  errorName: string;
  fields: BacnetFields;
  /** Anomaly codes the datagram raised. */
  anomalies: string[];
}
