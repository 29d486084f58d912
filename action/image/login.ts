import { ImageError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';
import type { RegistryCredentials } from './registry.ts';

/**
 * `docker login` into the Docker config at `configDir` (a throwaway one, so the token is not left
 * in the user's ~/.docker). The password goes through stdin, never on the command line.
 */
export async function dockerLogin(
  host: string,
  credentials: RegistryCredentials,
  options: { exec: Exec; logger: Logger; configDir: string },
): Promise<void> {
  options.logger.setSecret(credentials.password);
  const result = await options.exec.run(
    'docker',
    ['--config', options.configDir, 'login', host, '--username', credentials.username, '--password-stdin'],
    { input: credentials.password, allowFailure: true },
  );
  if (result.code !== 0) {
    throw new ImageError(
      `docker login ${host} failed: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      host === 'ghcr.io' ? 'the workflow needs `permissions: packages: write`' : null,
    );
  }
}
