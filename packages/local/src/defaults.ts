/**
 * The fixed ports of the `sightline-local` CLI. OTLP/HTTP and the X-Ray daemon use their standard
 * ports (4318, 2000/udp) so a service configured for a local collector or daemon needs no change;
 * CloudWatch Logs and Rollbar have no standard local port and get 4588 and 4589.
 */
export const DEFAULT_PORTS = { otlp: 4318, xray: 2000, cwlogs: 4588, rollbar: 4589 } as const;

/** The package name (the demo runner prints it). */
export const PACKAGE_NAME = '@sightline/local';
