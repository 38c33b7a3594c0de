// Anomaly catalogues of the capture readers: the input as a whole (`capture`), classic pcap and pcapng.
import { defineAnomalies } from '../common/anomaly.js';

export const CAPTURE_ANOMALIES = defineAnomalies('capture', {
  truncated: {
    severity: 'weird',
    description: 'The input ended inside a record or block; every complete frame before the break was delivered.',
  },
  read_error: {
    severity: 'violation',
    description: 'An I/O error stopped reading part way; the input is treated as truncated at that point.',
  },
  gzip_truncated: {
    severity: 'weird',
    description:
      'The gzip data ended early: the decompressed size does not match the size in its trailer (a file cut short, or corrupt data zlib stopped at; a multi-member gzip whose members differ in size also shows this). Everything that decompressed was read.',
  },
  gzip_corrupt: {
    severity: 'violation',
    description: 'zlib refused the gzip data after the capture had started (corruption, or junk after the gzip end); the rest of the input is lost.',
  },
});

export const PCAP_ANOMALIES = defineAnomalies('pcap', {
  bad_magic: {
    severity: 'violation',
    description: 'The input does not start with a pcap magic number; nothing is read from it.',
  },
  unsupported_version: {
    severity: 'weird',
    description: 'The file header version is not 2.x; records are read as 2.4.',
  },
  reserved_linktype_bits: {
    severity: 'weird',
    description: 'Reserved bits 16-25 of the link-type field are set; they are ignored (only the low 16 bits name the link type).',
  },
  caplen_exceeds_snaplen: {
    severity: 'weird',
    description: 'A record holds more bytes than the snap length in the file header (still within the record cap); the frame is delivered.',
  },
  caplen_exceeds_origlen: {
    severity: 'weird',
    description: 'A record says more bytes were captured than were on the wire; the frame is delivered as captured.',
  },
  bad_timestamp_fraction: {
    severity: 'weird',
    description: 'The microsecond (or nanosecond) field is 1e6 (1e9) or more; the excess is carried into the seconds.',
  },
  bad_record_length: {
    severity: 'violation',
    description:
      'A record header declares more captured bytes than the record cap (max of snap length and 262144, at most 16 MiB), or more than the input holds while plausible records follow inside it, so it is not a real header; the reader scans for the next plausible record.',
  },
  resync: {
    severity: 'violation',
    description:
      'Bytes were skipped to reach the next plausible record (a sane header whose successor is also sane); the skipped bytes are counted in the result.',
  },
  resync_failed: {
    severity: 'violation',
    description: 'No plausible record was found after a bad header before the input ended; the rest was skipped.',
  },
});

export const PCAPNG_ANOMALIES = defineAnomalies('pcapng', {
  missing_section_header: {
    severity: 'violation',
    description: 'The input does not start with a Section Header Block; the reader scans for one.',
  },
  bad_byte_order_magic: {
    severity: 'violation',
    description: 'A Section Header Block whose byte-order magic is neither 1a2b3c4d nor 4d3c2b1a; the reader scans for the next block.',
  },
  unsupported_version: {
    severity: 'weird',
    description: 'A section whose major version is not 1; its blocks are read as version 1.0.',
  },
  bad_block_length: {
    severity: 'violation',
    description:
      'A block length below 12, not a multiple of 4, above the 16 MiB block cap, or beyond the end of input while plausible blocks follow inside it; the reader scans for the next plausible block (known type with a matching trailing length).',
  },
  block_length_mismatch: {
    severity: 'violation',
    description:
      "A block's trailing length differs from its leading one; the block is dropped and the reader moves on by the leading length if a plausible block follows, else scans.",
  },
  block_too_short: {
    severity: 'violation',
    description: "A block's length is consistent but too short for its type's fixed fields; the block is skipped.",
  },
  unknown_block: {
    severity: 'weird',
    description: 'A block of a type Lantern does not know; skipped by its declared length.',
  },
  packet_before_interface: {
    severity: 'violation',
    description: 'A packet block in a section that has no Interface Description Block yet; the packet is dropped.',
  },
  unknown_interface: {
    severity: 'violation',
    description: 'A packet or statistics block names an interface id that its section never described; dropped.',
  },
  bad_packet_length: {
    severity: 'violation',
    description: 'A packet block whose captured length does not fit inside the block; the packet is dropped.',
  },
  caplen_exceeds_snaplen: {
    severity: 'weird',
    description: "A packet holds more bytes than its interface's snap length; the frame is delivered.",
  },
  caplen_exceeds_origlen: {
    severity: 'weird',
    description: 'A packet says more bytes were captured than were on the wire; the frame is delivered as captured.',
  },
  bad_option: {
    severity: 'weird',
    description:
      'An option runs past the end of its block or has the wrong length for its code; that option and the ones after it are ignored.',
  },
  unsupported_tsresol: {
    severity: 'weird',
    description: 'An if_tsresol finer than 10^-19 or 2^-63 s; packets of that interface get timestamp 0.',
  },
  too_many_interfaces: {
    severity: 'cap',
    description: 'More than 4096 interfaces in one file; further Interface Description Blocks are ignored (their packets count as unknown_interface).',
  },
  option_truncated: {
    severity: 'cap',
    description: 'An if_name longer than 256 bytes was cut to 256.',
  },
  resync: {
    severity: 'violation',
    description: 'Bytes were skipped to reach the next plausible block; the skipped bytes are counted in the result.',
  },
  resync_failed: {
    severity: 'violation',
    description: 'No plausible block was found after a bad one before the input ended; the rest was skipped.',
  },
});
