import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/report/workflow-commands.ts
function escapeData(value) {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(value) {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function annotationTitle(d) {
  return `${d.code} ${d.name}${d.path ? ` at ${d.path}` : ""}`;
}
function annotationMessage(d) {
  return d.hint ? `${d.message}
hint: ${d.hint}` : d.message;
}
function formatWorkflowCommands(diagnostics) {
  return diagnostics.map((d) => {
    const command = d.severity === "error" ? "error" : "warning";
    const properties = [
      `file=${escapeProperty(d.file)}`,
      `line=${d.line}`,
      `col=${d.column}`,
      `title=${escapeProperty(annotationTitle(d))}`
    ].join(",");
    return `::${command} ${properties}::${escapeData(annotationMessage(d))}
`;
  }).join("");
}

export {
  annotationTitle,
  annotationMessage,
  formatWorkflowCommands
};
