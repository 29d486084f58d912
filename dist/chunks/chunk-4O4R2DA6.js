import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  changeBaseOf,
  resolveDockfiles,
  selectChangedAgents
} from "./chunk-V2TZJOJW.js";

// action/modes/agents.ts
async function selectAgents(ctx, patterns, verb) {
  const workspace = ctx.run.workspace;
  const base = changeBaseOf(ctx.run.eventName, ctx.run.payload);
  const selected = await selectChangedAgents({
    workspace,
    dockfiles: resolveDockfiles(patterns, workspace),
    base,
    exec: ctx.exec,
    env: ctx.env,
    logger: ctx.logger
  });
  reportSelection(ctx, selected, base, verb);
  return selected;
}
function reportSelection(ctx, selected, base, verb) {
  const label = (a) => a.name ? `${a.name} (${a.dockfile})` : a.dockfile;
  if (selected.everythingBecause !== null) {
    const message = `${verb} every matched agent (${selected.all.length}): ${selected.everythingBecause}`;
    if (base.kind === "commit") ctx.io.annotate({ severity: "notice", message });
    else ctx.logger.info(message);
    return;
  }
  const unchanged = selected.all.filter((a) => !selected.changed.includes(a));
  const what = base.kind === "commit" ? `${base.what} (${base.sha.slice(0, 12)})` : "the base";
  ctx.logger.info(
    `${selected.changed.length} of ${selected.all.length} agent(s) changed since ${what}: ${selected.changed.map(label).join(", ") || "none"}`
  );
  if (unchanged.length > 0) ctx.logger.info(`unchanged, not ${verb}: ${unchanged.map(label).join(", ")}`);
}

export {
  selectAgents
};
