/**
 * The two-column table a mode's job summary opens with (deploy, rollback). `title` and the cells
 * are Markdown the caller has already escaped (markdown-escape.ts).
 */
export function summaryTable(title: string, rows: ReadonlyArray<readonly [string, string]>): string {
  return [title, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''].join('\n');
}
