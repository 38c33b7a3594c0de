// An HTTP/1.x message head as parse.ts returns it, and the fields exported under `http` (docs/protocols/http.md).

export interface HttpHead {
  isRequest: boolean;
  /** Request: method as sent (`GET`); '' for responses. */
  method: string;
  /** Request target, cut to 2048 characters. */
  uri: string;
  /** Minor version of HTTP/1.x. */
  minor: number;
  /** Response status (0 for requests). */
  status: number;
  host?: string;
  userAgent?: string;
  server?: string;
  contentType?: string;
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** Anomaly codes found in the head. */
  anomalies: string[];
}

export interface HttpFields {
  method?: string;
  host?: string;
  uri?: string;
  user_agent?: string;
  status: number;
  server?: string;
  content_type?: string;
  request_body_len: number;
  response_body_len: number;
}
