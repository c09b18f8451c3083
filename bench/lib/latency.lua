-- wrk's latency distribution for the bench (bench/lib/load.ts): points from the fastest request
-- (percentile 0) to the slowest (100), in µs, so slices of one load can be merged into one
-- distribution (bench/lib/paired.ts). wrk's own --latency table stops at the 99th percentile.
done = function(summary, latency, requests)
  io.write(string.format("percentile 0 %d\n", latency.min))
  for _, p in ipairs({ 1, 10, 25, 50, 75, 90, 97.5, 99, 99.9, 99.99 }) do
    io.write(string.format("percentile %g %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("percentile 100 %d\n", latency.max))
end
