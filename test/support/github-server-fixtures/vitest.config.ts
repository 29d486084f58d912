import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs only the fixture below, which test/action/github-api-description.test.ts starts in a child
// vitest to see that a request GitHub's API description rejects fails the test that sent it.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/support/github-server-fixtures/*.fixture.ts'],
    pool: 'forks',
  },
});
