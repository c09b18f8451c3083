// API tokens: HS256 JWTs (jose) whose subject is the user's public id.
import { SignJWT, jwtVerify } from 'jose';

export interface TokenSigner {
  sign(publicId: string): Promise<string>;
  /** The public id the token was issued to, or null when it is invalid or expired. */
  verify(token: string): Promise<string | null>;
}

export function createTokenSigner(secret: string, ttl: string): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (publicId) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(publicId)
        .setIssuedAt().setExpirationTime(ttl).sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        return typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
