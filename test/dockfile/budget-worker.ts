/**
 * Runs validations in a worker thread so a test can enforce a hard time budget: the parent
 * terminates this thread when an answer does not arrive in time.
 */
import { parentPort } from 'node:worker_threads';
import { loadDockfile, validateDockfileText } from '../../action/dockfile/index.ts';
import type { LoadOptions } from '../../action/dockfile/types.ts';

const port = parentPort;
if (!port) throw new Error('budget-worker must run in a worker thread');

// Warm up (schema compile, module load) before the clock starts.
await validateDockfileText('version: "1.0"\nagent: {name: warm-up, handler: "app:run"}\n', 'warm-up.yaml', {
  python: null,
});
port.postMessage({ type: 'ready' });

port.on('message', async (message: { path: string; options?: LoadOptions }) => {
  try {
    const result = await loadDockfile(message.path, { python: null, ...message.options });
    port.postMessage({ type: 'result', result });
  } catch (e: unknown) {
    port.postMessage({ type: 'threw', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
