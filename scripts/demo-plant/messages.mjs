// Hand-made application payloads of the demo plant (S7comm over COTP/TPKT, RFC 1006; DNP3 IEEE 1815 over TCP),
// one field per line. Only these bytes are hand-made: sockets, handshakes, ports and timing are real.

/** Annotated hex → bytes: `00 06  # length`; everything after `#` on a line is a comment. */
export function hex(strings, ...values) {
  const text = strings.reduce((s, part, i) => s + part + (i < values.length ? values[i] : ''), '');
  const digits = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex: ${digits}`);
  return Buffer.from(digits, 'hex');
}

const ascii = (s) => Buffer.from(s, 'latin1').toString('hex');
const u16 = (n) => [(n >> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** A text SZL record: 16-bit index then `size` bytes of text padded with blanks (S7 pads with spaces or NULs). */
function textRecord(index, text, size, pad = ' ') {
  return u16(index) + ' ' + ascii(text.padEnd(size, pad).slice(0, size));
}

// ---- RFC 1006 / ISO 8073 framing ----

/** TPKT (RFC 1006) + COTP DT TPDU, last data unit, around an S7 PDU. */
export function tpktDt(s7) {
  const len = 4 + 3 + s7.length;
  return Buffer.concat([
    hex`
      03 00 ${u16(len)}   # TPKT version 3, reserved, total length
      02 f0 80            # COTP LI 2, DT data, EOT + TPDU number 0
    `,
    s7,
  ]);
}

/** The S7 PDU reference of a job (bytes 4-5 of the S7 header) is set per request; answers echo it. */
export function withRef(s7, ref) {
  const out = Buffer.from(s7);
  out[4] = (ref >> 8) & 0xff;
  out[5] = ref & 0xff;
  return out;
}
export const s7Ref = (s7) => (s7[4] << 8) | s7[5];

export const COTP_CR = hex`
  03 00 00 16         # TPKT v3, length 22
  11                  # COTP length indicator 17
  e0                  # CR connection request, credit 0
  00 00               # destination reference
  00 05               # source reference
  00                  # class 0
  c1 02 01 00         # calling TSAP: PG (01), rack 0 slot 0
  c2 02 01 02         # called TSAP: PG (01), rack 0 slot 2 (an S7-300 CPU)
  c0 01 0a            # TPDU size 1024
`;

export const COTP_CC = hex`
  03 00 00 16         # TPKT v3, length 22
  11                  # COTP length indicator 17
  d0                  # CC connection confirm
  00 05               # destination reference (the client's)
  00 01               # source reference
  00                  # class 0
  c1 02 01 00         # calling TSAP echoed
  c2 02 01 02         # called TSAP echoed
  c0 01 0a            # TPDU size 1024
`;

// ---- S7comm PDUs (header: 32, ROSCTR, reserved, PDU ref, param length, data length[, error class/code]) ----

export const S7_SETUP_JOB = hex`
  32 01 00 00 00 00   # S7, ROSCTR 1 job, reserved, PDU ref (set per request)
  00 08 00 00         # parameter length 8, data length 0
  f0                  # function: setup communication
  00                  # reserved
  00 01 00 01         # max AmQ calling 1, called 1
  01 e0               # PDU length 480
`;
export const S7_SETUP_ACK = hex`
  32 03 00 00 00 00   # S7, ROSCTR 3 ack_data, PDU ref
  00 08 00 00         # parameter length 8, data length 0
  00 00               # error class 0, code 0
  f0 00               # setup communication, reserved
  00 01 00 01         # max AmQ 1 / 1
  00 f0               # PDU length 240 (what the CPU grants)
`;

/** Read SZL (userdata, CPU functions group) of a list id and index. */
export function s7SzlRequest(szlId, szlIndex) {
  return hex`
    32 07 00 00 00 00   # S7, ROSCTR 7 userdata, PDU ref
    00 08 00 08         # parameter length 8, data length 8
    00 01 12            # parameter head
    04                  # parameter length 4
    11                  # method request (1), type 1
    44                  # type 4 request / group 4 CPU functions
    01                  # subfunction 1: read SZL
    00                  # sequence number 0
    ff 09 00 04         # return code success, transport octet string, 4 bytes
    ${u16(szlId)}       # SZL id
    ${u16(szlIndex)}    # SZL index
  `;
}

function s7SzlResponse(szlId, recordLength, records) {
  const body = hex`${records.join('\n')}`;
  const dataLen = 8 + body.length;
  return Buffer.concat([
    hex`
      32 07 00 00 00 00   # S7, ROSCTR 7 userdata, PDU ref (echoed)
      00 0c ${u16(dataLen + 4)}   # parameter length 12, data length
      00 01 12            # parameter head
      08                  # parameter length 8
      12                  # method response
      84                  # type 8 response / group 4 CPU functions
      01                  # subfunction read SZL
      01                  # sequence number 1
      00                  # data unit reference
      00                  # last data unit
      00 00               # error code 0
      ff 09 ${u16(dataLen)}   # return code success, octet string, length
      ${u16(szlId)} 00 00 # SZL id, index 0
      ${u16(recordLength)} ${u16(records.length)}   # record length, record count
    `,
    body,
  ]);
}

/** SZL 0x0011 module identification: order number of module and hardware, firmware version. */
export const S7_SZL_0011 = s7SzlResponse(0x0011, 28, [
  textRecord(1, '6ES7 315-2EH14-0AB0', 20) + ' 00 c0 00 04 00 01   # index 1 module: MLFB, BGTyp, Ausbg 4, Ausbe 1',
  textRecord(6, '6ES7 315-2EH14-0AB0', 20) + ' 00 c0 00 04 00 01   # index 6 basic hardware',
  textRecord(7, '', 20) + ' 00 c0 56 03 02 0d   # index 7 basic firmware: V3.2.13',
]);

/** SZL 0x001C component identification: station, module, plant, serial, module type names. */
export const S7_SZL_001C = s7SzlResponse(0x001c, 34, [
  textRecord(1, 'PLC-2 FILLING', 32, '\0') + '   # index 1: automation system name',
  textRecord(2, 'CPU 315-2 PN/DP', 32, '\0') + '   # index 2: module name',
  textRecord(3, 'LINE 2', 32, '\0') + '   # index 3: plant designation',
  textRecord(5, 'S C-X4U421302009', 32, '\0') + '   # index 5: serial number',
  textRecord(7, 'CPU 315-2 PN/DP', 32, '\0') + '   # index 7: module type name',
]);

/** Read variable: DB10, 8 bytes from DBB0 (process values of the filling line). */
export const S7_READ_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 0e 00 00         # parameter length 14, data length 0
  04 01               # function read var, 1 item
  12 0a 10            # variable specification, length 10, syntax id S7ANY
  02                  # transport size BYTE
  00 08               # count 8
  00 0a               # DB number 10
  84                  # area: data blocks
  00 00 00            # address: byte 0 bit 0
`;
export function s7ReadAck(values) {
  return hex`
    32 03 00 00 00 00   # S7 ack_data, PDU ref
    00 02 00 0c         # parameter length 2, data length 12
    00 00               # error class 0, code 0
    04 01               # read var, 1 item
    ff                  # item return code: success
    04                  # transport size: BYTE/WORD/DWORD (length in bits)
    00 40               # 64 bits
    ${values.map(u16).join(' ')}   # 4 words: level, flow, temperature, fill count
  `;
}

/** Block file name `_` + block type (08 OB, 0A DB) + 5-digit number + file system (P passive, A active). */
const OB1_FILE = `09 ${ascii('_0800001P')}   # file name length 9, "_0800001P": OB 1, passive file system`;

export const S7_START_UPLOAD_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 12 00 00         # parameter length 18, data length 0
  1d                  # function start upload
  00                  # function status
  00 00               # unknown
  00 00 00 00         # upload id (none yet)
  ${OB1_FILE}
`;
export const S7_START_UPLOAD_ACK = hex`
  32 03 00 00 00 00   # S7 ack_data, PDU ref
  00 10 00 00 00 00   # parameter length 16, data length 0, no error
  1d                  # function start upload
  00                  # function status
  01 00               # unknown
  00 00 00 07         # upload id 7
  07 ${ascii('0000064')}   # block length string, 7 digits: 64 bytes
`;
export const S7_UPLOAD_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 08 00 00         # parameter length 8, data length 0
  1e                  # function upload
  00                  # function status
  00 00               # unknown
  00 00 00 07         # upload id 7
`;
/** MC7 code of a block: 64 bytes (header and a few instructions); content matters to nobody but tshark's byte count. */
const MC7_BLOCK = Buffer.alloc(64, 0);
MC7_BLOCK.set([0x70, 0x70, 0x01, 0x01, 0x02, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x40], 0);
export function s7UploadAck() {
  return Buffer.concat([
    hex`
      32 03 00 00 00 00   # S7 ack_data, PDU ref
      00 02 00 44 00 00   # parameter length 2, data length 68, no error
      1e                  # function upload
      00                  # function status: last data
      00 40               # data: length 64
      00 fb               # unknown (fixed 00 fb)
    `,
    MC7_BLOCK,
  ]);
}
export const S7_END_UPLOAD_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 08 00 00         # parameter length 8, data length 0
  1f                  # function end upload
  00                  # function status
  00 00               # error code
  00 00 00 07         # upload id 7
`;
export const S7_END_UPLOAD_ACK = hex`
  32 03 00 00 00 00 00 01 00 00 00 00   # S7 ack_data, PDU ref, parameter length 1, no error
  1f                                    # function end upload
`;

export const S7_REQUEST_DOWNLOAD_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 20 00 00         # parameter length 32, data length 0
  1a                  # function request download
  00                  # function status
  01 00               # unknown
  00 00 00 00         # download id
  ${OB1_FILE}
  0d                  # length of the length part: 13
  31                  # "1"
  ${ascii('000116')}  # load memory length 116
  ${ascii('000064')}  # MC7 code length 64
`;
export const S7_REQUEST_DOWNLOAD_ACK = hex`
  32 03 00 00 00 00 00 01 00 00 00 00   # S7 ack_data, PDU ref, parameter length 1, no error
  1a                                    # function request download
`;
/** Sent by the PLC to the programming device once it accepts the download: "give me the block". */
export const S7_DOWNLOAD_BLOCK_JOB = hex`
  32 01 00 00 00 00   # S7 job (from the PLC), PDU ref
  00 12 00 00         # parameter length 18, data length 0
  1b                  # function download block
  00                  # function status
  01 00               # unknown
  00 00 00 00         # download id
  ${OB1_FILE}
`;
export function s7DownloadBlockAck() {
  return Buffer.concat([
    hex`
      32 03 00 00 00 00   # S7 ack_data (from the programming device), PDU ref
      00 02 00 44 00 00   # parameter length 2, data length 68, no error
      1b                  # function download block
      00                  # function status: last data
      00 40               # data: length 64
      00 fb               # unknown (fixed 00 fb)
    `,
    MC7_BLOCK,
  ]);
}
export const S7_DOWNLOAD_ENDED_JOB = hex`
  32 01 00 00 00 00   # S7 job (from the PLC), PDU ref
  00 12 00 00         # parameter length 18, data length 0
  1c                  # function download ended
  00                  # function status
  00 00               # error code 0
  00 00 00 00         # download id
  ${OB1_FILE}
`;
export const S7_DOWNLOAD_ENDED_ACK = hex`
  32 03 00 00 00 00 00 01 00 00 00 00   # S7 ack_data, PDU ref, parameter length 1, no error
  1c                                    # function download ended
`;
/** PI service _INSE: insert (activate) the downloaded block. */
export const S7_PI_INSE_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 1a 00 00         # parameter length 26, data length 0
  28                  # function PI service
  00 00 00 00 00 00 fd   # unknown, fixed
  00 0a               # parameter block length 10
  01 00               # number of blocks 1, reserved
  ${ascii('0800001P')}   # block: OB (08) 00001, passive file system
  05 ${ascii('_INSE')}   # service name length 5, "_INSE"
`;
export const S7_PI_ACK = hex`
  32 03 00 00 00 00 00 02 00 00 00 00   # S7 ack_data, PDU ref, parameter length 2, no error
  28 00                                 # function PI service, status
`;
export const S7_PLC_STOP_JOB = hex`
  32 01 00 00 00 00   # S7 job, PDU ref
  00 10 00 00         # parameter length 16, data length 0
  29                  # function PLC stop
  00 00 00 00 00      # unknown, fixed
  09 ${ascii('P_PROGRAM')}   # service name length 9, "P_PROGRAM"
`;
export const S7_PLC_STOP_ACK = hex`
  32 03 00 00 00 00 00 01 00 00 00 00   # S7 ack_data, PDU ref, parameter length 1, no error
  29                                    # function PLC stop
`;

// ---- DNP3 (IEEE 1815): link frame around a transport segment, CRC after the header and every 16 user octets ----

/** DNP3 CRC-16 (polynomial 0x3D65, reflected 0xA6BC), complemented, sent low byte first. */
export function crcDnp(b) {
  let crc = 0;
  for (const x of b) {
    crc ^= x;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa6bc : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** One link frame: 05 64, length, control (master 0xC4 / outstation 0x44: unconfirmed user data), destination, source. */
export function dnp3Frame(fromMaster, dst, src, tseq, app) {
  const user = Buffer.concat([Buffer.from([0xc0 | (tseq & 0x3f)]), app]); // transport: FIR FIN, sequence
  const head = Buffer.from([0x05, 0x64, 5 + user.length, fromMaster ? 0xc4 : 0x44, dst & 0xff, dst >> 8, src & 0xff, src >> 8]);
  const parts = [head, crcBytes(head)];
  for (let i = 0; i < user.length; i += 16) {
    const block = user.subarray(i, i + 16);
    parts.push(block, crcBytes(block));
  }
  return Buffer.concat(parts);
}
const crcBytes = (b) => {
  const c = crcDnp(b);
  return Buffer.from([c & 0xff, c >> 8]);
};

/** The application fragment of a link frame (CRCs removed); null when the frame is not complete. */
export function dnp3App(frame) {
  const len = frame[2];
  const userLen = len - 5;
  const out = [];
  let o = 10;
  for (let left = userLen; left > 0; ) {
    const n = Math.min(16, left);
    out.push(frame.subarray(o, o + n));
    o += n + 2;
    left -= n;
  }
  return { dst: frame[4] | (frame[5] << 8), src: frame[6] | (frame[7] << 8), app: Buffer.concat(out).subarray(1) };
}
export function dnp3FrameLength(len) {
  const user = len - 5;
  return 10 + user + 2 * Math.ceil(user / 16);
}

const ac = (seq) => (0xc0 | (seq & 0x0f)).toString(16); // application control: FIR FIN, sequence

export const dnp3ReadClass123 = (seq) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  01                  # function read
  3c 02 06            # group 60 var 2: class 1 events, all
  3c 03 06            # group 60 var 3: class 2 events, all
  3c 04 06            # group 60 var 4: class 3 events, all
`;
export const dnp3ReadClass0 = (seq) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  01                  # function read
  3c 01 06            # group 60 var 1: class 0 (static data), all
`;
/** Control relay output block on index `index`: latch on (03) or latch off (04), once, 1000 ms. */
export const dnp3Crob = (seq, func, index, code) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  ${func.toString(16).padStart(2, '0')}   # function 03 select / 04 operate
  0c 01               # group 12 var 1: CROB
  17 01               # qualifier 0x17: 1-octet count and index prefix; count 1
  ${index.toString(16).padStart(2, '0')}  # point index
  ${code.toString(16).padStart(2, '0')}   # control code: 03 latch on, 04 latch off
  01                  # count 1
  e8 03 00 00         # on time 1000 ms
  00 00 00 00         # off time 0
  00                  # status (request)
`;
export const dnp3ColdRestart = (seq) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  0d                  # function 13 cold restart
`;

const iin = (restart) => (restart ? '80 00   # IIN1 device restart, IIN2 0' : '00 00   # IIN1 0, IIN2 0');

export const dnp3NullResponse = (seq, restart) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  81                  # function response
  ${iin(restart)}
`;
/** Class 0 answer: 4 binary inputs (g1v2) and 4 analog inputs (g30v2, 16-bit with flags). */
export function dnp3StaticResponse(seq, restart, binaries, analogs) {
  return hex`
    ${ac(seq)}        # application control: FIR FIN, sequence
    81                # function response
    ${iin(restart)}
    01 02             # group 1 var 2: binary input with flags
    00 00 03          # qualifier 0x00: 1-octet start/stop, indexes 0..3
    ${binaries.map((b) => (b ? '81' : '01')).join(' ')}   # online + state per point
    1e 02             # group 30 var 2: 16-bit analog input with flags
    00 00 03          # qualifier 0x00, indexes 0..3
    ${analogs.map((v) => `01 ${(v & 0xff).toString(16).padStart(2, '0')} ${((v >> 8) & 0xff).toString(16).padStart(2, '0')}`).join(' ')}   # flags online, value little-endian
  `;
}
/** A select/operate answer echoes the request objects with a status (0 success). */
export function dnp3EchoResponse(seq, restart, requestObjects) {
  return Buffer.concat([hex`${ac(seq)} 81   # application control, function response`, hex`${iin(restart)}`, requestObjects]);
}
export const dnp3ColdRestartResponse = (seq) => hex`
  ${ac(seq)}          # application control: FIR FIN, sequence
  81                  # function response
  00 00               # IIN1 0, IIN2 0
  34 02               # group 52 var 2: time delay fine
  07 01               # qualifier 0x07: 1-octet count, count 1
  d0 07               # 2000 ms until the outstation is back
`;

// ---- DHCP (RFC 2131) INFORM: a host with a static address announcing its name and asking for options ----

export function dhcpInform(xid, ip, mac, hostName, vendorClass) {
  const ipHex = ip.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join(' ');
  const macHex = mac.replace(/:/g, ' ');
  return Buffer.concat([
    hex`
      01 01 06 00         # op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
      ${xid.toString(16).padStart(8, '0')}   # transaction id
      00 00 00 00         # secs, flags (unicast reply)
      ${ipHex}            # ciaddr: the host's static address
      00 00 00 00  00 00 00 00  00 00 00 00   # yiaddr, siaddr, giaddr
      ${macHex} 00 00 00 00 00 00 00 00 00 00   # chaddr, padded to 16
    `,
    Buffer.alloc(192), // sname and file: empty
    hex`
      63 82 53 63         # magic cookie
      35 01 08            # option 53 message type: INFORM
      0c ${hostName.length.toString(16).padStart(2, '0')} ${ascii(hostName)}   # option 12 host name
      3c ${vendorClass.length.toString(16).padStart(2, '0')} ${ascii(vendorClass)}   # option 60 vendor class
      37 04 01 03 06 0f   # option 55 parameter list: mask, router, DNS, domain
      ff                  # end
    `,
  ]);
}
