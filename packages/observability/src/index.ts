export const PACKAGE_NAME = '@sightline/observability';
