// The API's errors: every failure answers `{"error": {"code", "message"}}` with a stable code from this one table, so
// clients and tests match codes, never message text.

export const ERROR_CODES = {
  'request.invalid': { status: 400, meaning: 'the request does not match its schema (body, query or parameters)' },
  'request.too_large': { status: 413, meaning: 'the request body is over the limit' },
  'auth.required': { status: 401, meaning: 'no valid session cookie or API token' },
  'auth.invalid_credentials': { status: 401, meaning: 'unknown user or wrong password' },
  'auth.forbidden': { status: 403, meaning: 'the role of the caller does not allow this' },
  'auth.csrf': { status: 403, meaning: 'a state-changing request with a session cookie lacks the CSRF header' },
  'auth.rate_limited': { status: 429, meaning: 'too many login attempts from this address; retry later' },
  'not_found': { status: 404, meaning: 'no such route or resource' },
  'conflict': { status: 409, meaning: 'the resource exists already or changed meanwhile' },
  'rules.invalid': { status: 422, meaning: 'the detection rules do not validate: the message lists every error as file:line:column path: problem' },
  'internal': { status: 500, meaning: 'a bug in Lantern: the message is logged, not returned' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].meaning,
  ) {
    super(message);
    this.status = ERROR_CODES[code].status;
  }
}

/** The JSON schema of an error response (the OpenAPI document references it). */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: Object.keys(ERROR_CODES) }, message: { type: 'string' } },
    },
  },
} as const;
