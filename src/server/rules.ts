// The user rules `lantern serve` runs: the `--rules` files (re-read when they change) and the rules edited through the
// API (kept in the store), compiled together into one RuleSet every pipeline reads. A reload that does not validate
// changes nothing: the errors are kept for the API and printed, the running rules stay.
import { statSync, unwatchFile, watchFile } from 'node:fs';
import { RuleSet, type RuleInfo } from '../detect/rules/index.js';
import type { RuleError } from '../detect/rules/parse.js';
import { compileRuleSources, formatRuleErrors, type RuleSource } from '../detect/rules/load.js';
import type { Store } from '../store/store.js';

/** The store setting holding the rules edited through the API (YAML text). */
export const RULES_SETTING = 'rules.text';
/** The name the API's rules carry in errors and alerts. */
export const CONSOLE_SOURCE = 'console';
/** How often the `--rules` files are checked for changes (ms). */
const WATCH_INTERVAL_MS = 2000;

export interface RulesState {
  rules: RuleInfo[];
  /** The API's rules as last saved. */
  text: string;
  files: { path: string; mtime: number | null }[];
  /** When the running rules were installed (wall-clock seconds). */
  loaded_at: number;
  /** The errors of the last reload that failed after it (a file edited badly); empty when the last one succeeded. */
  errors: RuleError[];
}

export class RuleLibrary {
  readonly set = new RuleSet();
  private loadedAt = 0;
  private lastErrors: RuleError[] = [];
  private watching = false;

  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'putSetting'>,
    private readonly files: readonly string[] = [],
    private readonly say: (line: string) => void = () => undefined,
  ) {}

  get text(): string {
    const v = this.store.getSetting(RULES_SETTING);
    return typeof v === 'string' ? v : '';
  }

  /** Compiles the files and the stored text; installs them when they validate. */
  reload(text = this.text): RuleError[] {
    const sources: RuleSource[] = [...this.files.map((name) => ({ name })), ...(text.trim() === '' ? [] : [{ name: CONSOLE_SOURCE, text }])];
    const r = compileRuleSources(sources);
    this.lastErrors = r.errors;
    if (r.errors.length > 0) return r.errors;
    this.set.replace(r.rules);
    this.loadedAt = Date.now() / 1000;
    return [];
  }

  /** Validates `text` with the files and, when it passes, saves and installs it; the errors otherwise (nothing changes). */
  save(text: string): RuleError[] {
    const errors = this.reload(text);
    if (errors.length === 0) this.store.putSetting(RULES_SETTING, text);
    else this.lastErrors = [];
    return errors;
  }

  state(): RulesState {
    return {
      rules: [...this.set.list()],
      text: this.text,
      files: this.files.map((path) => ({ path, mtime: mtimeOf(path) })),
      loaded_at: this.loadedAt,
      errors: this.lastErrors,
    };
  }

  /** Re-reads the files when they change (polling: works on every file system and through editors' rename-saves). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    for (const f of this.files) {
      watchFile(f, { interval: WATCH_INTERVAL_MS, persistent: false }, () => {
        const errors = this.reload();
        if (errors.length === 0) this.say(`rules: reloaded ${f}: ${this.set.size} rules`);
        else this.say(`rules: ${f} changed but does not validate; the running rules stay:\n${formatRuleErrors(errors)}`);
      });
    }
  }

  stop(): void {
    for (const f of this.files) unwatchFile(f);
    this.watching = false;
  }
}

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs / 1000;
  } catch {
    return null;
  }
}
