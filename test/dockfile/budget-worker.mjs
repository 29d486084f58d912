// Worker bootstrap: workers do not inherit the tsx loader, so register it here, then load the
// TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./budget-worker.ts');
