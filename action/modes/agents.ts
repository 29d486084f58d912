import type { AgentEntry, AgentSelection, ChangeBase } from '../agents/index.ts';
import type { ModeContext } from './context.ts';

/** Logs which agents the change touches and why the rest are left alone. */
export function reportSelection(
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
