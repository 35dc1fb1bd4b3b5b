export const PACKAGE_NAME = '@sightline/local';
