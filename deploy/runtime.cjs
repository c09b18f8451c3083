// How a production worker's Node process is started: read by ecosystem.config.cjs (pm2) and by the
// bench's one-process rows, so both measure and run the same thing. Figures: a helper's runs of 10 s
// at 50 connections on the seeded 10 000-article site, 2026-11-25 (bench/README.md).
module.exports = {
  nodeArgs: [
    // A young generation of 8 MB instead of V8's 16: peak RSS about 25 MB lower per worker; cached
    // reads cost the same, uncached ones ~2.5% more CPU (more, smaller scavenges).
    '--max-semi-space-size=8',
    // Without a cap V8 sizes the old generation for a 4 GB heap and lets 50–60 MB of garbage sit
    // after a burst of writes. The live heap is 22–26 MB, so 128 MB leaves about 5× headroom; cache
    // bodies are Buffers, outside this limit. Cost: ~0.6% more CPU in full collections under writes.
    '--max-old-space-size=128',
    // `gc`, for one thing only: once ready, src/runtime/heap.ts gives back the young generation boot
    // grew (~14 MB), which V8 would otherwise keep for 8–25 s.
    '--expose-gc',
    // One V8 helper thread instead of four (concurrent marking, sweeping and compiling). Each thread
    // keeps a malloc arena of its own: an idle worker held 3–4 MB less. On two cores shared by the
    // main thread, the thread pool and the other workers, cached reads ran no slower (A/B, wrk,
    // 3 rounds: 16.6–17.7k → 18.1–18.2k req/s) and uncached ones within the machine's noise.
    '--v8-pool-size=1',
  ],
  env: {
    // glibc raises its mmap threshold to 16 MB after the first scrypt (password hash) buffer is
    // freed, and from then on every thread-pool thread keeps a 16 MB buffer: +64 MB after a few
    // sign-ins. A fixed threshold returns them to the system. It must be in the environment the
    // process starts with (glibc reads it once): for pm2, the daemon's (see docs/deploy.md).
    MALLOC_MMAP_THRESHOLD_: '131072',
    // Setting it also fixes glibc's trim threshold at 128 KB: alone, every response the app gzips
    // (~256 KB of zlib state, freed after each one) was handed back to the system and faulted in
    // again, and gzipped uncached responses ran at about half the req/s. A 1 MB top pad keeps that
    // much free at the top of each malloc arena instead: the speed of glibc's defaults came back
    // (within noise, A/B of 2026-11-26 in bench/README.md), and RSS after sign-ins stayed ~95 MB.
    // (MALLOC_TRIM_THRESHOLD_=8388608 also restored the speed, but peaks rose to 193–210 MB.)
    MALLOC_TOP_PAD_: '1048576',
  },
};
