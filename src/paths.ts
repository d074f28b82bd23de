import { basename, dirname, resolve } from 'node:path';

/** Where the code runs from: the package root under tsx/jest, `<root>/dist` in the compiled build. */
export const CODE_ROOT = resolve(__dirname, '..');

/** The package root: package.json, serverless.yml, statemachines/, samples/, governance.yml. */
export const PACKAGE_ROOT = basename(CODE_ROOT) === 'dist' ? dirname(CODE_ROOT) : CODE_ROOT;
