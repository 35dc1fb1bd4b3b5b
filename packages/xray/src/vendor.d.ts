// The SDK's sampler modules ship without type declarations; we use two functions of the default sampler.
declare module 'aws-xray-sdk-core/dist/lib/middleware/sampling/default_sampler.js' {
  const sampler: {
    shouldSample(request: Record<string, unknown>): boolean | string | undefined;
    setLocalRules(source: Record<string, unknown>): void;
  };
  export = sampler;
}
