import { parseArgs } from 'node:util';
import { DEFAULT_PORTS } from './defaults';
import type { LocalPorts } from './startLocal';

/** The `--help` text. */
export const USAGE = `Usage: sightline-local [options]

Starts OTLP/HTTP, the X-Ray daemon (UDP), CloudWatch Logs and Rollbar on 127.0.0.1 and prints
the environment variables that point a service at them.

Options:
  --otlp-port N      OTLP/HTTP traces (default ${DEFAULT_PORTS.otlp}; 0 = any free port)
  --xray-port N      X-Ray daemon, UDP (default ${DEFAULT_PORTS.xray})
  --cwlogs-port N    CloudWatch Logs API (default ${DEFAULT_PORTS.cwlogs})
  --rollbar-port N   Rollbar item API (default ${DEFAULT_PORTS.rollbar})
  --interval MS      live summary period (default 1000)
  --json             machine-readable JSON lines instead of text
  -h, --help         this help
`;

export interface CliOptions {
  ports: Required<LocalPorts>;
  intervalMs: number;
  json: boolean;
}

/** Parses the CLI arguments; `undefined` for `--help`. Throws on an invalid value. */
export function parseCliArgs(argv: string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      'otlp-port': { type: 'string' },
      'xray-port': { type: 'string' },
      'cwlogs-port': { type: 'string' },
      'rollbar-port': { type: 'string' },
      interval: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const integer = (name: string, value: string | undefined, fallback: number, max: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new Error(`--${name} must be an integer 0-${max}, got "${value}"`);
    return n;
  };
  return {
    ports: {
      otlp: integer('otlp-port', values['otlp-port'], DEFAULT_PORTS.otlp, 65_535),
      xray: integer('xray-port', values['xray-port'], DEFAULT_PORTS.xray, 65_535),
      cwlogs: integer('cwlogs-port', values['cwlogs-port'], DEFAULT_PORTS.cwlogs, 65_535),
      rollbar: integer('rollbar-port', values['rollbar-port'], DEFAULT_PORTS.rollbar, 65_535),
    },
    intervalMs: Math.max(100, integer('interval', values.interval, 1_000, 3_600_000)),
    json: values.json ?? false,
  };
}
