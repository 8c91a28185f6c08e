/**
 * What an alert expression compares, as queries that return series on a healthy system: the
 * expression split at its top-level set operators (`and`, `or`, `unless`), and each top-level
 * comparison made a `bool` one, which keeps every series it compares (with 0 or 1) instead of
 * only those that would fire. A recording rule's expression is its own input.
 */
export function ruleInputs(expr: string): string[] {
  return splitTopLevel(expr.trim()).map(boolComparisons);
}

type Visit = (index: number, depth: number) => number | undefined;

/** Calls `visit` for each character outside quotes, with its nesting depth; visit may skip ahead. */
function scan(text: string, visit: Visit): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      quote = char;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else {
      const next = visit(i, depth);
      if (next !== undefined) i = next - 1;
    }
  }
}

const SET_OPERATOR = /^\s(and|or|unless)\s+(?:(?:on|ignoring)\s*\([^)]*\)\s*)?/;

function splitTopLevel(expr: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scan(expr, (i, depth) => {
    if (depth !== 0) return undefined;
    const match = SET_OPERATOR.exec(expr.slice(i));
    if (!match) return undefined;
    parts.push(expr.slice(start, i).trim());
    start = i + match[0].length;
    return start;
  });
  parts.push(expr.slice(start).trim());
  return parts;
}

const COMPARISON = /^(==|!=|>=|<=|>(?!=)|<(?!=))(?!\s*bool\b)/;

function boolComparisons(expr: string): string {
  let out = '';
  let copied = 0;
  scan(expr, (i, depth) => {
    if (depth !== 0) return undefined;
    const match = COMPARISON.exec(expr.slice(i));
    if (!match) return undefined;
    const end = i + match[0].length;
    out += `${expr.slice(copied, end)} bool`;
    copied = end;
    return end;
  });
  return out + expr.slice(copied);
}
