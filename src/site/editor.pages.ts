// HTML pages for writing: the editor (new and edit, with a server-side preview) and deleting an
// article after a confirmation page. Same services and validation as the JSON API.
import { Router } from '@koa/router';
import { AppError, type FieldErrors } from '../core/errors.js';
import { fieldErrorsOf, formBody, userOrLogin } from './forms.js';
import { renderMarkdown } from '../articles/markdown.js';
import type { Renderer } from './render.js';
import { setFlash } from '../sessions/session.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseInput } from '../core/validation.js';
import {
  articleInputFrom, createArticleInput, editorFieldsFrom, editorFieldsOf, updateArticleInput, type EditorFields,
} from '../articles/article.schema.js';
import { articleUrl } from './article.pages.js';
import * as articles from '../articles/article.service.js';

const previewInput = createArticleInput.pick({ body: true });

function renderEditor(ctx: AppContext, view: Renderer, vars: { form: EditorFields; slug?: string; errors?: FieldErrors; preview?: string }, status = 200) {
  const title = vars.slug ? `Edit “${vars.form.title}”` : 'New article';
  view.page(ctx, 'articles/editor', { title, description: 'Write an article in markdown.', errors: {}, ...vars }, status);
}

export function editorPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.get('/editor', (ctx) => {
    if (userOrLogin(ctx)) renderEditor(ctx, view, { form: editorFieldsFrom({}) });
  });

  router.get('/editor/:slug', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const article = await articles.getOwnArticle(db, user, ctx.params.slug!);
    renderEditor(ctx, view, { slug: article.slug, form: editorFieldsOf(article) });
  });

  // The preview renders what saving would, within the same limits (length, structure, time), storing nothing.
  async function preview(ctx: AppContext, form: EditorFields, slug?: string) {
    try {
      const { body } = parseInput(previewInput, { body: form.body }, 'article');
      renderEditor(ctx, view, { form, slug, preview: await renderMarkdown(body) });
    } catch (err) {
      // A new article refused for who is writing (a contributor publishing): the text stays in the form, with why.
      if (!slug && err instanceof AppError && err.code === 'forbidden' && err.errors.article) return renderEditor(ctx, view, { form, slug, errors: err.errors }, 403);
      renderEditor(ctx, view, { form, slug, errors: fieldErrorsOf(err) }, 422);
    }
  }

  async function save(ctx: AppContext, slug?: string) {
    const user = userOrLogin(ctx);
    if (!user) return;
    const posted = formBody(ctx);
    const form = editorFieldsFrom(posted);
    if (posted.action === 'preview') return preview(ctx, form, slug);
    const raw = articleInputFrom(form);
    try {
      const article = slug
        ? await articles.updateArticle(db, user, slug, parseInput(updateArticleInput, raw, 'article'))
        : await articles.createArticle(db, user, parseInput(createArticleInput, raw, 'article'));
      setFlash(ctx, 'success', slug ? 'Article updated.' : 'Article published.');
      ctx.redirect(articleUrl(article.slug));
    } catch (err) {
      // A new article refused for who is writing (a contributor publishing): the text stays in the form, with why.
      if (!slug && err instanceof AppError && err.code === 'forbidden' && err.errors.article) return renderEditor(ctx, view, { form, slug, errors: err.errors }, 403);
      renderEditor(ctx, view, { form, slug, errors: fieldErrorsOf(err) }, 422);
    }
  }

  router.post('/editor', (ctx) => save(ctx));
  router.post('/editor/:slug', (ctx) => save(ctx, ctx.params.slug!));

  router.get('/editor/:slug/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const article = await articles.getOwnArticle(db, user, ctx.params.slug!);
    view.page(ctx, 'articles/delete', { title: `Delete “${article.title}”?`, description: 'Confirm deleting an article.', article });
  });

  router.post('/editor/:slug/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    await articles.deleteArticle(db, user, ctx.params.slug!);
    setFlash(ctx, 'success', 'Article deleted.');
    ctx.redirect(`/@${encodeURIComponent(user.username)}`);
  });

  return router;
}
