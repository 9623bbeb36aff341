// What this package's package.json says, for `--version` and for the documentation links in help texts
// (the repository's URL, so help points at pages a user can open, not at paths in a checkout).
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('@skipinit/cli/package.json') as { version: string; repository: { url: string } };

/** The version in package.json (what `skipinit --version` prints). */
export const VERSION: string = pkg.version;

/** The repository on the web, from package.json's repository.url (git+https://host/owner/name.git). */
export const REPOSITORY_URL: string = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** The URL of a page under docs/, e.g. docsUrl('dsl.md'). */
export function docsUrl(page: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/${page}`;
}
