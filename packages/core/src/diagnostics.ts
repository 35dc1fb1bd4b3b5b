import { processWide } from './processWide';

/** Sightline's own messages about itself (never the application's logs). Quiet by default: warnings and errors only. */
export type DiagnosticsLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

const LEVEL_RANK: Record<DiagnosticsLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4 };
export const DIAGNOSTICS_LEVELS = Object.keys(LEVEL_RANK) as DiagnosticsLevel[];

export type DiagnosticsSink = (level: Exclude<DiagnosticsLevel, 'none'>, message: string) => void;

export interface Diagnostics {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Warns the first time `key` is seen and stays silent after; returns whether it printed. */
  warnOnce(key: string, message: string): boolean;
  /** A diagnostics logger for one component, sharing level, sink and warn-once memory. */
  child(component: string): Diagnostics;
}

interface SharedState {
  level: DiagnosticsLevel;
  sink: DiagnosticsSink;
  seen: Set<string>;
}

// Written to stderr directly: going through a logger we ship to could loop back into ourselves.
const stderrSink: DiagnosticsSink = (_level, message) => {
  process.stderr.write(`${message}\n`);
};

interface SharedHolder {
  state: SharedState;
}

/** Process-wide, not per copy of this module: see `processWide`. */
const holder = processWide<SharedHolder>('sightline.core.diagnostics.v1', () => ({
  state: { level: 'warn', sink: stderrSink, seen: new Set() },
}));

function build(component: string, state: () => SharedState): Diagnostics {
  const emit = (level: Exclude<DiagnosticsLevel, 'none'>, message: string) => {
    const s = state();
    if (LEVEL_RANK[level] > LEVEL_RANK[s.level]) return;
    try {
      s.sink(level, `[sightline:${component}] ${level}: ${message}`);
    } catch {
      // A broken sink must not break the caller.
    }
  };
  return {
    error: (m) => emit('error', m),
    warn: (m) => emit('warn', m),
    info: (m) => emit('info', m),
    debug: (m) => emit('debug', m),
    warnOnce(key, message) {
      const s = state();
      const fullKey = `${component}:${key}`;
      if (s.seen.has(fullKey)) return false;
      s.seen.add(fullKey);
      emit('warn', message);
      return true;
    },
    child: (sub) => build(`${component}:${sub}`, state),
  };
}

/** The process-wide diagnostics of one component (`core`, `xray`, `cwlogs`…). */
export function diagnostics(component: string): Diagnostics {
  return build(component, () => holder.state);
}

/**
 * Sets the level and, optionally, the sink of every component's diagnostics.
 * `SIGHTLINE_LOG_LEVEL` is read by the facade and passed here.
 */
export function configureDiagnostics(options: { level?: DiagnosticsLevel; sink?: DiagnosticsSink }): void {
  const shared = holder.state;
  holder.state = {
    level: options.level ?? shared.level,
    sink: options.sink ?? shared.sink,
    seen: shared.seen,
  };
}

/** Restores defaults (level `warn`, stderr, warn-once memory cleared). For tests. */
export function resetDiagnostics(): void {
  holder.state = { level: 'warn', sink: stderrSink, seen: new Set() };
}

/** A standalone diagnostics logger with its own level, sink and warn-once memory (tests, embedding). */
export function createDiagnostics(
  component: string,
  options: { level?: DiagnosticsLevel; sink?: DiagnosticsSink } = {},
): Diagnostics {
  const state: SharedState = {
    level: options.level ?? 'warn',
    sink: options.sink ?? stderrSink,
    seen: new Set(),
  };
  return build(component, () => state);
}
