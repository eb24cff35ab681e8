/**
 * `replikit/testing` — a faithful fake of the Replicate HTTP API for offline tests, demos and CI.
 *
 * The core (`createFakeReplicate`, `fake.handle`, `fake.fetch`) is web-standard and imports nothing
 * Node-specific, so it runs in Workers and browsers too. Two parts load on demand: `fake.handlers` and
 * `fake.loadHandlers()` load msw (an optional peer dependency: install it only to use msw), and
 * `fake.listen()` imports `node:http` (Node only).
 */

export {
  type FakeClock,
  type ManualClock,
  type ManualClockOptions,
  manualClock,
  systemClock,
} from '../testing/clock.js';
export type { FakeAccount } from '../testing/env.js';
export { createFakeReplicate, type FakeReplicate } from '../testing/fake.js';
export type { Fault, FaultRule, RouteInfo, RouteMatcher } from '../testing/faults.js';
export type { RecordedRequest } from '../testing/handler.js';
export { type ImageModelOptions, imageModel } from '../testing/image-model.js';
export {
  defineModel,
  type FailingModelOptions,
  type FakeModel,
  failingModel,
  type JsonSchema,
  type ModelContext,
  type RunPlan,
  type RunStep,
} from '../testing/model.js';
export type { HandlersOptions, MswHandler } from '../testing/msw.js';
export type { FakeReplicateOptions } from '../testing/options.js';
export { type PresetOptions, presetModels } from '../testing/presets.js';
export type { RateLimitOptions } from '../testing/rate-limit.js';
export type { FakeServer, ListenOptions } from '../testing/server.js';
export { babble, echo, scripted, type TextResponder, tokenize } from '../testing/text.js';
export { type TextModelOptions, textModel } from '../testing/text-model.js';
export type { WebhookAttempt, WebhookEventType, WebhookHandler } from '../testing/webhooks.js';
