import {
  defaultResource,
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ResolvedTracingConfig } from './options';

// Incubating in semantic-conventions 1.45 (not exported from the stable entry), so spelled out.
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

/**
 * The resource every span carries: SDK attributes (`telemetry.sdk.*`), host and process,
 * `OTEL_RESOURCE_ATTRIBUTES` (from the resolved config, never read again from `process.env`:
 * the envDetector is left out on purpose), then service name, version and environment, which win.
 */
export function buildResource(
  config: Pick<
    ResolvedTracingConfig,
    'serviceName' | 'serviceVersion' | 'environment' | 'resourceAttributes'
  >,
): Resource {
  const service: Record<string, string> = { [ATTR_SERVICE_NAME]: config.serviceName };
  if (config.serviceVersion !== undefined) service[ATTR_SERVICE_VERSION] = config.serviceVersion;
  if (config.environment !== undefined) service[ATTR_DEPLOYMENT_ENVIRONMENT_NAME] = config.environment;
  return defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector] }))
    .merge(resourceFromAttributes({ ...config.resourceAttributes }))
    .merge(resourceFromAttributes(service));
}
