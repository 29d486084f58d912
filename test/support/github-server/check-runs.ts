import { githubError, type RouteRegistration } from '../github-server.ts';

/** POST/PATCH check runs, stored as sent; enough for a mode that reports through the Checks API. */
export const checkRunRoutes: RouteRegistration = (server) => {
  const json = (
    run: { id: number; owner: string; repo: string; body: Record<string, unknown> },
    baseUrl: string,
  ) => ({
    id: run.id,
    node_id: `CR_${run.id}`,
    url: `${baseUrl}/repos/${run.owner}/${run.repo}/check-runs/${run.id}`,
    html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
    status: 'queued',
    conclusion: null,
    ...run.body,
  });
  server.route('POST', '/repos/:owner/:repo/check-runs', (request, state) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || typeof body.head_sha !== 'string') {
      return githubError(422, 'Invalid request.\n\n"name" and "head_sha" are required.');
    }
    const run = {
      id: state.nextId(),
      owner: request.params.owner ?? '',
      repo: request.params.repo ?? '',
      body,
    };
    state.checkRuns.push(run);
    return { status: 201, body: json(run, request.baseUrl) };
  });
  server.route('PATCH', '/repos/:owner/:repo/check-runs/:id', (request, state) => {
    const run = state.checkRuns.find((r) => r.id === Number(request.params.id));
    if (!run) return githubError(404, 'Not Found');
    run.body = { ...run.body, ...((request.body ?? {}) as Record<string, unknown>) };
    return { status: 200, body: json(run, request.baseUrl) };
  });
};
