import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { quotePath } from '../../shared/printable.js';
import { isPlaintextUrl } from './broker-url.js';
import type { Config } from './load-config.js';
import { checkTlsFiles } from './tls-files.js';

// Start-up checks on a loaded config that need more than its text: the TLS files parsed, the password
// file's mode, TLS files next to a clear-text URL. Called by `thrum run` and `--check-config` alike, before
// anything opens. Problems throw BAD_CONFIG (exit 2); doubts come back as warnings, each with a stable
// `event` for the log line it becomes.

export interface PreflightWarning {
  event: string;
  message: string;
}

export function preflight(config: Config): PreflightWarning[] {
  const { mqtt } = config;
  const warnings: PreflightWarning[] = [];
  const tlsKeys = (['ca', 'cert', 'key'] as const).filter((k) => mqtt[k] !== undefined);
  if (tlsKeys.length > 0 && isPlaintextUrl(mqtt.url)) {
    const scheme = mqtt.url.slice(0, mqtt.url.indexOf(':'));
    const secure = scheme === 'ws' ? 'wss://' : 'mqtts://';
    const keys = tlsKeys.map((k) => `mqtt.${k}`).join(', ');
    if (mqtt.password !== undefined) {
      throw new ThrumError(
        'BAD_CONFIG',
        `${basename(config.file)}: mqtt.url: ${scheme}:// has no TLS, so the MQTT password would cross the network in clear although ${keys} ${tlsKeys.length > 1 ? 'are' : 'is'} set; use ${secure} (port 8883 for mqtts); see docs/config.md`,
      );
    }
    warnings.push({
      event: 'config.tls-without-tls-url',
      message: `mqtt.url is ${scheme}:// (no TLS) although ${keys} ${tlsKeys.length > 1 ? 'are' : 'is'} set: use ${secure} to encrypt the connection`,
    });
  }
  if (mqtt.passwordFile !== undefined) {
    const mode = statSync(mqtt.passwordFile, { throwIfNoEntry: false })?.mode;
    // Group read is the packaged layout (root:thrum 640: the daemon reads it and cannot change it); others
    // reading it, or anyone but the owner changing it, is not.
    if (mode !== undefined && (mode & 0o027) !== 0) {
      warnings.push({
        event: 'config.password-file-mode',
        message: `mqtt.passwordFile ${quotePath(mqtt.passwordFile)} can be read by others or changed by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): chmod 600 ${quotePath(mqtt.passwordFile)}`,
      });
    }
  }
  warnings.push(...checkTlsFiles(config));
  return warnings;
}
