// TLS hello messages as parse.ts returns them, and the fields exported under `tls` (docs/protocols/tls.md).

export interface ClientHello {
  legacyVersion: number;
  /** Highest non-GREASE entry of supported_versions, or legacyVersion. */
  maxVersion: number;
  sni?: string;
  alpn: string[];
  ciphers: number[];
  extensions: number[];
  groups: number[];
  pointFormats: number[];
}

export interface ServerHello {
  legacyVersion: number;
  /** supported_versions selection (TLS 1.3), or legacyVersion. */
  version: number;
  cipher: number;
  alpn?: string;
}

export interface TlsFields {
  version?: string;
  sni?: string;
  alpn: string[];
  ja3?: string;
  server_version?: string;
  cipher?: number;
  cipher_name?: string;
  server_alpn?: string;
  cert_subject?: string;
  alert?: string;
}
