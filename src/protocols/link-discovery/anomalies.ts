// Anomalies of the LLDP (IEEE 802.1AB) and CDP parsers.
import { defineAnomalies } from '../../common/anomaly.js';

export const LINK_DISCOVERY_ANOMALIES = defineAnomalies('link_discovery', {
  truncated_tlv: { severity: 'weird', description: 'A TLV header or value runs past the end of the frame: parsing stops there.' },
  bad_length: { severity: 'weird', description: 'A TLV length is wrong for its type (TTL not 2 bytes, short capabilities...): the TLV is skipped.' },
  missing_mandatory_tlv: {
    severity: 'weird',
    description: 'LLDP without chassis ID, port ID or TTL (or not first in that order), or CDP without device ID.',
  },
  bad_header: { severity: 'violation', description: 'CDP header shorter than 4 bytes or an unknown CDP version: the frame is not parsed.' },
  too_many_tlvs: { severity: 'cap', description: 'More than 64 TLVs in one frame: the rest are ignored.' },
  string_too_long: { severity: 'cap', description: 'A text field longer than 512 characters: it is cut to 512.' },
  too_many_addresses: { severity: 'cap', description: 'More than 16 management addresses in one frame: the rest are ignored.' },
});
