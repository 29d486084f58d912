/**
 * Environments repos of any size for the benchmarks, written with `git fast-import` but holding
 * exactly the commits the CLI makes: each commit is one deploy of one agent in one environment,
 * with the CLI's own message (deployMessage: subject and trailers), dockrion.json
 * (serializeRecord), a Compose file and an age-ciphertext-sized secrets file, by dockrion[bot].
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_IDENTITY } from '../../action/gitops/git.ts';
import { deployMessage } from '../../action/gitops/messages.ts';
import { type DeployRecord, serializeRecord } from '../../action/gitops/record.ts';

export function benchRecord(agent: string, environment: string, version: string): DeployRecord {
  const digest = `sha256:${createHash('sha256').update(`${agent}:${version}`).digest('hex')}`;
  return {
    agent,
    environment,
    version,
    image: `ghcr.io/acme/${agent}:${version}@${digest}`,
    digest,
    source: { repository: 'acme/agents', commit: createHash('sha1').update(version).digest('hex') },
    dockfile_sha256: createHash('sha256').update(agent).digest('hex'),
  };
}

/** What a render gives: the secrets file is fresh ciphertext every time, as age makes it. */
export function benchFiles(record: DeployRecord, random: () => Buffer = () => randomBytes(300)) {
  return [
    {
      path: 'compose.yaml',
      content: `services:\n  ${record.agent}:\n    image: ${record.image}\n    restart: unless-stopped\n    environment:\n      DOCKRION_VERSION: "${record.version}"\n      DOCKRION_ENV: ${record.environment}\n`,
    },
    {
      path: 'secrets.env.age',
      content: `-----BEGIN AGE ENCRYPTED FILE-----\n${random().toString('base64')}\n-----END AGE ENCRYPTED FILE-----\n`,
    },
  ];
}

export interface RepoShape {
  agents: number;
  environments: readonly string[];
  commits: number;
}

export const agentName = (i: number) => `agent-${String(i).padStart(3, '0')}`;

/**
 * A bare repo at `bare` whose `main` has `commits` deploy commits cycling over every agent in
 * every environment (agent 0 in the first environment first). Returns, per folder, the versions
 * deployed there, oldest first.
 */
export function buildRepo(bare: string, shape: RepoShape): Map<string, string[]> {
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const chunks: Buffer[] = [];
  const data = (content: string | Buffer) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  };
  const versions = new Map<string, string[]>();
  let seed = 0;
  // Deterministic "ciphertext" so the repo is the same on every run.
  const pseudoRandom = () => createHash('sha512').update(String(seed++)).digest();
  const start = 1_700_000_000;
  const folders = shape.agents * shape.environments.length;
  for (let i = 0; i < shape.commits; i++) {
    const folder = i % folders;
    const agent = agentName(folder % shape.agents);
    const environment = shape.environments[Math.floor(folder / shape.agents)] ?? 'staging';
    const key = `${environment}/${agent}`;
    const list = versions.get(key) ?? [];
    const version = `1.${Math.floor(i / folders)}.0`;
    list.push(version);
    versions.set(key, list);
    const record = benchRecord(agent, environment, version);
    const time = start + i * 60;
    chunks.push(
      Buffer.from(
        `commit refs/heads/main\ncommitter ${DEFAULT_IDENTITY.name} <${DEFAULT_IDENTITY.email}> ${time} +0000\n`,
      ),
    );
    data(deployMessage(record));
    const files = [
      ...benchFiles(record, () =>
        Buffer.concat([pseudoRandom(), pseudoRandom(), pseudoRandom()]).subarray(0, 300),
      ),
      { path: 'dockrion.json', content: serializeRecord(record) },
    ];
    for (const f of files) {
      chunks.push(Buffer.from(`M 100644 inline ${key}/${f.path}\n`));
      data(f.content);
    }
  }
  execFileSync('git', ['--git-dir', bare, 'fast-import', '--quiet'], {
    input: Buffer.concat(chunks),
    maxBuffer: 1024 * 1024 * 1024,
  });
  execFileSync('git', ['--git-dir', bare, 'repack', '-a', '-d', '-q']);
  // As GitHub serves it: filters allowed.
  execFileSync('git', ['--git-dir', bare, 'config', 'uploadpack.allowFilter', 'true']);
  return versions;
}
