// The main job. Until the Cruddur example lands this starts @sightline/local and prints where it listens.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function runDemo({ root }) {
  const local = await import(pathToFileURL(join(root, 'packages/local/dist/index.js')).href);
  console.log(`@sightline/local: ${local.PACKAGE_NAME}`);
  return 0;
}
