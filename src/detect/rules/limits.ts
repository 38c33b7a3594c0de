// The caps of user rule files and of their state while running (docs/rules.md, "Limits"). A file over a parse cap is
// refused with an error naming it; a running cap hit is counted (src/detect/rules/anomalies.ts).

/** Bytes of one rule file: a site's rules are a few kB; a megabyte is a generated file gone wrong, or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** YAML nesting: the format needs about eight levels; the yaml composer recurses per level. */
export const MAX_NESTING = 32;
/** YAML tokens (keys, values, indicators, spaces): a rule in flow style is about 60, in block style about 100. */
export const MAX_TOKENS = 300_000;
/** Alias expansions (`*name`) when the document is turned into values: stops "billion laughs" documents. */
export const MAX_ALIASES = 100;
export const MAX_RULES = 1000;
/** Values in one list (addresses, operations, roles...). */
export const MAX_LIST = 1000;
export const MAX_TARGET_FIELDS = 16;
export const MAX_BY = 8;
export const MAX_TECHNIQUES = 20;
export const MAX_PLAYBOOK_LINES = 20;
export const MAX_TEXT = 2000;
export const MAX_TITLE = 200;
export const MAX_VALUE = 200;
/** Problems reported per file; the rest are counted in a last error. */
export const MAX_ERRORS = 100;

/** A threshold's count: beyond this, a window of that many matches is a rate for a baseline, not a rule. */
export const MAX_THRESHOLD_COUNT = 10_000;
/** A threshold's window (seconds): one day. */
export const MAX_WINDOW_SEC = 86_400;
/** Threshold groups (distinct `by` values) one rule tracks at once per pipeline. */
export const MAX_GROUPS_PER_RULE = 10_000;
/** Threshold groups of all rules at once per pipeline: bounds the once-a-second expiry walk. */
export const MAX_GROUPS = 100_000;
/** Match times held by all threshold windows at once per pipeline (8 bytes each: 8 MiB). */
export const MAX_WINDOW_SLOTS = 1 << 20;
