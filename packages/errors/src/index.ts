export const PACKAGE_NAME = '@sightline/errors';
