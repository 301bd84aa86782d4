// Test certificates made with the real openssl: a CA, a server certificate for 127.0.0.1 signed by it, a
// client certificate and key signed by it, and a second key that belongs to no certificate. For brokers with
// TLS listeners and for the TLS checks of `thrum run --check-config`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToken } from '../../scripts/process/run-token.js';

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A valid key that is not the client certificate's. */
  otherKey: string;
  remove(): void;
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), `thrum-certs-${runToken()}-`));
  const p = (name: string) => join(dir, name);
  const key = (name: string) =>
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p(name));
  key('ca.key');
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    p('ca.key'),
    '-days',
    '2',
    '-subj',
    '/CN=thrum test CA',
    '-out',
    p('ca.pem'),
  );
  const signed = (name: string, cn: string, ext: string) => {
    key(`${name}.key`);
    openssl(dir, 'req', '-new', '-key', p(`${name}.key`), '-subj', `/CN=${cn}`, '-out', p(`${name}.csr`));
    writeFileSync(p(`${name}.ext`), ext);
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      p(`${name}.ext`),
      '-out',
      p(`${name}.crt`),
    );
  };
  signed('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'pump-7', 'extendedKeyUsage=clientAuth\n');
  key('other.key');
  return {
    dir,
    ca: p('ca.pem'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    otherKey: p('other.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** mosquitto.conf lines for a TLS listener on `port` with these certificates (client certificates optional). */
export function tlsListener(port: number, certs: TestCerts): string[] {
  return [
    `listener ${port} 127.0.0.1`,
    `cafile ${certs.ca}`,
    `certfile ${certs.serverCert}`,
    `keyfile ${certs.serverKey}`,
    'require_certificate false',
  ];
}
