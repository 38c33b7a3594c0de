// Threat-intel routes: the sources matched and their reports (viewer), import of a STIX 2.1 bundle or plain list sent
// as the request body and removal (analyst, audited), and the patterns of a source that cannot be evaluated. A change
// takes effect in every running pipeline at once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { ERROR_RESPONSES, type AuditFn } from './routes-data.js';
import { MAX_BAD_LINE_SAMPLES, MAX_INTEL_SOURCE_BYTES, MAX_INTEL_SOURCES, MAX_UNSUPPORTED_LISTED, NOT_EVALUABLE_REASONS, type IntelLibrary } from './intel.js';

const errors = { ...ERROR_RESPONSES, 409: { $ref: 'Error#' }, 413: { $ref: 'Error#' } };
const count = { type: 'integer', minimum: 0 } as const;
const REASON_CODES = Object.keys(NOT_EVALUABLE_REASONS);

const SOURCE = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'origin', 'format', 'added', 'added_by', 'bytes', 'counts', 'not_evaluable_by_reason', 'bad_line_samples', 'problem'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    origin: { type: 'string', enum: ['api', 'command line'], description: "'command line': an --intel file, read-only" },
    format: { type: ['string', 'null'], enum: ['stix', 'list', null] },
    added: { type: 'number', description: 'seconds; for a command-line file, when the server started' },
    added_by: { type: ['string', 'null'] },
    bytes: count,
    counts: {
      type: 'object',
      additionalProperties: false,
      required: ['loaded', 'not_evaluable', 'expired', 'revoked', 'bad_lines', 'skipped_lines', 'duplicates', 'dropped'],
      properties: {
        loaded: { ...count, description: 'indicators read (evaluable, not expired or revoked)' },
        not_evaluable: { ...count, description: 'patterns the matcher cannot evaluate (by reason in not_evaluable_by_reason)' },
        expired: count,
        revoked: count,
        bad_lines: { ...count, description: 'plain-list lines that are not an indicator' },
        skipped_lines: { ...count, description: 'plain-list lines past the reader’s line cap, not read' },
        duplicates: { ...count, description: 'loaded indicators an earlier source holds already (same id): matched once' },
        dropped: { ...count, description: 'loaded indicators left out: the combined set is at its cap' },
      },
    },
    not_evaluable_by_reason: { type: 'object', additionalProperties: count, propertyNames: { enum: REASON_CODES } },
    bad_line_samples: {
      type: 'array',
      maxItems: MAX_BAD_LINE_SAMPLES,
      items: { type: 'object', additionalProperties: false, required: ['line', 'text', 'reason'], properties: { line: count, text: { type: 'string' }, reason: { type: 'string' } } },
    },
    problem: { type: ['string', 'null'], description: 'why a stored source contributes nothing now' },
  },
} as const;

const KINDS = ['indicators', 'ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url', 'hash'] as const;

const LIST = {
  type: 'object',
  additionalProperties: false,
  required: ['indicators', 'dropped', 'max_indicators', 'kinds', 'max_source_bytes', 'max_sources', 'reasons', 'sources'],
  properties: {
    indicators: { ...count, description: 'indicators matched now, all sources together' },
    dropped: { ...count, description: 'indicators over the cap, not matched' },
    max_indicators: count,
    kinds: { type: 'object', additionalProperties: false, required: [...KINDS], properties: Object.fromEntries(KINDS.map((k) => [k, count])), description: 'values matched, by kind' },
    max_source_bytes: count,
    max_sources: count,
    reasons: { type: 'object', additionalProperties: { type: 'string' }, description: 'what each not-evaluable reason code means' },
    sources: { type: 'array', items: SOURCE },
  },
} as const;

