// Self-signed certificates for tests of HTTPS, made with the machine's openssl.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Why the certificate tests cannot run here, for `it(name, { skip })`; `undefined` when openssl is installed. */
export function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is not installed: this test needs it to make a self-signed certificate';
  }
}

/** Writes a one-day self-signed certificate for 127.0.0.1 and its key into `dir`; returns their paths. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}
