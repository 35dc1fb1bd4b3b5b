import { initObservability } from '@sightline/observability';
import Fastify from 'fastify';

const obs = initObservability({ serviceName: 'backend-fastify' });

const app = Fastify();
await app.register(obs.fastify); // hooks for every route: segment, route names, access log, errors

app.get('/api/message_groups', async () =>
  obs.span('message-groups', async (span) => {
    span.addAnnotation('user', 'andrewbrown'); // an indexed X-Ray annotation, also an OTel attribute
    return [{ uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552', handle: 'andrewbrown' }];
  }),
);

await app.listen({ port: 4567, host: '0.0.0.0' });
