import { readFileSync } from 'node:fs';
import type { Diagnostics } from '@sightline/core';
import type { ResolvedTracingConfig } from './options';

/** What `tls.connect` takes from the collector's TLS files: trusted CAs, a client certificate and key. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/**
 * Reads the TLS files the configuration names, once, when tracing starts (not on the first export's
 * path). A file that cannot be read is warned about and left out: exports then use Node's own CAs, or go
 * without a client certificate, and a collector that refuses them is counted like any failed export.
 * A client certificate without its key (or the reverse) is left out as a pair.
 */
export function readTlsFiles(tls: ResolvedTracingConfig['tls'], diag: Diagnostics): TlsMaterial {
  const read = (what: string, path: string | undefined): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      diag.warn(
        `could not read the ${what} file ${path} (${(error as Error).message}); exporting without it`,
      );
      return undefined;
    }
  };
  const material: TlsMaterial = {};
  const ca = read('OTLP certificate', tls.certificate);
  if (ca !== undefined) material.ca = ca;
  const cert = read('OTLP client certificate', tls.clientCertificate);
  const key = read('OTLP client key', tls.clientKey);
  if (cert !== undefined && key !== undefined) {
    material.cert = cert;
    material.key = key;
  } else if (cert !== undefined || key !== undefined) {
    diag.warn(
      'an OTLP client certificate needs its key and the key its certificate; exporting without either',
    );
  }
  return material;
}
