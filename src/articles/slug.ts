// Slugs: kebab-case from the title, ASCII only, with a short random suffix when one is taken.
import { randomBytes } from 'node:crypto';

export function slugify(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return base || 'article';
}

export function withSuffix(slug: string): string {
  return `${slug}-${randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(0, 6)}`;
}
