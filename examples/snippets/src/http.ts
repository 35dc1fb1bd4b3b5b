import { createServer } from 'node:http';
import { initObservability } from '@sightline/observability';

const obs = initObservability({ serviceName: 'plain-http' });

const server = createServer(
  obs.http((req, res) => {
    obs.logger.info('%s %s', req.method, req.url, { user: 'andrewbrown' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, ver: 1 }));
  }),
);
server.listen(4567);
