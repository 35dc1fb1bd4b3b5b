// docs/xray.md, "Use".
import type { Request, Response } from 'express';

// What the quoted code refers to (type-checked stand-ins): a request in flight, its response, the route handler.
declare const req: Request;
declare const res: Response;
declare function handler(req: Request, res: Response): Promise<void>;
const HomeActivities = {
  run: () => [{ uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee', handle: 'andrewbrown' }],
};
const now = new Date();
const results = HomeActivities.run();

import { createXRay, resolveXRayConfig } from '@sightline/xray';

const { config, problems, warnings } = resolveXRayConfig({ serviceName: 'backend-flask' }, process.env);
const xray = createXRay(config);

// per request (the facade's framework adapters do this for you)
const seg = xray.openRequestSegment({
  method: req.method,
  url: req.url,
  headers: req.headers,
  remoteAddress: req.socket.remoteAddress,
});
res.setHeader('x-amzn-trace-id', seg.traceHeader);
seg.bind(req, res); // the request's later events ('data', 'end' of a body) run with the segment current
await seg.run(() => handler(req, res));
seg.close({ statusCode: res.statusCode, contentLength: Number(res.getHeader('content-length')) });

// in handlers: the Python SDK's @xray_recorder.capture('activities_home')
const home = xray.capture('activities_home', () => HomeActivities.run());

// a subsegment with metadata, as Cruddur's user-activities service does
xray.subsegment('mock-data', () => results, {
  metadata: { key: { now: now.toISOString(), 'results-size': results.length } },
  namespace: 'namespace',
});
xray.addAnnotation('handle', 'andrewbrown'); // indexed: string, number or boolean
xray.addMetadata('request', { path: req.url }, 'cruddur');

await xray.shutdown(5000); // { sent, dropped: { reason: n }, pending }

// What the resolver found: invalid options (the facade throws them) and invalid variables (warned).
for (const problem of problems) console.error(`${problem.path}: expected ${problem.expected}`);
for (const warning of warnings) console.warn(warning.message);
console.log(home());
