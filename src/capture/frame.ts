// The unit every capture reader yields: one record of the file, as a borrowed view into the reader's buffer.

/**
 * One captured frame. Readers reuse a single Frame object and a single buffer: `buf` is a borrowed view that is
 * valid only during the `onFrame` call. Anything kept longer must be copied.
 */
export interface Frame {
  /** Buffer holding the frame; the frame's bytes are buf[offset, offset + caplen). Borrowed. */
  buf: Uint8Array;
  offset: number;
  /** Bytes captured (present in buf). */
  caplen: number;
  /** Bytes on the wire (>= caplen when the snap length cut the frame). */
  origLen: number;
  /** Capture time: whole seconds since the epoch and the nanoseconds within that second. */
  tsSec: number;
  tsNsec: number;
  /** Link-layer type (LINKTYPE_* number, as in pcap/pcapng). */
  linkType: number;
  /** pcapng interface id (0 for classic pcap); with the file index it names the interface. */
  interfaceId: number;
  /** Byte offset of the record in the (decompressed) capture stream, for evidence and diagnostics. */
  streamOffset: number;
}

export interface FrameHandler {
  onFrame(frame: Frame): void;
}

export function newFrame(): Frame {
  return {
    buf: new Uint8Array(0),
    offset: 0,
    caplen: 0,
    origLen: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 0,
    interfaceId: 0,
    streamOffset: 0,
  };
}

/** Frame time as float seconds (loses sub-microsecond precision; keep tsSec/tsNsec where it matters). */
export function frameTime(f: Frame): number {
  return f.tsSec + f.tsNsec / 1e9;
}
