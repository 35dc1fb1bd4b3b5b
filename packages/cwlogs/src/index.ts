export const PACKAGE_NAME = '@sightline/cwlogs';
