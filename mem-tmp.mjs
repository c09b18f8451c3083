const gc = globalThis.gc; gc(); const base = process.memoryUsage();
const mods = process.argv.slice(2);
for (const m of mods) { const b = process.memoryUsage(); await import(m); gc(); const a = process.memoryUsage(); console.log(m.padEnd(22), 'heap +', ((a.heapUsed-b.heapUsed)/1e6).toFixed(1), 'rss +', ((a.rss-b.rss)/1e6).toFixed(1)); }
