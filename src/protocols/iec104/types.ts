// Typed IEC 60870-5-104 APDUs as parse.ts returns them (APCI + ASDU, IEC 60870-5-104 §5, IEC 60870-5-101 §7).

export type ApciFormat = 'I' | 'S' | 'U';

/** One decoded information object; only the fields its type carries are present. */
export interface InfoObject {
  /** Information object address (3 bytes; with SQ=1 the base address plus the index). */
  ioa: number;
  /** The element's value: point state, measured value, counter, command state, setpoint, qualifier... */
  value?: number | null;
  /** Name of a double point / double command / regulating step state. */
  state?: string;
  /** Quality and flag bits that are set: iv, nt, sb, bl, ov, ei, transient, cy, ca, lpc, pop. */
  flags?: string[];
  /** Command select/execute bit: `select` or `execute`. */
  se?: 'select' | 'execute';
  /** Command qualifier (QU of SCO/DCO/RCO, QL of QOS, KPA of QPM...), or the system command qualifier. */
  qualifier?: number;
  qualifier_name?: string;
  /** BCR sequence number; protection elapsed/duration time (CP16Time2a, ms). */
  seq?: number;
  elapsed_ms?: number;
  /** CP56Time2a as ISO `YYYY-MM-DDTHH:MM:SS.mmm` (station local time, no zone), CP24Time2a as `MM:SS.mmm`. */
  time?: string | null;
  time_end?: string | null;
  /** The time tag's IV bit (time invalid) and SU bit (summer time). */
  time_iv?: boolean;
  time_su?: boolean;
  /** File transfer: name of file, section, length, and the file qualifier byte. */
  file?: number;
  section?: number;
  length?: number;
}

export interface Asdu {
  typeId: number;
  sq: boolean;
  /** Number of objects from the variable structure qualifier. */
  numObjects: number;
  cot: number;
  /** P/N bit: negative confirmation. */
  negative: boolean;
  /** T bit: test. */
  test: boolean;
  originator: number;
  commonAddress: number;
  /** Header layout used: standard 104 is cot 2 / ca 2 bytes. */
  cotSize: 1 | 2;
  caSize: 1 | 2;
  /** Decoded objects, at most MAX_OBJECTS. */
  objects: InfoObject[];
  /** Objects actually decoded from the bytes (the VSQ count unless truncated). */
  objectsDecoded: number;
}

export interface Apdu {
  format: ApciFormat;
  /** Length octet: bytes after the length field. */
  length: number;
  /** I-format N(S); -1 otherwise. */
  sendSeq: number;
  /** I/S-format N(R); -1 for U-format. */
  recvSeq: number;
  /** U-format: the first control octet (0x07 STARTDT act ...); 0 otherwise. */
  uControl: number;
  asdu: Asdu | null;
}
