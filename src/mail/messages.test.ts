// The mails Quire sends: values escaped in the HTML, subjects on one line, links only http(s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldCommentMail, inviteMail, resetMail } from './messages.js';

test('when a title holds markup, then the HTML shows it as text and the plain text keeps it', () => {
  const mail = heldCommentMail('<b>My</b> "Blog"', '<script>alert(1)</script>', 'https://blog.example.test/admin/moderation?x=1&y=2');
  assert.doesNotMatch(mail.html!, /<script>|<b>My/);
  assert.match(mail.html!, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(mail.html!, /href="https:\/\/blog\.example\.test\/admin\/moderation\?x=1&amp;y=2"/);
  assert.match(mail.text, /"<script>alert\(1\)<\/script>"/);
  assert.equal(mail.subject, 'A comment on "<script>alert(1)</script>" awaits moderation');
});

test('when a site title holds line breaks, then the subject is still one line', () => {
  const mail = resetMail('Evil\r\nBcc: all@example.test', 'https://blog.example.test/reset/t');
  assert.equal(mail.subject, 'Reset your password on Evil Bcc: all@example.test');
  assert.doesNotMatch(mail.subject, /[\r\n]/);
});

test('when a link is not http(s), then building the mail throws', () => {
  assert.throws(() => resetMail('Blog', 'javascript:alert(1)'), /http\(s\) URL/);
  assert.throws(() => inviteMail('Blog', '"><script>', 'author'), /http\(s\) URL/);
});

test('when an invite names a role, then the mail says it with the right article', () => {
  assert.match(inviteMail('Blog', 'https://b.example.test/i', 'author').text, /as an author\./);
  assert.match(inviteMail('Blog', 'https://b.example.test/i', 'contributor').text, /as a contributor\./);
});
