import { openEngine } from '../runtime/engines/open-engine.js';
import { silentLog } from '../shared/log.js';
import { checkBundle } from './check-config.js';
import { checkModelsLoad } from './check-models.js';
import { loadConfig } from './config/load-config.js';
import { type PreflightWarning, preflight } from './config/preflight.js';
import { createLogger } from './logger.js';

// What `thrum run` and `--check-config` check beyond the config text and the bundle's hashes (device/main.ts
// does those): TLS files, the password file's mode, clear-text URLs and, for --check-config, that ONNX
// Runtime loads and runs every model the daemon will use. Throws ThrumError (exit 2) on a problem.

export async function startupChecks(
  path: string,
  opts: { loadModels: boolean },
): Promise<PreflightWarning[]> {
  const config = loadConfig(path);
  const warnings = preflight(config);
  if (opts.loadModels) {
    const { bundle, variants } = await checkBundle(config);
    const engine = await openEngine(config.model.engine, bundle, silentLog);
    await checkModelsLoad(bundle, variants, engine.factory);
  } else if (warnings.length > 0) {
    // `thrum run`: the warnings go to the daemon's log (stdout, JSON lines), where journald and PM2 look.
    const log = createLogger(config.log.level, { deviceId: config.device.id });
    for (const w of warnings) log.warn({ event: w.event }, w.message);
  }
  return warnings;
}
