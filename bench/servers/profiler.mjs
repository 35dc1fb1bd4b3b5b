// Preloaded by bench/profile.mjs (`--import`): on SIGUSR2 (sent when the warm-up is over) starts the
// CPU profiler, or the sampling heap profiler counting collected objects too; writes the profile to
// SIGHTLINE_PROFILE_OUT when the server exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.SIGHTLINE_PROFILE_OUT;
// `survivors`: only objects that outlived a young-generation collection stay in the samples.
const kind = process.env.SIGHTLINE_PROFILE_KIND;
const heap = kind === 'heap' || kind === 'survivors';
if (out) {
  const session = new Session();
  session.connect();
  session.post(heap ? 'HeapProfiler.enable' : 'Profiler.enable');
  process.on('SIGUSR2', () => {
    if (heap) {
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: kind === 'heap',
      });
    } else {
      session.post('Profiler.start');
    }
  });
  // A same-thread inspector session answers synchronously, so this works in an 'exit' listener.
  process.on('exit', () => {
    session.post(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop', (err, result) => {
      if (!err) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
