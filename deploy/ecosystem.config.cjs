// pm2's description of Quire in production: one worker per core in cluster mode, all sharing the
// port, each started only when it says it can serve. Used by `npm run cluster` / `npm run reload`
// (the local pm2 in node_modules, never a global one); docs/deploy.md explains the day-to-day commands.
//
// This file is read by the pm2 client when you run a command, so the environment of that shell
// decides the number of workers, the log directory and the timeouts below, and is handed to the
// workers (DATABASE_URL, REDIS_URL, QUIRE_SECRET, PORT, ...). pm2 hands them over once a worker has
// started, too late for what the C library reads at start (the MALLOC_ settings in deploy/runtime.cjs):
// that must be in the pm2 daemon's own environment (docs/deploy.md, "Memory").
const os = require('node:os');
const path = require('node:path');
const runtime = require('./runtime.cjs');

const root = path.resolve(__dirname, '..');
const logDir = path.resolve(root, process.env.LOG_DIR || 'logs');
// The app's drain budget (config.ts: SHUTDOWN_TIMEOUT_MS); pm2 must wait longer than that.
const shutdownMs = Number(process.env.SHUTDOWN_TIMEOUT_MS) || 10_000;

module.exports = {
  apps: [
    {
      name: process.env.QUIRE_PM2_NAME || 'quire',
      cwd: root,
      script: 'dist/bin/www.js',
      exec_mode: 'cluster',
      instances: Number(process.env.QUIRE_WORKERS) || os.availableParallelism?.() || os.cpus().length,
      // bin/www sends process.send('ready') once the database answers and the port is open;
      // a reload replaces a worker only after its successor is ready.
      wait_ready: true,
      listen_timeout: Math.max(30_000, shutdownMs + 5_000),
      // SIGINT, then this long to drain before SIGKILL: more than the app's own deadline.
      kill_timeout: shutdownMs + 5_000,
      // V8 heap limits (deploy/runtime.cjs, shared with the bench's one-process rows).
      node_args: runtime.nodeArgs.join(' '),
      // A worker that leaks is restarted (gracefully) before it hurts its neighbours.
      max_memory_restart: process.env.QUIRE_MAX_MEMORY || '512M',
      // Crash loops back off instead of spinning: 100 ms, 150 ms, ... up to 15 s.
      exp_backoff_restart_delay: 100,
      // stdout/stderr of every worker, merged; the app's own access and error logs sit beside them.
      out_file: path.join(logDir, 'pm2-out.log'),
      error_file: path.join(logDir, 'pm2-error.log'),
      merge_logs: true,
      // The sources change only through `npm run build`; never restart on file changes in production.
      watch: false,
      // pm2's in-process agent (@pm2/io), which adds heap and event-loop metrics to `pm2 monit`, costs
      // each worker ~3–4 MB at rest: off unless QUIRE_PM2_METRICS=on. pm2 still shows each worker's CPU,
      // memory, restarts and logs, and max_memory_restart still works (the daemon measures those).
      pmx: process.env.QUIRE_PM2_METRICS === 'on',
      env: {
        NODE_ENV: 'development',
        LOG_DIR: logDir,
      },
      env_production: {
        NODE_ENV: 'production',
        LOG_DIR: logDir,
      },
    },
  ],
};
