/**
 * `dockrion validate` as a fresh process, in CPU time (user + system, the process and its
 * threads), side by side in one run with
 *   - `node -e 0` (the floor: starting node itself),
 *   - check-jsonschema with the published schema on the same file (a schema-only checker, PyPI),
 * alternating the three commands each round so that load on a shared machine hits all alike.
 * CPU time comes from wait4(2) (Python's os.wait4), per run, in microseconds.
 *
 *   node --import tsx bench/cold-start.bench.ts [--runs N]
 *
 * The bundle is built from the working tree into a temp dir (scripts/build.mjs --outdir), so the
 * numbers are for these sources, with the precompiled schema validators, not a stale dist/.
 * Targets (issue #16): validate ≤ 2.5× `node -e 0`; check-jsonschema ≥ 2× validate.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, numberFlag } from './support.ts';

const root = join(import.meta.dirname, '..');
const runs = numberFlag('--runs', 15);
const file = 'examples/langgraph-tools/Dockfile.yaml';
const checkJsonschema = join(root, '.venv/bin/check-jsonschema');
const python = process.env.DOCKRION_PYTHON || join(root, '.venv/bin/python');

/** Runs every command `rounds` times, alternating, and returns the CPU seconds of each run. */
const timer = `
import json, os, subprocess, sys
commands, rounds = json.loads(sys.argv[1]), int(sys.argv[2])
cpu = [[] for _ in commands]
for _ in range(rounds):
    for i, argv in enumerate(commands):
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=sys.argv[3])
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            sys.exit(f"{argv} exited {p.returncode}")
        cpu[i].append(usage.ru_utime + usage.ru_stime)
print(json.dumps(cpu))
`;

function main(): void {
  if (!existsSync(checkJsonschema))
    throw new Error(`${checkJsonschema} is missing: run bash scripts/setup-python.sh`);
  const work = mkdtempSync(join(tmpdir(), 'dockrion-bench-cold-'));
  try {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', `--outdir=${join(work, 'dist')}`], {
      cwd: root,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    const node = process.execPath;
    const commands = [
      [node, '-e', '0'],
      [node, join(work, 'dist', 'cli.js'), 'validate', file],
      [checkJsonschema, '--schemafile', 'schemas/dockfile.v1.schema.json', file],
    ];
    const timed = spawnSync(python, ['-c', timer, JSON.stringify(commands), String(runs), root], {
      encoding: 'utf8',
    });
    if (timed.status !== 0) throw new Error(`timing failed: ${timed.stderr}`);
    const [nodeOnly, validate, schemaOnly] = (JSON.parse(timed.stdout) as number[][]).map(
      (s) => median(s) * 1000,
    );
    const ms = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(0)} ms`;
    process.stderr.write(
      `CPU, median of ${runs} (${process.version}): node -e 0 ${ms(nodeOnly)}, dockrion validate ${ms(validate)}, check-jsonschema ${ms(schemaOnly)}\n`,
    );
    // `name: ratio` lines on stdout are what bench/run.ts collects.
    console.log(`validate_cpu.vs_node_e0: ${((validate ?? 0) / (nodeOnly ?? 1)).toFixed(2)}`);
    console.log(`check_jsonschema_cpu.vs_validate: ${((schemaOnly ?? 0) / (validate ?? 1)).toFixed(2)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
