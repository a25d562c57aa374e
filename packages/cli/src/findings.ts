/** What the CLI tells an author: where (file, JSON path), what, and how to fix it. */
export interface Finding {
  severity: 'error' | 'warning';
  file: string;
  /** JSON pointer inside the file ("/" for the whole file). */
  path: string;
  message: string;
  fix?: string;
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.path && f.path !== '/' ? ` ${f.path}` : ''}: ${f.severity}: ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`;
}
