// Typed DNS message as parse.ts returns it, and the records exported under `dns` (docs/protocols/dns.md).

export type DnsVariant = 'dns' | 'mdns' | 'llmnr';

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** mDNS QU bit (top bit of the class), already removed from `class`. */
  readonly unicastResponse: boolean;
}

/** One answer record as exported. */
export interface DnsAnswer {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: string;
}

/** A name bound to an address by an A, AAAA or reverse PTR record, from any section. */
export interface DnsBinding {
  readonly ip: string;
  readonly name: string;
  readonly ttl: number;
  /** 0 answer, 1 authority, 2 additional. */
  readonly section: number;
}

export interface DnsMessage {
  id: number;
  /** True for a response (QR bit). */
  response: boolean;
  opcode: number;
  /** AA bit (LLMNR: the C, conflict, bit). */
  authoritative: boolean;
  truncated: boolean;
  /** RD bit (LLMNR: the T, tentative, bit). */
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: number;
  questionCount: number;
  answerCount: number;
  authorityCount: number;
  additionalCount: number;
  /** The first question, or null. */
  question: DnsQuestion | null;
  /** Answer section, at most MAX_ANSWERS. */
  answers: DnsAnswer[];
  /** The answer section has a CNAME record. */
  hasCname: boolean;
  bindings: DnsBinding[];
  /** Anomaly codes the message raised. */
  anomalies: string[];
}
