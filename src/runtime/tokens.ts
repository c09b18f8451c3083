// API tokens: HS256 JWTs (jose) whose subject is the user's public id.
import { SignJWT, jwtVerify } from 'jose';

export interface TokenSigner {
  sign(publicId: string): Promise<string>;
  /** The public id the token was issued to, or null when it is invalid or expired. */
  verify(token: string): Promise<string | null>;
}

export function createTokenSigner(secret: string, ttl: string): TokenSigner {
  // One WebCrypto key for every token: given the secret's bytes instead, jose imports them anew on
  // every sign and verify (docs/decisions/20-token-key.md).
  // Made at the first token, not at boot: a worker that only serves readers never loads WebCrypto.
  let made: Promise<CryptoKey> | undefined;
  const key = () => (made ??= crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  return {
    sign: async (publicId) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(publicId)
        .setIssuedAt().setExpirationTime(ttl).sign(await key()),
    async verify(token) {
      try {
        // Every token we sign has both: one without an expiry would never end, one without a
        // subject names nobody, so either was not made by sign() and is refused.
        const { payload } = await jwtVerify(token, await key(), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
        return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
