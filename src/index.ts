export type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletions,
} from './chat/completions';
export { UnsupportedParameterError } from './chat/errors';
export type { ChatRequestOptions } from './chat/plan';
export { type PromptTemplate, TEMPLATES, type TemplateFamily, type TextMessage } from './chat/templates';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatContentPart,
  ChatMessage,
  CompletionUsage,
  FinishReason,
} from './chat/types';
export { Replicate, type ReplicateOptions } from './client';
export { ReplicateCore, type ReplicateCoreOptions } from './client-core';

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
} from './errors';
export { type FileEncoding, isFileContent } from './files/inputs';
export { FileOutput, isFileUrl } from './files/output';
export type { AuthOption, SingleAuth, WeightedKey } from './http/auth';
export type { ClientOptions } from './http/core';
export { type ModelRef, parseModelRef, type WebhookEvent } from './identifiers';
export {
  PredictionCanceledError,
  PredictionFailedError,
  StreamError,
  type StreamErrorReason,
} from './lifecycle/errors';
export { type Progress, type ProgressCallback, progressFromLogs } from './lifecycle/progress';
export type { RunOptions } from './lifecycle/run';
export type { PredictionEvent, StreamEventsOptions } from './lifecycle/stream';
export type { StreamOptions } from './lifecycle/stream-run';
export type { WaitOptions } from './lifecycle/wait';
export { type PageFetcher, Paginator } from './paginator';
export { ColdStartTimeoutError } from './policies/cold-start';
export {
  type ChatFallback,
  type ChatFallbackFunction,
  type FallbackContext,
  isFallbackWorthy,
} from './policies/fallback';
export type {
  Hook,
  RequestErrorEvent,
  RequestEvent,
  ResponseEvent,
  TransformContext,
  TransformInput,
} from './policies/hooks';
export type { PolicyOptions } from './policies/options';
export type { RateLimitOptions } from './policies/rate-limit';
export type { RequestOptions } from './resources/base';
export type {
  AccountResource,
  Collections,
  HardwareResource,
  SearchParams,
  WebhooksResource,
} from './resources/catalog';
export type { DeploymentCreateParams, Deployments, DeploymentUpdateParams } from './resources/deployments';
export type { FileContent, FileCreateParams, FileDownloadParams, Files } from './resources/files';
export type {
  ModelCreateParams,
  ModelListParams,
  Models,
  ModelUpdateParams,
  ModelVersions,
} from './resources/models';
export type {
  CreateOptions,
  PredictionCreateParams,
  PredictionListParams,
  Predictions,
  PredictionTarget,
} from './resources/predictions';
export type { TrainingCreateParams, Trainings } from './resources/trainings';
export {
  type Collection,
  type CollectionSummary,
  collectionSchema,
  collectionSummarySchema,
} from './schemas/collection';
export { type Deployment, deploymentSchema } from './schemas/deployment';
export { fileSchema, type ReplicateFile } from './schemas/file';
export { type Model, type ModelVersion, modelSchema, versionSchema } from './schemas/model';
export { type Page, pageSchema } from './schemas/page';
export {
  type Account,
  accountSchema,
  type Hardware,
  hardwareSchema,
  problemSchema,
  type WebhookSecret,
  webhookSecretSchema,
} from './schemas/platform';
export {
  isTerminal,
  metricsSchema,
  type Prediction,
  type PredictionMetrics,
  type PredictionStatus,
  predictionSchema,
  predictionStatusSchema,
  TERMINAL_STATUSES,
} from './schemas/prediction';
export { type SearchResult, searchResultSchema } from './schemas/search';
export { type Training, trainingSchema } from './schemas/training';
export type { PredictionUsage, UsageCallback } from './usage';
export { VERSION } from './version';
