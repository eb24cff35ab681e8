/**
 * `replikit/testing` — a faithful fake of the Replicate HTTP API for offline tests, demos and CI.
 *
 * The core (`createFakeReplicate`, `fake.handle`, `fake.fetch`) is web-standard and imports nothing
 * Node-specific, so it runs in Workers and browsers too. Two parts load on demand: `fake.handlers()`
 * imports msw (an optional peer dependency: install it only to use msw), and `fake.listen()` imports
 * `node:http` (Node only).
 */

export {
  type FakeClock,
  type ManualClock,
  type ManualClockOptions,
  manualClock,
  systemClock,
} from '../testing/clock';
export type { FakeAccount } from '../testing/env';
export { createFakeReplicate, type FakeReplicate } from '../testing/fake';
export type { Fault, FaultRule, RouteInfo, RouteMatcher } from '../testing/faults';
export type { RecordedRequest } from '../testing/handler';
export { type ImageModelOptions, imageModel } from '../testing/image-model';
export {
  defineModel,
  type FailingModelOptions,
  type FakeModel,
  failingModel,
  type JsonSchema,
  type ModelContext,
  type RunPlan,
  type RunStep,
} from '../testing/model';
export type { HandlersOptions, MswHandler } from '../testing/msw';
export type { FakeReplicateOptions } from '../testing/options';
export { type PresetOptions, presetModels } from '../testing/presets';
export type { RateLimitOptions } from '../testing/rate-limit';
export type { FakeServer, ListenOptions } from '../testing/server';
export { babble, echo, scripted, type TextResponder, tokenize } from '../testing/text';
export { type TextModelOptions, textModel } from '../testing/text-model';
export type { WebhookAttempt, WebhookEventType, WebhookHandler } from '../testing/webhooks';
