import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infra.ts';

/** The agents of the three-agent repository the many-agents end-to-end tests use. */
export const THREE_AGENTS = ['billing', 'support', 'triage'] as const;
export type ThreeAgent = (typeof THREE_AGENTS)[number];

/**
 * A user's repository with three agents, `agents/<name>/` each a copy of examples/plain-handler
 * under its own `agent.name`, plus a top-level README that belongs to no agent.
 */
export function writeThreeAgents(workspace: string): void {
  const skip = (p: string) => !/(__pycache__|\.egg-info|\/tests$|\.pytest_cache)/.test(p);
  for (const name of THREE_AGENTS) {
    const dir = join(workspace, 'agents', name);
    cpSync(join(repoRoot, 'examples/plain-handler'), dir, { recursive: true, filter: skip });
    const dockfile = join(dir, 'Dockfile.yaml');
    writeFileSync(dockfile, readFileSync(dockfile, 'utf8').replace('name: plain-handler', `name: ${name}`));
  }
  writeFileSync(join(workspace, 'README.md'), '# three agents\n');
}

/** Changes one agent's code (not its Dockfile): what a typical feature PR does. */
export function changeAgentCode(workspace: string, agent: ThreeAgent, note: string): void {
  const handler = join(workspace, 'agents', agent, 'app/handler.py');
  writeFileSync(handler, `${readFileSync(handler, 'utf8')}\n# ${note}\n`);
}
