// Typed NetBIOS name service message as parse.ts returns it (docs/protocols/nbns.md).

/** A decoded NetBIOS name: the 15-character name without padding, its 16th byte, and the scope. */
export interface NetbiosName {
  readonly name: string;
  /** 16th byte; -1 when the name was not first-level encoded (then `name` is the name as sent). */
  readonly suffix: number;
  /** Scope id (the labels after the encoded one), '' when none. */
  readonly scope: string;
}

export interface NbAddress {
  readonly ip: string;
  readonly group: boolean;
  /** `b`, `p`, `m` or `h` (ONT bits). */
  readonly node_type: string;
}

export interface NodeStatusName {
  readonly name: string;
  readonly suffix: number;
  readonly suffix_name: string;
  readonly group: boolean;
}

export interface NbnsMessage {
  trnId: number;
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  broadcast: boolean;
  rcode: number;
  /** The question's name and type, or the first record's when there is no question. */
  name: NetbiosName | null;
  qtype: number;
  /** TTL of the first NB record (registration, positive response). */
  ttl: number;
  /** Addresses of the NB records (answer or additional), at most MAX_ADDRESSES. */
  addresses: NbAddress[];
  /** Names of a node status response, at most MAX_STATUS_NAMES. */
  statusNames: NodeStatusName[];
  /** Unit id (MAC) of a node status response, lowercase colon form; '' when absent. */
  mac: string;
  anomalies: string[];
}
