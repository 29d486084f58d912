import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  DockrionError
} from "./chunk-RK5RNRQP.js";

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
  ExecError,
  nodeExec
};
