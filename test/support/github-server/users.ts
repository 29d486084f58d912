import { githubError, type RouteRegistration, userJson } from './routes.ts';

/** GET /user: the token's identity; installation tokens get 403 as on github.com. */
export const userRoutes: RouteRegistration = (server) => {
  server.route('GET', '/user', (request) => {
    if (!request.identity) return githubError(401, 'Requires authentication');
    if (!request.identity.canReadUser) return githubError(403, 'Resource not accessible by integration');
    return {
      status: 200,
      body: { ...userJson(request.identity, request.baseUrl), name: request.identity.login },
    };
  });
};