const NOT_EVALUABLE = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'total', 'items', 'truncated'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    total: count,
    truncated: { type: 'boolean', description: `only the first ${MAX_UNSUPPORTED_LISTED} are listed` },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'pattern', 'code', 'reason'],
        properties: { id: { type: 'string', description: 'STIX id' }, name: { type: ['string', 'null'] }, pattern: { type: 'string' }, code: { type: 'string', enum: REASON_CODES }, reason: { type: 'string' } },
      },
    },
  },
} as const;

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } } } as const;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function registerIntelRoutes(app: FastifyInstance, intel: IntelLibrary, audit: AuditFn): void {
  app.get(
    '/api/intel',
    { config: { role: 'viewer' }, schema: { summary: 'Threat-intel sources (--intel files and imported ones) with what each loaded and did not, and the set matched', response: { 200: LIST, ...errors } } },
    async () => ({ ...intel.summary(), max_source_bytes: MAX_INTEL_SOURCE_BYTES, max_sources: MAX_INTEL_SOURCES, reasons: NOT_EVALUABLE_REASONS, sources: intel.list() }),
  );

  app.get(
    '/api/intel/:id/unsupported',
    { config: { role: 'viewer' }, schema: { summary: `The patterns of a source the matcher cannot evaluate, with reason codes (the first ${MAX_UNSUPPORTED_LISTED})`, params: ID_PARAMS, response: { 200: NOT_EVALUABLE, ...errors } } },
    async (req) => {
      const list = intel.unsupported((req.params as { id: string }).id);
      if (list === null) throw new ApiError('not_found', 'no such intel source');
      return list;
    },
  );

  app.delete(
    '/api/intel/:id',
    { config: { role: 'analyst' }, schema: { summary: 'Remove an imported source (analyst): its indicators stop matching at once; --intel files cannot be removed (409)', params: ID_PARAMS, response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const source = intel.get(id);
      if (source === null || !intel.remove(id)) throw new ApiError('not_found', 'no such intel source');
      audit(req, 'intel.remove', source.name, { id, format: source.format, loaded: source.counts.loaded });
      return reply.code(204).send();
    },
  );

  app.register(async (scope) => {
    // The file is the body, whatever its content type (text/plain, application/json, application/octet-stream...).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => readText(req, payload, MAX_INTEL_SOURCE_BYTES, done));
    scope.post(
      '/api/intel',
      {
        config: { role: 'analyst' },
        schema: {
          summary: `Import a threat-intel source (analyst): a STIX 2.1 bundle or a plain list as the request body (UTF-8, at most ${MAX_INTEL_SOURCE_BYTES / (1024 * 1024)} MiB); matched at once`,
          consumes: ['text/plain', 'application/json', 'application/stix+json', 'application/octet-stream'],
          querystring: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200, description: 'the source’s name: alerts name it' } } },
          body: { type: 'string', minLength: 1 },
          response: { 201: SOURCE, ...errors },
        },
      },
      async (req, reply) => {
        const name = (req.query as { name: string }).name;
        const source = intel.add(name, req.body as string, req.caller?.user.name ?? null);
        const c = source.counts;
        audit(req, 'intel.add', source.name, { id: source.id, format: source.format, bytes: source.bytes, loaded: c.loaded, not_evaluable: c.not_evaluable, expired: c.expired, revoked: c.revoked, bad_lines: c.bad_lines, dropped: c.dropped });
        return reply.code(201).send(source);
      },
    );
  });
}

/** Collects the body up to `limit` bytes and decodes it as UTF-8; a larger or non-text body is refused with a clear error. */
function readText(req: FastifyRequest, payload: NodeJS.ReadableStream, limit: number, done: (err: Error | null, body?: unknown) => void): void {
  const tooLarge = () => new ApiError('request.too_large', `an intel source may hold at most ${limit / (1024 * 1024)} MiB`);
  if (Number(req.headers['content-length']) > limit) return done(tooLarge());
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += b.length;
    if (received > limit) {
      stop();
      // The rest of the body is read and thrown away, so the answer reaches the client.
      payload.resume();
      return done(tooLarge());
    }
    chunks.push(b);
  };
  const onEnd = (err?: Error) => {
    stop();
    if (err !== undefined) return done(new ApiError('request.invalid', `the upload broke off: ${err.message}`));
    try {
      done(null, UTF8.decode(Buffer.concat(chunks, received)));
    } catch {
      done(new ApiError('request.invalid', 'an intel source is UTF-8 text (a STIX 2.1 JSON bundle or a plain list): this body is not'));
    }
  };
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
