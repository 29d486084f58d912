import { GitOpsError } from '../../shared/errors.ts';
import { redactUrl } from './git.ts';

export const TOKEN_HINT =
  'the environments repo needs its own token with contents:write and pull-requests:write: set the ' +
  '`environments-token` input (CLI: --environments-token or DOCKRION_ENVIRONMENTS_TOKEN) to a fine-grained ' +
  "PAT or a GitHub App installation token; the workflow's GITHUB_TOKEN cannot write to another repository";

/** Turns git's stderr for a failed fetch/push into an error that says what to do. */
export function remoteError(
  operation: 'fetch' | 'push',
  url: string,
  stderr: string,
  cause?: unknown,
): GitOpsError {
  const where = redactUrl(url);
  const text = stderr.replaceAll(url, where);
  const tail = gitComplaint(text);
  if (/returned error: 403|403 Forbidden|Permission to .* denied|permission denied/i.test(text)) {
    return new GitOpsError(`${operation} to ${where} was refused (HTTP 403): ${tail}`, TOKEN_HINT, cause);
  }
  if (/returned error: 401|could not read Username|Authentication failed|invalid credentials/i.test(text)) {
    return new GitOpsError(`${operation} ${where}: authentication failed (HTTP 401)`, TOKEN_HINT, cause);
  }
  if (/returned error: 404|Repository not found|not found/i.test(text) && /^https?:/i.test(url)) {
    return new GitOpsError(
      `${operation} ${where}: repository not found (HTTP 404; GitHub answers 404 when the token cannot see a private repo)`,
      TOKEN_HINT,
      cause,
    );
  }
  return new GitOpsError(`git ${operation} ${where} failed: ${tail}`, null, cause);
}

/**
 * The lines of git's stderr that say what went wrong. git ends many failures with generic advice
 * ("Please make sure you have the correct access rights…"), so its `fatal:`/`error:` lines come
 * first; otherwise the last non-empty lines.
 */
export function gitComplaint(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const verdicts = lines.filter((line) => /^(fatal|error|remote: error):/i.test(line));
  return (verdicts.length > 0 ? verdicts : lines).slice(-3).join(' | ');
}
