// Hand-made TLS handshakes for the tests: record and handshake wrappers compute the lengths around annotated hex.
import { hex } from '../../common/hex.js';

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A handshake message: type (1), length (3), body. */
export function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type, body.length >> 16, (body.length >> 8) & 255, body.length & 255), body);
}

/** A record: content type, version 3.1 (as ClientHellos send), length, fragment. */
export function record(type: number, fragment: Uint8Array, minor = 1): Uint8Array {
  return concat(Uint8Array.of(type, 3, minor, fragment.length >> 8, fragment.length & 255), fragment);
}

const RANDOM = new Uint8Array(32).fill(0xab);

export const CLIENT_HELLO_BODY = concat(
  hex`03 03                 # legacy version TLS 1.2`,
  RANDOM,
  hex`
    00                    # session id: none
    00 06  1a 1a c0 2f 13 01   # ciphers: GREASE, ECDHE_RSA_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256
    01 00                 # compression: null
    00 43                 # extensions: 67 bytes
    00 00 00 14  00 12 00 00 0f 68 6d 69 2e 70 6c 61 6e 74 2e 6c 6f 63 61 6c   # server_name "hmi.plant.local"
    00 0a 00 06  00 04 00 1d 00 17      # supported_groups x25519, secp256r1
    00 0b 00 02  01 00                  # ec_point_formats: uncompressed
    00 10 00 0e  00 0c 02 68 32 08 68 74 74 70 2f 31 2e 31   # ALPN "h2", "http/1.1"
    00 2b 00 05  04 03 04 03 03         # supported_versions TLS 1.3, TLS 1.2
  `,
);

export const SERVER_HELLO_12_BODY = concat(
  hex`03 03`,
  RANDOM,
  hex`
    00                    # session id: none
    c0 2f                 # cipher ECDHE_RSA_AES_128_GCM_SHA256
    00                    # compression null
    00 09                 # extensions: 9 bytes
    00 10 00 05  00 03 02 68 32   # ALPN "h2"
  `,
);

export const SERVER_HELLO_13_BODY = concat(
  hex`03 03`,
  RANDOM,
  hex`
    00  13 01  00         # session id none, TLS_AES_128_GCM_SHA256, null compression
    00 06  00 2b 00 02 03 04   # supported_versions: TLS 1.3
  `,
);

/** A certificate cut after its subject (the parser reads no further). Subject C=DE, O="ACME, Inc", CN=plc1.example. */
export const CERTIFICATE_DER = hex`
  30 81 85                      # Certificate SEQUENCE (133)
  30 81 82                      # tbsCertificate SEQUENCE (130)
  a0 03 02 01 02                # version v3
  02 01 01                      # serial 1
  30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00   # sha256WithRSAEncryption
  30 0f 31 0d 30 0b 06 03 55 04 03 0c 04 52 6f 6f 74   # issuer CN=Root
  30 1e 17 0d 32 36 30 31 30 31 30 30 30 30 30 30 5a 17 0d 32 37 30 31 30 31 30 30 30 30 30 30 5a  # validity
  30 38                         # subject (56)
  31 0b 30 09 06 03 55 04 06 13 02 44 45                  # C=DE (PrintableString)
  31 12 30 10 06 03 55 04 0a 0c 09 41 43 4d 45 2c 20 49 6e 63   # O="ACME, Inc" (UTF8String)
  31 15 30 13 06 03 55 04 03 0c 0c 70 6c 63 31 2e 65 78 61 6d 70 6c 65   # CN=plc1.example
`;

export const CERTIFICATE_BODY = concat(
  Uint8Array.of(0, 0, CERTIFICATE_DER.length + 3), // certificate_list length
  Uint8Array.of(0, 0, CERTIFICATE_DER.length), // first certificate length
  CERTIFICATE_DER,
);

export const CLIENT_HELLO = record(22, handshake(1, CLIENT_HELLO_BODY));
/** ServerHello, Certificate and ServerHelloDone in one record (TLS 1.2). */
export const SERVER_FLIGHT_12 = record(22, concat(handshake(2, SERVER_HELLO_12_BODY), handshake(11, CERTIFICATE_BODY), handshake(14, new Uint8Array(0))), 3);
export const SERVER_FLIGHT_13 = concat(
  record(22, handshake(2, SERVER_HELLO_13_BODY), 3),
  hex`14 03 03 00 01 01           # ChangeCipherSpec`,
  hex`17 03 03 00 04 de ad be ef  # encrypted`,
);
