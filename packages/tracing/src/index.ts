export const PACKAGE_NAME = '@sightline/tracing';
