/** CORS preflights of the routes the municipal pages POST to (submissions, payments, sign-in). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface PreflightChecks {
  /** Whether the request's origin is one any tenant lists (a preflight names no tenant). */
  anyTenantAllows: (req: FastifyRequest) => boolean;
  cors: (req: FastifyRequest, reply: FastifyReply) => void;
  refuseOrigin: (req: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

/** Answers OPTIONS on each path: POST with these request headers, for origins some tenant lists; cached 10 minutes. */
export function preflights(app: FastifyInstance, paths: string[], checks: PreflightChecks, headers = 'content-type, accept') {
  for (const path of paths)
    app.options(path, async (req, reply) => {
      if (!checks.anyTenantAllows(req)) return checks.refuseOrigin(req, reply);
      checks.cors(req, reply);
      return reply
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', headers)
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    });
}
