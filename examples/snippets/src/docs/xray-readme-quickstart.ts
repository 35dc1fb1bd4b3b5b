// packages/xray/README.md
import type { Request } from 'express';

// What the quoted code refers to (type-checked stand-ins): the incoming request, the route's work.
declare const req: Request;
const HomeActivities = { run: async () => [{ uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee' }] };

import { createXRay, resolveXRayConfig } from '@sightline/xray';

const { config } = resolveXRayConfig(
  { serviceName: 'backend-flask', samplingRules: 'aws/json/xray.json' },
  process.env,
);
const xray = createXRay(config);
const seg = xray.openRequestSegment({ method: 'GET', url: '/api/activities/home', headers: req.headers });
await seg.run(() => xray.subsegment('activities_home', () => HomeActivities.run()));
seg.close({ statusCode: 200 });
await xray.shutdown();
