// PM2 process file for the thrum device daemon:   pm2 start ecosystem.config.js && pm2 save
//
// ES module (the package is "type": "module"): PM2 require()s this file, which works on Node >= 20.19 and
// >= 22.12. On older Node copy it to ecosystem.config.cjs and write `module.exports = { apps }` instead.
//
// The daemon calls process.send('ready') once the model, the outbox and the serial source are up
// (wait_ready), and on SIGINT finishes in-flight windows and publishes within shutdown.deadlineMs (5 s by
// default) before it exits; kill_timeout leaves it more than that. Exit code 2 means a bad config or
// bundle: restarting would not help, so PM2 does not (stop_exit_codes).
//
// Where the device package is installed (install.sh from `thrum pack` / `thrum deploy`) PM2 runs it:
// /opt/thrum/current/lib/thrum.mjs, with the state directory as the working directory. The outbox belongs
// in /var/lib/thrum/outbox.db (kept across upgrades), as with systemd: install.sh's /etc/thrum/thrum.yaml
// says so; a config without outbox.path would put it next to itself, in /etc/thrum. In a clone without the
// package PM2 runs the clone's bin/thrum.js.
import { existsSync } from 'node:fs';

const packaged = '/opt/thrum/current/lib/thrum.mjs';
const installed = existsSync(packaged);

export const apps = [
  {
    name: 'thrum',
    script: installed ? packaged : 'bin/thrum.js',
    args: 'run --config /etc/thrum/thrum.yaml',
    cwd: installed ? '/var/lib/thrum' : import.meta.dirname,
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    wait_ready: true,
    // Loading ONNX Runtime and measuring both model variants (variant: auto) takes a few seconds on a Pi.
    listen_timeout: 30_000,
    kill_timeout: 8000,
    stop_exit_codes: [2],
    // A crash loop backs off: 1 s, 1.5 s, 2.25 s ... up to 15 s; reset after 30 s of uptime.
    exp_backoff_restart_delay: 1000,
    min_uptime: 30_000,
    max_memory_restart: '350M',
    // Measured by `thrum bench`: a 1 MiB young generation and two malloc arenas keep RSS flat near 118 MiB
    // (165 MiB with Node's defaults during a fast replay) at no measurable throughput cost.
    node_args: '--max-semi-space-size=1',
    env: {
      NODE_ENV: 'production',
      MALLOC_ARENA_MAX: '2',
      // THRUM_MQTT_PASSWORD: set it here or with `pm2 set`, or use mqtt.passwordFile in thrum.yaml.
    },
    // pino already writes JSON lines with an ISO time.
    time: false,
    merge_logs: true,
  },
];
