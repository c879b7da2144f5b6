// The OpenAPI document's tags, in the order a reader meets them: what a key unlocks first, then the management API.

export const OPENAPI_TAGS = [
  { name: 'm2m', description: 'The M2M API: what an API key unlocks. Send the key as X-API-Key (or Authorization: Bearer); every answer once the key is known good carries the rate-limit headers.' },
  { name: 'gateway', description: "Configured gateway routes: checked like the M2M API, then proxied to their upstream without the key and with the caller's identity headers." },
  { name: 'verify', description: 'Checking a key from your own service, as the M2M API would.' },
  { name: 'tenants', description: 'The companies that hold keys.' },
  { name: 'keys', description: "A tenant's API keys: created with their secret shown once, changed, rotated without downtime, deactivated and revoked." },
  { name: 'members', description: 'Who may manage a tenant, and with which role.' },
  { name: 'usage', description: 'Request logs and per-key usage of the machine API.' },
  { name: 'audit', description: "Who did what in a tenant, when and from where: changes to the tenant, its members and keys, and its members' sign-ins." },
  { name: 'auth', description: 'Dashboard sign-in with one-time codes, sessions and step-up.' },
  { name: 'deployment', description: "This deployment's settings, as the dashboard reads them." },
  { name: 'health', description: 'Liveness and readiness probes.' },
  { name: 'metrics', description: 'Prometheus metrics.' },
];
