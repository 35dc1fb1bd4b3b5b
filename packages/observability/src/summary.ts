/** The start-up summary: one line per backend, secrets already masked by each backend's `describe()`. */
export interface SummaryLine {
  backend: string;
  state: 'on' | 'off' | 'disabled' | 'failed';
  detail: string;
}

export function formatSummary(serviceName: string, lines: readonly SummaryLine[]): string {
  const width = Math.max(...lines.map((l) => l.backend.length));
  // Backends introduce their own line (`tracing: …`); the table already names them.
  const body = lines.map(
    (l) => `  ${l.backend.padEnd(width)}  ${l.state.padEnd(8)} ${l.detail.replace(`${l.backend}: `, '')}`,
  );
  return `[sightline] ${serviceName}\n${body.join('\n')}`;
}
