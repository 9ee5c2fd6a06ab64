// GET /api/health - liveness, no session, no database
// The bare route the dashboard's load benchmark measures the others against: what this server
// answers when nothing but Next's own routing is involved.
export function GET(): Response {
  return Response.json({ ok: true });
}
