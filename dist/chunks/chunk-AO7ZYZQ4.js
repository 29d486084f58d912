import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/report/json.ts
function toJson(d) {
  return {
    code: d.code,
    name: d.name,
    path: d.path,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    hint: d.hint
  };
}
function toJsonReport(result) {
  return {
    valid: result.valid,
    file: result.file,
    errors: result.errors.map(toJson),
    warnings: result.warnings.map(toJson)
  };
}
function formatJson(result) {
  return `${JSON.stringify(toJsonReport(result), null, 2)}
`;
}

export {
  toJsonReport,
  formatJson
};
