// Input rules for articles and the article list's query parameters, and the editor's fields as the
// HTML form holds them (so a new field is added here, not in the page that shows the form).
import { z } from 'zod';
import { requiredLine, requiredText, text, withoutLineControls } from '../core/validation.js';

const tagList = z.array(requiredLine(64), { error: 'must be a list of tags' })
  .max(20, 'may hold at most 20 tags')
  .transform((tags) => [...new Set(tags)]);

export const createArticleInput = z.object({
  title: requiredLine(255),
  description: requiredText(1000),
  body: requiredText(200_000),
  tagList: tagList.optional(),
});

export const updateArticleInput = z.object({
  title: requiredLine(255).optional(),
  description: requiredText(1000).optional(),
  body: requiredText(200_000).optional(),
  tagList: tagList.optional(),
});

export const listQuery = z.object({
  // Read as a stored tag is written, so ?tag= finds a tag whose control characters were dropped.
  tag: text().overwrite(withoutLineControls).max(64).optional(),
  author: text().max(64).optional(),
  favorited: text().max(64).optional(),
  q: text().max(200, 'is too long (maximum is 200 characters)').optional(),
});

export type CreateArticleInput = z.infer<typeof createArticleInput>;
export type UpdateArticleInput = z.infer<typeof updateArticleInput>;

/** The editor's form: every field as the text its input holds (the tags joined with commas). */
export interface EditorFields { title: string; description: string; body: string; tags: string }

/** "koa, node ,web" → ["koa", "node", "web"]: tags are separated by commas. */
const splitTags = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);

/** The editor's fields from a posted form; a field the form lacks is empty. */
export function editorFieldsFrom(form: Record<string, string | undefined>): EditorFields {
  return { title: form.title ?? '', description: form.description ?? '', body: form.body ?? '', tags: form.tags ?? '' };
}

/** An article as the editor shows it. */
export function editorFieldsOf(article: { title: string; description: string; body: string; tagList: string[] }): EditorFields {
  return { title: article.title, description: article.description, body: article.body, tags: article.tagList.join(', ') };
}

/** What the editor submits, in the shape createArticleInput and updateArticleInput read. */
export function articleInputFrom(fields: EditorFields) {
  return { title: fields.title, description: fields.description, body: fields.body, tagList: splitTags(fields.tags) };
}
