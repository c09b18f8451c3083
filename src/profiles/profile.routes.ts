// JSON API for profiles and follows.
import { Router } from '@koa/router';
import { requireUser } from '../core/state.js';
import type { RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { followUser, getProfile, unfollowUser, type Profile } from './profile.service.js';

/** The contract's Profile, from an explicit allow-list of fields. */
export function profileJson(p: Profile) {
  return { username: p.username, bio: p.bio, image: p.image, following: p.following };
}

export function profileRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/profiles/:username', async (ctx) => {
    ctx.body = { profile: profileJson(await getProfile(db, ctx.state.user, ctx.params.username!)) };
  });

  router.post('/profiles/:username/follow', async (ctx) => {
    ctx.body = { profile: profileJson(await followUser(db, requireUser(ctx), ctx.params.username!)) };
  });

  router.delete('/profiles/:username/follow', async (ctx) => {
    ctx.body = { profile: profileJson(await unfollowUser(db, requireUser(ctx), ctx.params.username!)) };
  });

  return router;
}
