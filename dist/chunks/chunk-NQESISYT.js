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

// action/adapters/exec.ts
import { spawn } from "node:child_process";
var ExecError = class extends DockrionError {
  constructor(command, args, result) {
    const tail = result.stderr.trim().split("\n").slice(-5).join("\n");
    super(`${command} ${args[0] ?? ""} exited with ${result.code}${tail ? `: ${tail}` : ""}`, {
      code: "exec"
    });
    this.command = command;
    this.args = args;
    this.result = result;
  }
  command;
  args;
  result;
};
function nodeExec() {
  return {
    run(command, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          cwd: options.cwd,
          env: options.env ?? process.env,
          stdio: ["pipe", "pipe", "pipe"],
          detached: options.processGroup === true
        });
        const out = [];
        const err = [];
        let timer;
        let timedOut = false;
        if (options.timeoutMs) {
          timer = setTimeout(() => {
            timedOut = true;
            try {
              if (options.processGroup && child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
              else child.kill("SIGKILL");
            } catch {
              child.kill("SIGKILL");
            }
          }, options.timeoutMs);
        }
        child.on("exit", () => {
          if (timedOut) {
            child.stdout.destroy();
            child.stderr.destroy();
          }
        });
        child.stdout.on("data", (b) => {
          out.push(b);
          options.stream?.(b.toString("utf8"));
        });
        child.stderr.on("data", (b) => {
          err.push(b);
          options.stream?.(b.toString("utf8"));
        });
        child.on("error", (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        });
        child.on("close", (code, signal) => {
          if (timer) clearTimeout(timer);
          const result = {
            code: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8")
          };
          if (result.code !== 0 && !options.allowFailure) reject(new ExecError(command, args, result));
          else resolve(result);
        });
        if (options.input !== void 0) child.stdin.end(options.input);
        else child.stdin.end();
      });
    }
  };
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
  describeError,
  ExecError,
  nodeExec
};
