import type { Logger } from '../../action/adapters/logger.ts';
import { consoleLogger } from '../../action/adapters/logger.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';

/** The CLI's real masking logger, writing into a string the test can search. */
export function capturingLogger(): { logger: Logger; output: () => string; secrets: string[] } {
  let text = '';
  const secrets: string[] = [];
  const inner = consoleLogger({ verbose: true, write: (s) => (text += s) });
  const logger: Logger = {
    ...inner,
    setSecret: (value) => {
      secrets.push(value);
      inner.setSecret(value);
    },
  };
  return { logger, output: () => text, secrets };
}

/** A minimal valid Dockfile with the given secrets and deploy block. */
export function specWith(secrets: DockSpec['secrets'], deploy?: DockSpec['deploy']): DockSpec {
  return {
    version: '1.0',
    agent: { name: 'invoice-copilot', entrypoint: 'app.graph:build_graph', framework: 'langgraph' },
    secrets,
    ...(deploy ? { deploy } : {}),
  } as DockSpec;
}
