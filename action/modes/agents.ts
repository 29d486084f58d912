import {
  type AgentEntry,
  type AgentSelection,
  type ChangeBase,
  changeBaseOf,
  resolveDockfiles,
  selectChangedAgents,
} from '../agents/index.ts';
import type { ModeContext } from './context.ts';

/**
 * The Dockfiles the patterns match, narrowed to the agents this event changed (validate and
 * deploy decide it the same way), with the choice logged.
 */
export async function selectAgents(
  ctx: ModeContext,
  patterns: readonly string[],
  verb: 'validating' | 'deploying',
): Promise<AgentSelection> {
  const workspace = ctx.run.workspace;
  const base = changeBaseOf(ctx.run.eventName, ctx.run.payload);
  const selected = await selectChangedAgents({
    workspace,
    dockfiles: resolveDockfiles(patterns, workspace),
    base,
    exec: ctx.exec,
    env: ctx.env as NodeJS.ProcessEnv,
    logger: ctx.logger,
  });
  reportSelection(ctx, selected, base, verb);
  return selected;
}

/** Logs which agents the change touches and why the rest are left alone. */
function reportSelection(
  ctx: ModeContext,
  selected: AgentSelection,
  base: ChangeBase,
  verb: 'validating' | 'deploying',
): void {
  const label = (a: AgentEntry) => (a.name ? `${a.name} (${a.dockfile})` : a.dockfile);
  if (selected.everythingBecause !== null) {
    const message = `${verb} every matched agent (${selected.all.length}): ${selected.everythingBecause}`;
    // A base that should have been readable but was not deserves a notice; a new branch does not.
    if (base.kind === 'commit') ctx.io.annotate({ severity: 'notice', message });
    else ctx.logger.info(message);
    return;
  }
  const unchanged = selected.all.filter((a) => !selected.changed.includes(a));
  const what = base.kind === 'commit' ? `${base.what} (${base.sha.slice(0, 12)})` : 'the base';
  ctx.logger.info(
    `${selected.changed.length} of ${selected.all.length} agent(s) changed since ${what}: ${selected.changed.map(label).join(', ') || 'none'}`,
  );
  if (unchanged.length > 0) ctx.logger.info(`unchanged, not ${verb}: ${unchanged.map(label).join(', ')}`);
}
