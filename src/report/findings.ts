/**
 * Terminal rendering of findings and the grade: each problem with its cause
 * (detail) and its fix (resolution) next to it. Colour only when asked
 * (callers pass `color: stream.isTTY && !NO_COLOR`).
 */
import type { Finding, Grade, Severity } from '../scan/types.js';

export interface RenderOptions {
  color: boolean;
  /** Wrap width for the text (default 100). */
  width?: number;
}

const SGR: Record<Severity | 'bold' | 'dim' | 'green', string> = {
  critical: '\x1b[1;97;41m', high: '\x1b[1;31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m',
  bold: '\x1b[1m', dim: '\x1b[2m', green: '\x1b[32m',
};
const RESET = '\x1b[0m';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' };

export function gradeColor(grade: string): Severity | 'green' {
  if (grade.startsWith('A')) return 'green';
  if (grade === 'B') return 'medium';
  if (grade === 'C' || grade === 'D' || grade === 'E') return 'high';
  return 'critical';
}

/** Word-wraps `text` to `width`, indenting continuation lines by `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && (indent.length + line.length + 1 + word.length) > width) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

export function renderFindings(findings: Finding[], grade: Grade | null | undefined, o: RenderOptions): string {
  const width = o.width ?? 100;
  const c = (k: keyof typeof SGR, s: string) => (o.color ? `${SGR[k]}${s}${RESET}` : s);
  const lines: string[] = [];
  if (grade) {
    const extra = (grade.grade !== grade.gradeIgnoringTrust ? ` (${grade.gradeIgnoringTrust} if the certificate problems were fixed)` : '')
      + (grade.partial ? ' (partial scan: may be too good)' : '');
    lines.push(`${c('bold', 'Grade')} ${c(gradeColor(grade.grade), ` ${grade.grade} `)}${extra}   score ${grade.score} (protocol ${grade.scores.protocol}, key exchange ${grade.scores.keyExchange}, cipher ${grade.scores.cipher})`);
    for (const cap of grade.caps) lines.push(`  ${c('dim', 'capped at')} ${cap.grade}: ${cap.reason}`);
    lines.push('');
  }
  if (findings.length === 0) {
    lines.push(c('green', 'No problems found.'));
    return lines.join('\n') + '\n';
  }
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  lines.push(`${c('bold', `${findings.length} finding${findings.length === 1 ? '' : 's'}`)}: ${(['critical', 'high', 'medium', 'low', 'info'] as Severity[]).filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`).join(', ')}`);
  lines.push('');
  for (const f of findings) {
    const label = LABEL[f.severity].padEnd(8);
    lines.push(`${c(f.severity, label)} ${c('bold', f.title)}  ${c('dim', `[${f.id}]`)}`);
    lines.push(`         ${c('dim', 'cause:')} ${wrap(f.detail, width, '                ')}`);
    lines.push(`         ${c('dim', 'fix:')}   ${wrap(f.resolution, width, '                ')}`);
    lines.push('');
  }
  return lines.join('\n');
}
