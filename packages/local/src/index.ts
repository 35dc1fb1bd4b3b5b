export { DEFAULT_PORTS, PACKAGE_NAME } from './defaults';
export type { FaultOptions, Faults } from './faults';
export { HttpFaults, UdpFaults } from './faults';
export { maskHeaders, maskSecret } from './mask';
export type { Local, LocalEnv, LocalPorts, LogGroupInfo, StartLocalOptions } from './startLocal';
export { startLocal } from './startLocal';
export type { StoreLimits } from './store';
export type {
  Attributes,
  AttributeValue,
  Backend,
  LocalStats,
  Rejection,
  RequestRecord,
  SpanKindName,
  StoredItem,
  StoredLogEvent,
  StoredSegment,
  StoredSpan,
  StoredSpanEvent,
  StoredSpanLink,
} from './types';
export type { WaitForOptions } from './waitFor';
export { WaitForTimeoutError } from './waitFor';
