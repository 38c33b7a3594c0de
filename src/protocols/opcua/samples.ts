// Hand-made OPC UA conversations (annotated hex) shared by this module's tests and conformance seeds.
import { hex } from '../../common/hex.js';

/** A UA String as hex: int32 length then the UTF-8 bytes. */
export function uaString(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const len = [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  return [...len, ...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A message: 3-letter type, chunk type, size computed over the body. */
export function frame(type: string, chunk: string, body: Uint8Array): Uint8Array {
  const size = 8 + body.length;
  const out = new Uint8Array(size);
  for (let i = 0; i < 3; i++) out[i] = type.charCodeAt(i);
  out[3] = chunk.charCodeAt(0);
  out[4] = size & 0xff;
  out[5] = (size >> 8) & 0xff;
  out[6] = (size >> 16) & 0xff;
  out[7] = (size >>> 24) & 0xff;
  out.set(body, 8);
  return out;
}

export const POLICY_NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';
export const POLICY_BASIC256SHA256 = 'http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256';

export const HEL = frame('HEL', 'F', hex`
  00 00 00 00  # protocol version 0
  00 00 01 00  # receive buffer size 65536
  00 00 01 00  # send buffer size 65536
  00 00 00 01  # max message size 16 MiB
  00 00 00 00  # max chunk count (0 = no limit)
  ${uaString('opc.tcp://plc:4840')}  # endpoint URL
`);

export const ACK = frame('ACK', 'F', hex`
  00 00 00 00  # protocol version
  00 00 01 00  # receive buffer size
  00 00 01 00  # send buffer size
  00 00 00 01  # max message size
  00 00 00 00  # max chunk count
`);

export const ERR = frame('ERR', 'F', hex`
  00 00 7e 80  # BadTcpMessageTypeInvalid
  ${uaString('bad type')}  # reason
`);

const REQUEST_HEADER = (handle: string) => `
  00 00                    # authentication token: two-byte NodeId i=0
  00 00 00 00 00 00 00 00  # timestamp: null
  ${handle}                # request handle
  00 00 00 00              # return diagnostics
  ff ff ff ff              # audit entry id: null
  10 27 00 00              # timeout hint 10000 ms
  00 00 00                 # additional header: null ExtensionObject
`;

const RESPONSE_HEADER = (handle: string, result: string) => `
  00 00 00 00 00 00 00 00  # timestamp: null
  ${handle}                # request handle
  ${result}                # service result
  00                       # service diagnostics: empty
  ff ff ff ff              # string table: null
  00 00 00                 # additional header: null
`;

/** Symmetric security header and sequence header of a MSG on channel 1. */
const SYM = (seq: string, req: string) => `
  01 00 00 00  # secure channel id 1
  01 00 00 00  # token id 1
  ${seq}       # sequence number
  ${req}       # request id
`;

export const OPN_REQUEST = frame('OPN', 'F', hex`
  00 00 00 00  # secure channel id 0 (new)
  ${uaString(POLICY_NONE)}  # security policy URI
  ff ff ff ff  # sender certificate: null
  ff ff ff ff  # receiver certificate thumbprint: null
  01 00 00 00  # sequence number 1
  01 00 00 00  # request id 1
  01 00 be 01  # type id i=446 OpenSecureChannelRequest
  ${REQUEST_HEADER('00 00 00 00')}
  00 00 00 00  # client protocol version
  00 00 00 00  # request type: issue
  01 00 00 00  # security mode: none
  ff ff ff ff  # client nonce: null
  80 ee 36 00  # requested lifetime 3600000 ms
`);

export const OPN_RESPONSE = frame('OPN', 'F', hex`
  01 00 00 00  # secure channel id 1
  ${uaString(POLICY_NONE)}  # security policy URI
  ff ff ff ff  # sender certificate: null
  ff ff ff ff  # receiver certificate thumbprint: null
  01 00 00 00  # sequence number 1
  01 00 00 00  # request id 1
  01 00 c1 01  # type id i=449 OpenSecureChannelResponse
  ${RESPONSE_HEADER('00 00 00 00', '00 00 00 00')}
  00 00 00 00  # server protocol version
  01 00 00 00  # channel id 1
  01 00 00 00  # token id 1
  00 00 00 00 00 00 00 00  # created at
  80 ee 36 00  # revised lifetime
  ff ff ff ff  # server nonce: null
`);

export const READ_REQUEST_BODY = hex`
  01 00 77 02  # type id i=631 ReadRequest
  ${REQUEST_HEADER('07 00 00 00')}
  00 00 00 00 00 00 00 00  # max age 0.0
  02 00 00 00              # timestamps to return: both
  02 00 00 00              # 2 nodes to read
  01 01 d2 04              # NodeId four-byte ns=1;i=1234
  0d 00 00 00              # attribute id 13 Value
  ff ff ff ff              # index range: null
  00 00 ff ff ff ff        # data encoding: null QualifiedName
  03 02 00 ${uaString('Tank.Level')}  # NodeId string ns=2;s=Tank.Level
  04 00 00 00              # attribute id 4 DisplayName
  ff ff ff ff              # index range: null
  00 00 ff ff ff ff        # data encoding: null
`;

export const READ_REQUEST = frame('MSG', 'F', new Uint8Array([...hex`${SYM('05 00 00 00', '05 00 00 00')}`, ...READ_REQUEST_BODY]));

export const READ_RESPONSE = frame('MSG', 'F', hex`
  ${SYM('05 00 00 00', '05 00 00 00')}
  01 00 7a 02  # type id i=634 ReadResponse
  ${RESPONSE_HEADER('07 00 00 00', '00 00 00 00')}
  02 00 00 00  # 2 results
  01           # DataValue mask: value
  0b           # Variant: Double
  00 00 00 00 00 00 f0 3f  # 1.0
  02           # DataValue mask: status only
  00 00 35 80  # BadAttributeIdInvalid
  ff ff ff ff  # diagnostic infos: null
`);

export const WRITE_REQUEST = frame('MSG', 'F', hex`
  ${SYM('06 00 00 00', '06 00 00 00')}
  01 00 a1 02  # type id i=673 WriteRequest
  ${REQUEST_HEADER('08 00 00 00')}
  01 00 00 00  # 1 node to write
  01 01 d2 04  # ns=1;i=1234
  0d 00 00 00  # attribute Value
  ff ff ff ff  # index range: null
  01           # DataValue mask: value
  86           # Variant: Int32 array
  02 00 00 00  # 2 elements
  01 00 00 00  # 1
  fe ff ff ff  # -2
`);

export const WRITE_RESPONSE = frame('MSG', 'F', hex`
  ${SYM('06 00 00 00', '06 00 00 00')}
  01 00 a4 02  # type id i=676 WriteResponse
  ${RESPONSE_HEADER('08 00 00 00', '00 00 00 00')}
  01 00 00 00  # 1 result
  00 00 3b 80  # BadNotWritable
  ff ff ff ff  # diagnostic infos: null
`);

export const CALL_REQUEST = frame('MSG', 'F', hex`
  ${SYM('07 00 00 00', '07 00 00 00')}
  01 00 c8 02  # type id i=712 CallRequest
  ${REQUEST_HEADER('09 00 00 00')}
  01 00 00 00  # 1 method to call
  01 01 e8 03  # object ns=1;i=1000
  01 01 e9 03  # method ns=1;i=1001
  01 00 00 00  # 1 input argument
  0c ${uaString('start')}  # Variant String "start"
`);

export const SERVICE_FAULT = frame('MSG', 'F', hex`
  ${SYM('07 00 00 00', '07 00 00 00')}
  01 00 8d 01  # type id i=397 ServiceFault
  ${RESPONSE_HEADER('09 00 00 00', '00 00 1f 80')}  # BadUserAccessDenied
`);

export const GET_ENDPOINTS_RESPONSE = frame('MSG', 'F', hex`
  ${SYM('08 00 00 00', '08 00 00 00')}
  01 00 af 01  # type id i=431 GetEndpointsResponse
  ${RESPONSE_HEADER('0a 00 00 00', '00 00 00 00')}
  01 00 00 00  # 1 endpoint
  ${uaString('opc.tcp://plc:4840')}  # endpoint URL
  ${uaString('urn:vendor:plc')}  # application URI
  ${uaString('http://vendor.example/plc-one')}  # product URI
  03 ${uaString('en')} ${uaString('PLC One')}  # application name: locale and text
  00 00 00 00  # application type: server
  ff ff ff ff  # gateway server URI: null
  ff ff ff ff  # discovery profile URI: null
  ff ff ff ff  # discovery URLs: null
  ff ff ff ff  # server certificate: null
  03 00 00 00  # security mode: SignAndEncrypt
  ${uaString(POLICY_BASIC256SHA256)}  # security policy URI
  00 00 00 00  # user identity tokens: none
  ff ff ff ff  # transport profile URI: null
  03           # security level 3
`);

export const GET_ENDPOINTS_REQUEST = frame('MSG', 'F', hex`
  ${SYM('08 00 00 00', '08 00 00 00')}
  01 00 ac 01  # type id i=428 GetEndpointsRequest
  ${REQUEST_HEADER('0a 00 00 00')}
  ${uaString('opc.tcp://plc:4840')}  # endpoint URL
  ff ff ff ff  # locale ids: null
  ff ff ff ff  # profile URIs: null
`);

/** The Read request cut into an intermediate chunk and a final one (same request id). */
export const READ_REQUEST_CHUNKED: readonly Uint8Array[] = [
  frame('MSG', 'C', new Uint8Array([...hex`${SYM('09 00 00 00', '09 00 00 00')}`, ...READ_REQUEST_BODY.subarray(0, 30)])),
  frame('MSG', 'F', new Uint8Array([...hex`${SYM('0a 00 00 00', '09 00 00 00')}`, ...READ_REQUEST_BODY.subarray(30)])),
];

export const ABORT_RESPONSE = frame('MSG', 'A', hex`
  ${SYM('09 00 00 00', '09 00 00 00')}
  00 00 80 80  # BadTcpMessageTooLarge
  ${uaString('too big')}  # reason
`);

export const OPN_ENCRYPTED_REQUEST = frame('OPN', 'F', hex`
  00 00 00 00  # secure channel id 0
  ${uaString(POLICY_BASIC256SHA256)}  # security policy URI
  04 00 00 00 30 82 01 0a  # sender certificate (4 bytes)
  14 00 00 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13  # receiver thumbprint (20 bytes)
  9a 3f 77 c1 05 e2 d8 11 42 6b 90 aa 1c 7e 03 5d  # encrypted sequence header and body
`);

export const MSG_ENCRYPTED = frame('MSG', 'F', hex`
  05 00 00 00  # secure channel id 5
  02 00 00 00  # token id 2
  9a 3f 77 c1 05 e2 d8 11 42 6b 90 aa 1c 7e 03 5d  # encrypted sequence header and body
`);
