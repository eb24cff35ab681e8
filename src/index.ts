export type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletions,
} from './chat/completions.js';
export { UnsupportedParameterError } from './chat/errors.js';
export type { ChatRequestOptions } from './chat/plan.js';
export { type PromptTemplate, TEMPLATES, type TemplateFamily, type TextMessage } from './chat/templates.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatContentPart,
  ChatMessage,
  CompletionUsage,
  FinishReason,
} from './chat/types.js';
export { Replicate, type ReplicateOptions } from './client.js';
export { ReplicateCore, type ReplicateCoreOptions } from './client-core.js';

export {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConnectionError,
  errorFromResponse,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  type Problem,
  RateLimitError,
  ReplicateError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
  type ValidationIssue,
} from './errors.js';
export { type FileEncoding, isFileContent } from './files/inputs.js';
export { FileOutput, isFileUrl } from './files/output.js';
export type { AuthOption, SingleAuth, WeightedKey } from './http/auth.js';
export type { ClientOptions } from './http/core.js';
export { type ModelRef, parseModelRef, type WebhookEvent } from './identifiers.js';
export {
  PredictionCanceledError,
  PredictionFailedError,
  StreamError,
  type StreamErrorReason,
} from './lifecycle/errors.js';
export { type Progress, type ProgressCallback, progressFromLogs } from './lifecycle/progress.js';
export type { RunOptions } from './lifecycle/run.js';
export type { PredictionEvent, StreamEventsOptions } from './lifecycle/stream.js';
export type { StreamOptions } from './lifecycle/stream-run.js';
export type { WaitOptions } from './lifecycle/wait.js';
export { type PageFetcher, Paginator } from './paginator.js';
export { ColdStartTimeoutError } from './policies/cold-start.js';
export {
  type ChatFallback,
  type ChatFallbackFunction,
  type FallbackContext,
  isFallbackWorthy,
} from './policies/fallback.js';
export type {
  Hook,
  RequestErrorEvent,
  RequestEvent,
  ResponseEvent,
  TransformContext,
  TransformInput,
} from './policies/hooks.js';
export type { PolicyOptions } from './policies/options.js';
export type { RateLimitOptions } from './policies/rate-limit.js';
export type { RequestOptions } from './resources/base.js';
export type {
  AccountResource,
  Collections,
  HardwareResource,
  SearchParams,
  WebhooksResource,
} from './resources/catalog.js';
export type { DeploymentCreateParams, Deployments, DeploymentUpdateParams } from './resources/deployments.js';
export type {
  CoreFiles,
  FileContent,
  FileCreateParams,
  FileDownloadParams,
  Files,
} from './resources/files.js';
export type {
  ModelCreateParams,
  ModelListParams,
  Models,
  ModelUpdateParams,
  ModelVersions,
} from './resources/models.js';
export type {
  CorePredictions,
  CreateOptions,
  PredictionCreateParams,
  PredictionListParams,
  Predictions,
  PredictionTarget,
} from './resources/predictions.js';
export type { TrainingCreateParams, Trainings } from './resources/trainings.js';
export {
  type Collection,
  type CollectionSummary,
  collectionSchema,
  collectionSummarySchema,
} from './schemas/collection.js';
export { type Deployment, deploymentSchema } from './schemas/deployment.js';
export { fileSchema, type ReplicateFile } from './schemas/file.js';
export { type Model, type ModelVersion, modelSchema, versionSchema } from './schemas/model.js';
export { type Page, pageSchema } from './schemas/page.js';
export {
  type Account,
  accountSchema,
  type Hardware,
  hardwareSchema,
  problemSchema,
  type WebhookSecret,
  webhookSecretSchema,
} from './schemas/platform.js';
export {
  isTerminal,
  metricsSchema,
  type Prediction,
  type PredictionMetrics,
  type PredictionStatus,
  predictionSchema,
  predictionStatusSchema,
  TERMINAL_STATUSES,
} from './schemas/prediction.js';
export { type SearchResult, searchResultSchema } from './schemas/search.js';
export { type Training, trainingSchema } from './schemas/training.js';
export type { PredictionUsage, UsageCallback } from './usage.js';
export { VERSION } from './version.js';
