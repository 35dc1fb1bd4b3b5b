import type { LogsSender } from '../src/sender';

/** Wraps a sender (the real AWS one) to observe calls: what is in flight and how each call ended. */
export function observe(inner: LogsSender) {
  const log: { op: string; ok: boolean; error?: string }[] = [];
  let inFlight = 0;
  const wrap =
    <A extends unknown[], R>(op: string, fn: (...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      inFlight++;
      try {
        const r = await fn(...args);
        log.push({ op, ok: true });
        return r;
      } catch (error) {
        log.push({ op, ok: false, error: (error as Error).name });
        throw error;
      } finally {
        inFlight--;
      }
    };
  const sender: LogsSender = {
    putLogEvents: wrap('PutLogEvents', inner.putLogEvents.bind(inner)),
    createLogGroup: wrap('CreateLogGroup', inner.createLogGroup.bind(inner)),
    createLogStream: wrap('CreateLogStream', inner.createLogStream.bind(inner)),
    putRetentionPolicy: wrap('PutRetentionPolicy', inner.putRetentionPolicy.bind(inner)),
    destroy: () => inner.destroy?.(),
  };
  return { sender, log, inFlight: () => inFlight };
}
