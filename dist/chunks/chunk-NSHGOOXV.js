import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/errors.ts
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
function describeError(e) {
  if (e instanceof DockrionError) return e.hint ? `${e.message}
  hint: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export {
  DockrionError,
  UsageError,
  SecretsError,
  ImageError,
  RenderError,
  GitOpsError,
  describeError
};
