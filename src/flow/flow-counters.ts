// Counters of the flow layer (flow table, TCP reassembly, detection): plain numeric fields bumped on the hot path.

export class FlowCounters {
  /** Flows started and ended (every ended flow was reported once to the listener). */
  created = 0;
  ended = 0;
  /** Live flows: created - ended (closed flows lingering to absorb late packets are not live). */
  active = 0;
  evictedCap = 0;
  timedOutIdle = 0;
  timedOutLifetime = 0;
  /** TCP segments processed. */
  tcpSegments = 0;
  /** Segments whose data had all been seen before (keep-alives excluded). */
  retransmissions = 0;
  /** Segments that arrived ahead of the expected sequence number and were buffered. */
  outOfOrder = 0;
  /** Segments that partly overlapped data already delivered or buffered. */
  overlaps = 0;
  overlapMismatches = 0;
  gaps = 0;
  gapBytes = 0;
  /** TCP directions whose first sequence number was learnt without a SYN. */
  midstreamPickups = 0;
  /** Holes too big to be capture loss (tcp.seq_jump): the stream resynchronised, the bytes are not in gapBytes. */
  seqJumps = 0;
  /** Packets that reached a flow after it closed (FIN both ways or RST) and were absorbed, not reassembled. */
  afterClose = 0;
  /** Out-of-order buffering caps hit (per direction or table-wide). */
  bufferCapHits = 0;
  /** Ended TCP/UDP flows per detected protocol id; `unknown` when no probe matched, `undecided` when it ended first. */
  readonly byProtocol = new Map<string, number>();

  countProtocol(id: string): void {
    this.byProtocol.set(id, (this.byProtocol.get(id) ?? 0) + 1);
  }

  toJSON(): Record<string, unknown> {
    const byProtocol: Record<string, number> = {};
    for (const id of [...this.byProtocol.keys()].sort()) byProtocol[id] = this.byProtocol.get(id)!;
    return {
      created: this.created,
      ended: this.ended,
      active: this.active,
      evictedCap: this.evictedCap,
      timedOutIdle: this.timedOutIdle,
      timedOutLifetime: this.timedOutLifetime,
      tcpSegments: this.tcpSegments,
      retransmissions: this.retransmissions,
      outOfOrder: this.outOfOrder,
      overlaps: this.overlaps,
      overlapMismatches: this.overlapMismatches,
      gaps: this.gaps,
      gapBytes: this.gapBytes,
      midstreamPickups: this.midstreamPickups,
      bufferCapHits: this.bufferCapHits,
      afterClose: this.afterClose,
      seqJumps: this.seqJumps,
      byProtocol,
    };
  }
}
