const MAX_SLUG_LENGTH = 40;

/**
 * A slug suggestion from an organization name: ASCII letters and digits joined by single hyphens.
 * Names with no Latin letters (e.g. 华东贸易) suggest nothing and the user types one.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
