import type { Docker } from '../adapters/docker.ts';
import type { Logger } from '../adapters/logger.ts';
import type { RegistryCredentials } from './registry.ts';

/**
 * `docker login` into the Docker config at `configDir` (a throwaway one, so the token is not left
 * in the user's ~/.docker). The password is masked in the log first; `Docker` sends it on stdin.
 */
export async function dockerLogin(
  host: string,
  credentials: RegistryCredentials,
  options: { docker: Docker; logger: Logger; configDir: string },
): Promise<void> {
  options.logger.setSecret(credentials.password);
  await options.docker.login({
    host,
    username: credentials.username,
    password: credentials.password,
    configDir: options.configDir,
  });
}
