import { isIP } from 'node:net';
import forge from 'node-forge';

export interface TestCertificates {
  /** The CA that signed `cert` (PEM): pass as `tls.ca` to trust the server. */
  readonly ca: string;
  /** Server certificate for `hosts` (PEM), signed by `ca`. */
  readonly cert: string;
  /** Server private key (PEM). */
  readonly key: string;
  /** A CA unrelated to `cert` (PEM): trusting only it must fail verification. */
  readonly otherCa: string;
}

export interface CreateTestCertificatesOptions {
  /** Names and IP literals the server certificate is valid for. Default `['localhost', '127.0.0.1']`. */
  hosts?: readonly string[];
}

const cache = new Map<string, TestCertificates>();
let caKeysCache: { ca: forge.pki.rsa.KeyPair; other: forge.pki.rsa.KeyPair } | undefined;

/**
 * A CA, a server certificate signed by it and an unrelated CA, made with node-forge (no
 * `openssl` binary). Keys are RSA 2048 generated through Node's native crypto; results are
 * cached per process and per host list, so each test file pays for key generation once.
 */
export function createTestCertificates(
  options: CreateTestCertificatesOptions = {},
): TestCertificates {
  const hosts = [...(options.hosts ?? ['localhost', '127.0.0.1'])];
  const cacheKey = hosts.join(',');
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  caKeysCache ??= { ca: generateKeys(), other: generateKeys() };
  const caCert = selfSignedCa('mqttkit test CA', caKeysCache.ca);
  const otherCaCert = selfSignedCa('mqttkit unrelated test CA', caKeysCache.other);

  const serverKeys = generateKeys();
  const server = forge.pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = serial();
  setValidity(server);
  server.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  server.setIssuer(caCert.subject.attributes);
  server.setExtensions(serverExtensions(hosts));
  server.sign(caKeysCache.ca.privateKey, forge.md.sha256.create());

  const result: TestCertificates = {
    ca: forge.pki.certificateToPem(caCert),
    cert: forge.pki.certificateToPem(server),
    key: forge.pki.privateKeyToPem(serverKeys.privateKey),
    otherCa: forge.pki.certificateToPem(otherCaCert),
  };
  cache.set(cacheKey, result);
  return result;
}

/**
 * A server certificate that signs itself (no CA): what a broker set up with a quick
 * `openssl req -x509` presents. Clients must reject it unless told to trust it.
 */
export function createSelfSignedCertificate(options: CreateTestCertificatesOptions = {}): {
  cert: string;
  key: string;
} {
  const hosts = [...(options.hosts ?? ['localhost', '127.0.0.1'])];
  const keys = generateKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  setValidity(cert);
  const subject = [{ name: 'commonName', value: hosts[0] ?? 'localhost' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions(serverExtensions(hosts));
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

function serverExtensions(hosts: readonly string[]) {
  return [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      // type 2 = dNSName, type 7 = iPAddress (RFC 5280 section 4.2.1.6).
      altNames: hosts.map((host) =>
        isIP(host) ? { type: 7, ip: host } : { type: 2, value: host },
      ),
    },
  ];
}

function generateKeys(): forge.pki.rsa.KeyPair {
  // Without a seeded PRNG, forge delegates to Node's crypto.generateKeyPairSync (milliseconds).
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

function selfSignedCa(commonName: string, keys: forge.pki.rsa.KeyPair): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  setValidity(cert);
  const subject = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'mqttkit tests' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return cert;
}

function setValidity(cert: forge.pki.Certificate): void {
  const now = Date.now();
  // A day of slack either side keeps clock skew between test machines harmless.
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now + 30 * 24 * 3600 * 1000);
}

function serial(): string {
  // Positive (leading nibble below 8) and unique enough for certificates living one test run.
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}
