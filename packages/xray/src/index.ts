export type { ContextMissingStrategy, ResolvedXRayConfig, XRayOptions } from './config';
export { CONTEXT_MISSING_STRATEGIES, MAX_DATAGRAM_BYTES, resolveXRayConfig } from './config';
export { contextPropagates, XRAY_ENTITY_KEY } from './context';
export type { DaemonAddress } from './daemonAddress';
export { formatDaemonAddress, parseDaemonAddress } from './daemonAddress';
export type { DocumentSink } from './emitter';
export { UdpEmitter } from './emitter';
export type { RequestInfo, RequestSegment, ResponseInfo, SegmentIds } from './requestSegment';
export type { Sampler, SamplerClock, SamplingDecision, SamplingRequest } from './sampler';
export { globMatch, LocalSampler } from './sampler';
export type { SamplingRule, SamplingRuleSet, SamplingRulesInput } from './samplingRules';
export { DEFAULT_SAMPLING, loadSamplingRules, parseSamplingRules, toSdkRulesFile } from './samplingRules';
export type {
  OpenSubsegment,
  SubsegmentOptions,
  XRayBackend,
  XRayDependencies,
  XRayTraceIds,
} from './xray';
export { createXRay, XRayContextMissingError } from './xray';
