/**
 * A small strict JSON (RFC 8259) parser that remembers where every value is.
 * JSON.parse reports syntax errors without a reliable line and column on
 * Node 20 and forgets positions and duplicate keys, which a validator that
 * points at "$.hosts[1].hashes[0] (line 7, column 9)" needs.
 *
 * Hostile input: bounded nesting depth, linear time, and only JsonSyntaxError
 * ever escapes.
 */

export interface JsonPosition {
  /** 0-based offset in the text (UTF-16 code units, like JS string indexes). */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
}

export interface DuplicateKey {
  /** JSON path of the object holding the key twice. */
  path: string;
  key: string;
  position: JsonPosition;
}

export interface JsonDocument {
  value: unknown;
  /** Position of the value at each JSON path ("$", "$.hosts[0].host", ...). */
  positions: Map<string, JsonPosition>;
  duplicateKeys: DuplicateKey[];
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(readonly detail: string, readonly position: JsonPosition) {
    super(`line ${position.line}, column ${position.column}: ${detail}`);
  }
}

export const MAX_JSON_DEPTH = 64;

/** "$.a.b[0]" style path; keys that are not identifiers use ["..."]. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function positionAt(text: string, offset: number): JsonPosition {
  let line = 1, lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { offset, line, column: end - lineStart + 1 };
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'end of file';
  if (ch === '\n') return 'a line break';
  if (ch === '\t') return 'a tab';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

export function parseJsonWithPositions(text: string): JsonDocument {
  const positions = new Map<string, JsonPosition>();
  const duplicateKeys: DuplicateKey[] = [];
  let i = 0;
  // A UTF-8 BOM, as Windows editors write it, is not JSON but is harmless here.
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  // Positions are asked for in increasing order: advance a cursor instead of rescanning (linear time).
  let curOffset = 0, curLine = 1, curLineStart = 0;
  const pos = (offset: number): JsonPosition => {
    if (offset < curOffset) return positionAt(text, offset);
    const end = Math.min(offset, text.length);
    for (let k = curOffset; k < end; k++) {
      if (text.charCodeAt(k) === 10) { curLine++; curLineStart = k + 1; }
    }
    curOffset = end;
    return { offset, line: curLine, column: end - curLineStart + 1 };
  };
  const fail = (detail: string, at = i): never => { throw new JsonSyntaxError(detail, pos(at)); };

  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunkStart = i;
    while (true) {
      if (i >= text.length) fail('unterminated string (missing closing ")', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) { out += text.slice(chunkStart, i); i++; return out; }
      if (c < 0x20) fail(`${describe(text[i])} inside a string (escape it, e.g. \\n)`);
      if (c === 0x5c) {
        out += text.slice(chunkStart, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape: expected four hex digits');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default: fail(`bad escape \\${e ?? ''} in a string`);
        }
        i += 2;
        chunkStart = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (): number => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] !== undefined && text[i]! >= '1' && text[i]! <= '9') { while (text[i] !== undefined && text[i]! >= '0' && text[i]! <= '9') i++; }
    else fail('bad number: expected a digit', i);
    if (text[i] === '.') {
      i++;
      if (!(text[i] !== undefined && text[i]! >= '0' && text[i]! <= '9')) fail('bad number: expected a digit after the decimal point');
      while (text[i] !== undefined && text[i]! >= '0' && text[i]! <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i] !== undefined && text[i]! >= '0' && text[i]! <= '9')) fail('bad number: expected a digit in the exponent');
      while (text[i] !== undefined && text[i]! >= '0' && text[i]! <= '9') i++;
    }
    return Number(text.slice(start, i));
  };

  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, i)) { i += word.length; return value; }
    return fail(`unexpected ${describe(text[i])}`);
  };

  const parseValue = (path: string, depth: number): unknown => {
    ws();
    positions.set(path, pos(i));
    const ch = text[i];
    switch (ch) {
      case '{': {
        if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
        i++;
        const obj: Record<string, unknown> = Object.create(null);
        const seen = new Set<string>();
        ws();
        if (text[i] === '}') { i++; return { ...obj }; }
        for (;;) {
          ws();
          if (text[i] !== '"') fail(text[i] === '}' ? "trailing comma before '}' (remove the last comma)" : `expected a property name in double quotes, found ${describe(text[i])}`);
          const keyAt = i;
          const key = parseString();
          if (seen.has(key)) duplicateKeys.push({ path, key, position: pos(keyAt) });
          seen.add(key);
          ws();
          if (text[i] !== ':') fail(`expected ':' after property name "${key}", found ${describe(text[i])}`);
          i++;
          const v = parseValue(childPath(path, key), depth + 1);
          Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; break; }
          fail(`expected ',' or '}' after a property value, found ${describe(text[i])}`);
        }
        // A plain object (with Object.prototype) so callers can use it normally; "__proto__" stays an own property.
        const plain: Record<string, unknown> = {};
        for (const k of Object.keys(obj)) Object.defineProperty(plain, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
        return plain;
      }
      case '[': {
        if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
        i++;
        const arr: unknown[] = [];
        ws();
        if (text[i] === ']') { i++; return arr; }
        for (;;) {
          ws();
          if (text[i] === ']') fail("trailing comma before ']' (remove the last comma)");
          arr.push(parseValue(childPath(path, arr.length), depth + 1));
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; break; }
          fail(`expected ',' or ']' after an array element, found ${describe(text[i])}`);
        }
        return arr;
      }
      case '"': return parseString();
      case 't': return literal('true', true);
      case 'f': return literal('false', false);
      case 'n': return literal('null', null);
      case "'": return fail("single quotes: JSON strings need double quotes");
      case undefined: return fail('unexpected end of file: expected a value');
      default:
        if (ch === '-' || (ch >= '0' && ch <= '9')) return parseNumber();
        return fail(`unexpected ${describe(ch)}: expected a value`);
    }
  };

  const value = parseValue('$', 0);
  ws();
  if (i < text.length) fail(`unexpected ${describe(text[i])} after the end of the JSON value`);
  return { value, positions, duplicateKeys };
}
