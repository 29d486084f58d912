import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// shared/errors.ts
var DockrionError = class extends Error {
  code;
  hint;
  exitCode;
  constructor(message, options) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint ?? null;
    this.exitCode = options.exitCode ?? 1;
  }
};
var UsageError = class extends DockrionError {
  constructor(message, hint) {
    super(message, { code: "usage", hint, exitCode: 2 });
  }
};
var DockfileInvalidError = class extends DockrionError {
  diagnostics;
  constructor(file, diagnostics) {
    const lines = diagnostics.slice(0, 20).map(
      (d) => `  ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`
    );
    super(`${file} is invalid (${diagnostics.length} error(s)):
${lines.join("\n")}`, { code: "dockfile" });
    this.diagnostics = diagnostics;
  }
};
var SecretsError = class extends DockrionError {
  constructor(message, hint, cause) {
    super(message, { code: "secrets", hint, cause });
  }
};
var ImageError = class extends DockrionError {
  constructor(message, hint, cause) {
    super(message, { code: "image", hint, cause });
  }
};
var RenderError = class extends DockrionError {
  constructor(message, hint, cause) {
    super(message, { code: "render", hint, cause });
  }
};
var GitOpsError = class extends DockrionError {
  constructor(message, hint, cause) {
    super(message, { code: "gitops", hint, cause });
  }
};
var DeployConfigError = class extends RenderError {
  code = "4012";
  numericCode = 4012;
  /** JSON path in the Dockfile, e.g. `deploy.environments.prod.resources.requests.cpu`. */
  path;
  constructor(path, message, hint) {
    super(`${path}: ${message}`, hint);
    this.path = path;
  }
};
function describeError(e) {
  if (e instanceof DockrionError) return e.hint ? `${e.message}
  hint: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export {
  DockrionError,
  UsageError,
  DockfileInvalidError,
  SecretsError,
  ImageError,
  RenderError,
  GitOpsError,
  DeployConfigError,
  describeError
};
