/**
 * Every third-party action the README, the docs, the recipes and our own GitHub workflows call is
 * pinned to its current major, the one whose action.yml declares `runs.using: node24` (hosted
 * runners removed Node 20 in September 2026; older majors run forced onto Node 24 with a
 * deprecation annotation). An action not listed here fails the test until someone checks its
 * action.yml and adds it.
 *
 * Checked (action.yml `runs.using` and the release notes) in December 2026:
 *   actions/checkout            v7 (node24 since v5.0.0; v7.0.1 current)
 *   actions/setup-node          v7 (node24 since v5; v7.0.0 current)
 *   actions/setup-python        v7 (node24 since v6.0.0; v7.0.0 current)
 *   docker/setup-buildx-action  v4 (node24 since v4.0.0; v4.1.0 current)
 *   docker/login-action         v4 (node24 since v4.0.0; v4.6.0 current)
 *   actions/setup-go            v7 (node24 since v6.0.0; v7.0.0 current, July 2026)
 *   actions/cache               v6 (node24 since v5.0.0; v6.1.0 current, June 2026)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './python.ts';

const CURRENT_MAJOR: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/setup-python': 'v7',
  'docker/setup-buildx-action': 'v4',
  'docker/login-action': 'v4',
  'actions/setup-go': 'v7',
  'actions/cache': 'v6',
};

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, ext);
    return ext.test(entry.name) ? [path] : [];
  });
}

const sources = [
  join(repoRoot, 'README.md'),
  ...files(join(repoRoot, 'docs'), /\.(md|ya?ml)$/),
  ...files(join(repoRoot, '.github'), /\.ya?ml$/),
];

/** `uses: owner/name@ref` of remote actions (not `./local`, not `docker://`, not dockrion/deploy). */
function usesOf(text: string): { action: string; ref: string }[] {
  return [...text.matchAll(/uses:\s*["']?([\w.-]+\/[\w./-]+)@([\w.-]+)/g)]
    .map((m) => ({ action: m[1] ?? '', ref: m[2] ?? '' }))
    .filter(({ action }) => action !== 'dockrion/deploy');
}

describe('third-party actions in the docs and workflows', () => {
  const found = sources.flatMap((file) =>
    usesOf(readFileSync(file, 'utf8')).map((u) => ({ file: relative(repoRoot, file), ...u })),
  );

  it('the docs and workflows call third-party actions (the scan finds them)', () => {
    expect(found.map((f) => f.action)).toContain('actions/checkout');
    expect(found.map((f) => f.action)).toContain('docker/setup-buildx-action');
  });

  it('each is pinned to its current (node24) major', () => {
    const stale = found
      .filter(({ action, ref }) => CURRENT_MAJOR[action] !== ref)
      .map(
        ({ file, action, ref }) =>
          `${file}: ${action}@${ref} (current: ${CURRENT_MAJOR[action] ?? 'unchecked'})`,
      );
    expect(stale).toEqual([]);
  });
});
