import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { run } from '../../action/main.ts';

/** A workflow run in a temp dir: workspace, event payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
export interface ActionRun {
  dir: string;
  workspace: string;
  write(relativePath: string, text: string): void;
  /**
   * Runs action/main.ts `run()` with the given inputs; returns its exit code, captured stdout, and
   * `failed`: whether the step was failed through `core.setFailed` (which sets process.exitCode,
   * what @github/local-action and other hosts that import the Action read).
   */
  invoke(inputs: Record<string, string>): Promise<{ code: number; stdout: string; failed: boolean }>;
  outputs(): Record<string, string>;
  summary(): string;
  cleanup(): void;
}

export interface PullRequestEvent {
  number: number;
  repository: string;
  headRepository?: string | null;
  headSha?: string;
}

/** A `pull_request` payload with the fields GitHub documents and the Action reads. */
export function pullRequestPayload(event: PullRequestEvent): Record<string, unknown> {
  const [owner, name] = event.repository.split('/');
  const repo = (fullName: string) => ({
    id: fullName.length,
    name: fullName.split('/')[1],
    full_name: fullName,
    owner: { login: fullName.split('/')[0], type: 'Organization' },
    private: false,
    fork: fullName !== event.repository,
  });
  const headRepository = event.headRepository === undefined ? event.repository : event.headRepository;
  return {
    action: 'synchronize',
    number: event.number,
    pull_request: {
      number: event.number,
      state: 'open',
      title: 'Update agent',
      user: { login: 'octocat', type: 'User' },
      head: {
        ref: 'feature',
        sha: event.headSha ?? 'a'.repeat(40),
        repo: headRepository === null ? null : repo(headRepository),
      },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: repo(event.repository) },
    },
    repository: repo(event.repository),
    sender: { login: 'octocat', type: 'User' },
    organization: { login: owner },
    name,
  };
}

export function createActionRun(options: {
  apiUrl: string;
  eventName?: string;
  payload: Record<string, unknown>;
  repository: string;
  /** GITHUB_SERVER_URL (GitHub Enterprise, or a loopback git server in deploy tests). */
  serverUrl?: string;
}): ActionRun {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-action-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output.txt');
  const summaryPath = join(dir, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');

  return {
    dir,
    workspace,
    write(relativePath, text) {
      mkdirSync(dirname(join(workspace, relativePath)), { recursive: true });
      writeFileSync(join(workspace, relativePath), text);
    },
    async invoke(inputs) {
      const saved = { ...process.env };
      for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
      Object.assign(process.env, {
        GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: options.repository,
        GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0],
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputPath,
        GITHUB_STEP_SUMMARY: summaryPath,
        GITHUB_API_URL: options.apiUrl,
        GITHUB_SERVER_URL: options.serverUrl ?? 'https://github.com',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_ACTOR: 'octocat',
      });
      for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
      const chunks: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
      const exitCodeBefore = process.exitCode;
      process.exitCode = undefined;
      try {
        const code = await run();
        return { code, stdout: chunks.join(''), failed: process.exitCode === 1 };
      } finally {
        process.exitCode = exitCodeBefore;
        spy.mockRestore();
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
    },
    outputs() {
      // GITHUB_OUTPUT uses `name<<delimiter\nvalue\ndelimiter` blocks; the last write wins.
      const text = readFileSync(outputPath, 'utf8');
      const out: Record<string, string> = {};
      for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
        if (match[1]) out[match[1]] = match[3] ?? '';
      }
      return out;
    },
    summary: () => readFileSync(summaryPath, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
