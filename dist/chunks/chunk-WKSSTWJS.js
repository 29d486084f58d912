import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/report/summary-table.ts
function summaryTable(title, rows) {
  return [title, "", "| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n");
}

export {
  summaryTable
};
