// User-rule routes: the running rules with their source, and the rules edited in the console, validated with every
// error (file:line:column path: problem) and installed in every running pipeline without a restart (docs/rules.md).
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { ERROR_RESPONSES, RECORD_SCHEMA, type AuditFn } from './routes-data.js';
import type { RuleLibrary } from './rules.js';
import { formatRuleErrors } from '../detect/rules/load.js';
import { MAX_FILE_BYTES } from '../detect/rules/limits.js';

const errors = { ...ERROR_RESPONSES, 422: { $ref: 'Error#' } };

export function registerRuleRoutes(app: FastifyInstance, library: RuleLibrary, audit: AuditFn): void {
  app.get(
    '/api/rules',
    { config: { role: 'viewer' }, schema: { summary: 'The user rules running (from the --rules files and the console), the console’s text, and the errors of a failed reload', response: { 200: RECORD_SCHEMA, ...errors } } },
    async () => library.state(),
  );

  app.put(
    '/api/rules',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Replace the console’s rules (YAML, docs/rules.md): validated with the --rules files; 422 with every error and nothing changed, or installed at once (analyst)',
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', maxLength: MAX_FILE_BYTES } } },
        response: { 200: RECORD_SCHEMA, ...errors },
      },
    },
    async (req) => {
      const { text } = req.body as { text: string };
      const problems = library.save(text);
      if (problems.length > 0) throw new ApiError('rules.invalid', formatRuleErrors(problems));
      audit(req, 'rules.update', 'console', { rules: library.set.size, bytes: Buffer.byteLength(text) });
      return library.state();
    },
  );
}
