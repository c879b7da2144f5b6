// @latchkey/sdk: check Latchkey API keys in your own service. The middleware sits in ./express, ./fastify and ./hono;
// `decide` is what they share, for any other framework.
export {
  type Environment,
  LatchkeyClient,
  type LatchkeyClientOptions,
  LatchkeySetupError,
  LatchkeyUnavailableError,
  type RateLimit,
  type VerifyRequest,
  type VerifyResult,
} from './client.js';
export { decide, type Decision, type ErrorBody, type GuardedRequest, type GuardOptions, type KeyIdentity, type Refusal, type Requirement } from './guard.js';
