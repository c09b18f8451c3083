// negotiator 1.x ships no types; @types/negotiator describes 0.6, without the preferred option.
declare module 'negotiator' {
  import type { IncomingHttpHeaders } from 'node:http';

  export default class Negotiator {
    constructor(request: { headers: IncomingHttpHeaders });
    /** The best of available by the Accept-Encoding header; ties go to the earlier in options.preferred. */
    encoding(available?: string[], options?: { preferred?: string[] }): string | undefined;
  }
}
