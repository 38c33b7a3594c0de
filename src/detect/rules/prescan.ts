// A first pass over a rule file with the yaml package's lexer alone (iterative, linear, exact about quotes, comments
// and block scalars), before anything builds nodes: the composer recurses once per nesting level, and near the stack
// limit V8 has been seen to abort the process (out of memory compiling a regular expression) instead of throwing; and
// the composer's work grows with the number of tokens. Both are bounded here, and the pass stops at the first excess.
//
// Depth of a token: the enclosing block indentation levels, plus the block indicators (`-`, `?`, `:`) before it on its
// line, plus the open flow brackets. It never counts fewer levels than the composer would build.
import { CST, Lexer } from 'yaml';

export interface PrescanProblem {
  readonly offset: number;
  readonly kind: 'depth' | 'tokens';
}

export function prescan(text: string, maxDepth: number, maxTokens: number): PrescanProblem | null {
  const indents: number[] = [];
  let flow = 0;
  let indicators = 0;
  let lineStart = true;
  let lineIndent = 0;
  let offset = 0;
  let tokens = 0;
  let scalarNext = false;
  const content = (): void => {
    if (!lineStart) return;
    lineStart = false;
    if (flow > 0) return;
    while (indents.length > 0 && indents[indents.length - 1] >= lineIndent) indents.pop();
    indents.push(lineIndent);
  };
  const newLine = (): void => {
    lineStart = true;
    lineIndent = 0;
    indicators = 0;
  };
  for (const tok of new Lexer().lex(text)) {
    if (tok === CST.DOCUMENT || tok === CST.FLOW_END) continue;
    if (tok === CST.SCALAR) {
      scalarNext = true; // the next token is the scalar's own text, whatever it looks like
      continue;
    }
    const start = offset;
    offset += tok.length;
    if (++tokens > maxTokens) return { offset: start, kind: 'tokens' };
    if (scalarNext) {
      scalarNext = false;
      content();
      if (tok.endsWith('\n')) newLine(); // a block scalar's text runs to its last line end
      continue;
    }
    switch (CST.tokenType(tok)) {
      case 'newline':
        newLine();
        continue;
      case 'space':
        if (lineStart) lineIndent = tok.length;
        continue;
      case 'comment':
      case 'byte-order-mark':
        continue;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        content();
        if (flow === 0) indicators++;
        break;
      case 'flow-seq-start':
      case 'flow-map-start':
        content();
        flow++;
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        content();
        if (flow > 0) flow--;
        continue;
      default:
        content();
        continue;
    }
    if (indents.length + indicators + flow > maxDepth) return { offset: start, kind: 'depth' };
  }
  return null;
}
