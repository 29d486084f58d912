import type { Exec } from '../../adapters/exec.ts';
import { limits } from '../limits.ts';

/**
 * `python3` is often a shim (pyenv, asdf) that costs ~150 ms per start; the interpreter it
 * resolves to is remembered per command so later runs start the real binary directly.
 */
const resolvedInterpreters = new Map<string, string>();

const wrapper = (script: string) => `
import json, sys
__result = None
${script}
json.dump({"executable": sys.executable, "result": __result}, sys.stdout)
`;

/**
 * Runs `script` (which reads JSON from stdin and assigns `__result`) in isolated mode. Returns
 * null when python cannot be started, fails or times out.
 */
export async function runPythonJson(
  python: string,
  script: string,
  input: unknown,
  exec: Exec,
): Promise<unknown> {
  const interpreter = resolvedInterpreters.get(python) ?? python;
  try {
    const result = await exec.run(interpreter, ['-I', '-c', wrapper(script)], {
      input: JSON.stringify(input),
      timeoutMs: limits.pythonTimeoutMs,
      allowFailure: true,
    });
    if (result.code !== 0) return null;
    const parsed = JSON.parse(result.stdout) as { executable?: unknown; result?: unknown };
    if (typeof parsed.executable === 'string' && parsed.executable !== '') {
      resolvedInterpreters.set(python, parsed.executable);
    }
    return parsed.result ?? null;
  } catch {
    return null;
  }
}
