// An SSH identification string as parse.ts returns it, and the fields exported under `ssh` (docs/protocols/ssh.md).

export interface SshBanner {
  /** The whole line without its line end (control characters replaced). */
  text: string;
  /** `2.0`, `1.99`...; '' when malformed. */
  protoVersion: string;
  /** Software version and comments: everything after the second `-`. */
  software: string;
}

export interface SshFields {
  client_banner?: string;
  server_banner?: string;
}
