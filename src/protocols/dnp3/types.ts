// Typed DNP3 PDUs: the link frame header, object headers, decoded point values and an application fragment.

export interface ObjectHeader {
  group: number;
  variation: number;
  /** Group name from codes.ts (`binary_input`, `class_data`...). */
  name: string;
  qualifier: number;
  /** Range specifier name (`start_stop_1`, `count_2`, `all_objects`, `free_format`...). */
  range: string;
  start?: number;
  stop?: number;
  /** Objects announced by the range (0 for `all_objects`). */
  count: number;
}

/** One decoded object value. Fields beyond group/variation/index appear when the object carries them. */
export interface Dnp3Point {
  group: number;
  variation: number;
  index: number;
  value?: number | boolean | string | null;
  flags?: number;
  /** Absolute time (48-bit ms since 1970) as ISO 8601. */
  time?: string;
  /** 16-bit relative time (ms after the preceding CTO object). */
  rel_time_ms?: number;
  /** Command status (g12 CROB, g41 analog output block) and its name. */
  status?: number;
  status_name?: string;
  /** CROB fields (g12v1/v2). */
  control_code?: number;
  op_type?: string;
  tcc?: string;
  queue?: boolean;
  clear?: boolean;
  count?: number;
  on_time_ms?: number;
  off_time_ms?: number;
  /** Device attribute name (g0) or file object field (g70). */
  attr?: string;
  /** g70: file name, handle, block number, data length. */
  file_name?: string;
  handle?: number;
  block?: number;
  data_length?: number;
}

/** One application-layer fragment (request or response), reassembled from its transport segments. */
export interface AppFragment {
  fir: boolean;
  fin: boolean;
  con: boolean;
  uns: boolean;
  seq: number;
  func: number;
  /** Internal indications of responses (fc 129-131); -1 in requests. */
  iin1: number;
  iin2: number;
  objects: ObjectHeader[];
  points: Dnp3Point[];
  /** Objects decoded, including those past the export cap. */
  pointsTotal: number;
  /** Anomaly codes found while parsing. */
  anomalies: string[];
  length: number;
}

/** A fragment with the link addresses it travelled between and who sent it. */
export interface Dnp3Message {
  app: AppFragment;
  src: number;
  dst: number;
  /** Link DIR bit: set when the frame comes from a master. */
  linkDir: boolean;
  /** The flow direction it travelled in (0 = from the flow's client). */
  side: 0 | 1;
  master: number;
  outstation: number;
}
