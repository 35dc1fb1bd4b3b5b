/** Annotations and metadata as the SDK keeps them on a segment or subsegment (entityData validates first). */

export type Annotations = Record<string, string | number | boolean>;
export type Metadata = Record<string, Record<string, unknown>>;

/** `annotations[key] = value`, creating the map on first use. */
export function withAnnotation(
  annotations: Annotations | undefined,
  key: string,
  value: string | number | boolean,
): Annotations {
  const map = annotations ?? {};
  map[key] = value;
  return map;
}

/** `metadata[namespace][key] = value` (`''` for null or undefined), as the SDK's `addMetadata`. */
export function withMetadata(
  metadata: Metadata | undefined,
  key: string,
  value: unknown,
  namespace: string | undefined,
): Metadata {
  const ns = namespace || 'default';
  const map = metadata ?? {};
  if (!map[ns]) map[ns] = {};
  if (ns !== '__proto__') (map[ns] as Record<string, unknown>)[key] = value ?? '';
  return map;
}
