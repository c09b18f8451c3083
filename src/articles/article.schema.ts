// Input rules for articles and the article list's query parameters.
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

// A comment lives in a MySQL TEXT column (65,535 bytes): 16,000 characters of up to 4 bytes each fit.

export const listQuery = z.object({
  // Read as a stored tag is written, so ?tag= finds a tag whose control characters were dropped.
  tag: text().overwrite(withoutLineControls).max(64).optional(),
  author: text().max(64).optional(),
  favorited: text().max(64).optional(),
  q: text().max(200, 'is too long (maximum is 200 characters)').optional(),
});

export type CreateArticleInput = z.infer<typeof createArticleInput>;
export type UpdateArticleInput = z.infer<typeof updateArticleInput>;
