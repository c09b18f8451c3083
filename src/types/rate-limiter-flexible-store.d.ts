// rate-limiter-flexible's types declare RateLimiterStoreAbstract on the package, but its index does
// not export it at run time: limits/rate-limit.ts imports the file itself, typed as declared.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  import type { RateLimiterStoreAbstract } from 'rate-limiter-flexible';
  const StoreAbstract: typeof RateLimiterStoreAbstract;
  export default StoreAbstract;
}
