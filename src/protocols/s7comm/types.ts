// Decoded shapes of COTP TPDUs, S7comm PDUs and S7comm-plus PDUs (parse.ts builds them; describe.ts reads them).

export interface CotpTpdu {
  /** TPDU code (upper nibble of the type byte): 0x0e CR, 0x0d CC, 0x0f DT, 0x08 DR, 0x07 ER... */
  type: number;
  /** DT: end of TSDU. */
  eot: boolean;
  /** Offset and end of the user data (DT payload) in the frame. */
  dataOffset: number;
  dataEnd: number;
  dstRef: number;
  srcRef: number;
  /** CR/CC: TSAPs as hex strings, TPDU size in bytes (0 when absent). */
  srcTsap: string;
  dstTsap: string;
  tpduSize: number;
  /** DR reason, ER reject cause (-1 when absent). */
  reason: number;
  /** From a two-byte S7 TSAP (called TSAP in CR/CC): connection type, rack, slot; -1 when not S7-shaped. */
  connectionType: number;
  rack: number;
  slot: number;
}

/** A request item (variable specification). */
export interface S7Item {
  syntax: number;
  transportSize: number;
  /** Element count (S7ANY) or byte length (DBREAD). */
  length: number;
  db: number;
  area: number;
  /** Byte address and bit number (S7ANY address is byte << 3 | bit). */
  byte: number;
  bit: number;
}

/** A data item of a read response or write request, or the return code of a write response. */
export interface S7DataItem {
  returnCode: number;
  transportSize: number;
  /** Data length in bytes. */
  length: number;
}

export interface S7Userdata {
  method: number;
  type: number;
  group: number;
  subfunction: number;
  sequence: number;
  /** Response parameter only (-1 otherwise). */
  dataUnitRef: number;
  lastDataUnit: number;
  errorCode: number;
  /** Data part header (-1 when absent). */
  returnCode: number;
  transportSize: number;
  dataLength: number;
}

export interface SzlIdentity {
  order_number?: string;
  firmware?: string;
  hardware?: string;
  boot_loader?: string;
  plc_name?: string;
  module_name?: string;
  plant_id?: string;
  copyright?: string;
  serial?: string;
  module_type?: string;
  memory_card_serial?: string;
  location?: string;
  cpu_mode?: string;
  max_pdu?: number;
  max_connections?: number;
  mpi_rate?: number;
  bus_rate?: number;
}

export interface S7Pdu {
  rosctr: number;
  redundancy: number;
  pduRef: number;
  paramLength: number;
  dataLength: number;
  /** ack / ack_data header error (-1 when absent). */
  errorClass: number;
  errorCode: number;
  /** First parameter byte for job / ack_data (-1 when absent). */
  func: number;
  itemCount: number;
  items: S7Item[];
  dataItems: S7DataItem[];
  /** Setup communication. */
  amqCalling: number;
  amqCalled: number;
  pduLength: number;
  /** Block transfer: status byte, file name and its parts, upload id (-1/'' when absent). */
  functionStatus: number;
  uploadId: number;
  filename: string;
  blockType: string;
  blockNumber: number;
  filesystem: string;
  blockLength: number;
  /** PI service / PLC stop. */
  piService: string;
  piBlocks: string[];
  userdata: S7Userdata | null;
  szlId: number;
  szlIndex: number;
  /** Userdata request asking for the next part of a multi-part answer (the session fills szlId/szlIndex). */
  continuation: boolean;
  szlRecordCount: number;
  identity: SzlIdentity | null;
  /** Block functions: counts per type (list blocks), block type and number (list of type, block info). */
  blockCounts: Record<string, number> | null;
  /** Time functions: the BCD clock value read or set, ISO 8601 without zone ('' when absent or not BCD). */
  clock: string;
  /** Cyclic data: interval (timebase code, factor). */
  cycleTimebase: number;
  cycleFactor: number;
}

export interface S7PlusPdu {
  version: number;
  dataLength: number;
  /** -1 when not visible. */
  opcode: number;
  func: number;
  sequence: number;
  integrity: boolean;
}
