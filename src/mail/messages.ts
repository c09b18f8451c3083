// The mails Quire sends, as plain text plus simple HTML. Every value is escaped in the HTML, and
// the subject is kept to one line whatever a site title holds. Use: sendMail(db, { to, ...resetMail(…) }).
import { html, type Html } from '../core/html.js';
import type { MailMessage } from './outbox.js';

export type MailContent = Omit<MailMessage, 'to'>;

/** A title fit for a subject line: whitespace runs (newlines too) become one space, and it stays short. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** Links come from the site's own address; anything but http(s) is a caller's mistake, never put in an href. */
function checkLink(link: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(link)) throw new Error(`a mail link must be an http(s) URL, not ${JSON.stringify(link.slice(0, 80))}`);
  return link;
}

const withArticle = (role: string) => `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}`;

function page(title: string, body: Html): string {
  return html`<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
${body}
</body></html>
`.toString();
}

const button = (link: string, label: string) => html`<p><a href="${checkLink(link)}">${label}</a></p>
<p style="color: #666; font-size: 90%">Or paste this address into your browser: ${link}</p>`;

export function resetMail(siteTitle: string, link: string): MailContent {
  const site = oneLine(siteTitle);
  return {
    subject: `Reset your password on ${site}`,
    text: `Someone asked to reset the password of your account on ${site}.\n\n`
      + `To choose a new password, open this link:\n${link}\n\n`
      + 'The link works once and expires soon. If you did not ask for it, ignore this mail: your password stays as it is.\n',
    html: page(site, html`<p>Someone asked to reset the password of your account on ${site}.</p>
${button(link, 'Choose a new password')}
<p>The link works once and expires soon. If you did not ask for it, ignore this mail: your password stays as it is.</p>`),
  };
}

export function inviteMail(siteTitle: string, link: string, role: string): MailContent {
  const site = oneLine(siteTitle);
  return {
    subject: `You are invited to ${site}`,
    text: `You are invited to join ${site} as ${withArticle(role)}.\n\n`
      + `To create your account, open this link:\n${link}\n\n`
      + 'The link works once and expires.\n',
    html: page(site, html`<p>You are invited to join ${site} as ${withArticle(role)}.</p>
${button(link, 'Create your account')}
<p>The link works once and expires.</p>`),
  };
}

export function heldCommentMail(siteTitle: string, articleTitle: string, link: string): MailContent {
  const site = oneLine(siteTitle);
  const article = oneLine(articleTitle);
  return {
    subject: `A comment on "${article}" awaits moderation`,
    text: `A new comment on your article "${article}" on ${site} was held for moderation.\n\n`
      + `Approve it, or mark it as spam, here:\n${link}\n`,
    html: page(site, html`<p>A new comment on your article “${article}” on ${site} was held for moderation.</p>
${button(link, 'Review the comment')}`),
  };
}
