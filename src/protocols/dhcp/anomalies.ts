// Anomalies of the DHCPv4 module (BOOTP header, options, caps).
import { defineAnomalies } from '../../common/anomaly.js';

export const DHCP_ANOMALIES = defineAnomalies('dhcp', {
  truncated_message: { severity: 'weird', description: 'A datagram shorter than the 236-byte BOOTP header: not decoded.' },
  no_magic_cookie: { severity: 'weird', description: 'No DHCP magic cookie after the BOOTP header: decoded as BOOTP without options.' },
  bad_op: { severity: 'weird', description: 'BOOTP op is neither 1 (request) nor 2 (reply).' },
  truncated_option: { severity: 'weird', description: 'An option runs past the end of the message (or of the overloaded field).' },
  bad_option_length: { severity: 'weird', description: 'An option whose length does not fit its type (message type not 1 byte, an address not 4...).' },
  unknown_message_type: { severity: 'weird', description: 'Option 53 carries a value outside the registry.' },
  hint_memory_cap: { severity: 'cap', description: 'The per-flow memory of hints already emitted was full and was cleared: later hints may repeat.' },
});
