export const PACKAGE_NAME = '@sightline/core';
