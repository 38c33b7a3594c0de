// Anomalies of the S7comm module: TPKT/COTP framing, S7comm and S7comm-plus PDUs, pairing state.
import { defineAnomalies } from '../../common/anomaly.js';

export const S7COMM_ANOMALIES = defineAnomalies('s7comm', {
  bad_tpkt: { severity: 'violation', description: 'TPKT header with a version other than 3 or a length below 7: parsing of this direction stops' },
  tpkt_buffer_cap: { severity: 'cap', description: 'partial TPKT frame larger than the per-direction buffer: parsing of this direction stops' },
  bad_cotp: { severity: 'weird', description: 'COTP length indicator beyond the TPKT frame, or a TPDU too short for its type' },
  cotp_unknown_type: { severity: 'weird', description: 'COTP TPDU of a type this module does not decode (ignored)' },
  cotp_reassembly_cap: { severity: 'cap', description: 'COTP DT fragments without end-of-TSDU exceeded the reassembly cap: the TSDU is dropped' },
  not_s7: { severity: 'weird', description: 'COTP data that is neither S7comm (0x32) nor S7comm-plus (0x72)' },
  truncated: { severity: 'weird', description: 'S7comm header, parameter or data length beyond the PDU: decoded as far as the bytes go' },
  bad_userdata_param: { severity: 'weird', description: 'userdata parameter without the 00 01 12 head or shorter than 8 bytes: reported as a lone malformed_userdata message' },
  unknown_rosctr: { severity: 'weird', description: 'S7comm header with a ROSCTR other than job, ack, ack_data or userdata' },
  bad_item: { severity: 'weird', description: 'read/write item specification shorter than its declared length or not 0x12' },
  item_count_mismatch: { severity: 'weird', description: 'response carries a different number of items than its request' },
  unmatched_response: { severity: 'weird', description: 'response (ack, ack_data, userdata response) whose request was not seen: reported alone' },
  pending_cap: { severity: 'cap', description: 'too many requests waiting for a response: the oldest is reported as unanswered' },
  upload_table_cap: { severity: 'cap', description: 'too many open uploads or multi-part userdata answers: the oldest is forgotten' },
  s7plus_truncated: { severity: 'weird', description: 'S7comm-plus PDU shorter than its header or integrity part' },
});
