export const PACKAGE_NAME = '@sightline/xray';
