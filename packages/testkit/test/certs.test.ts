import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, createTestCertificates } from '../src/certs.js';

describe('createTestCertificates', () => {
  it('signs a server certificate for localhost and 127.0.0.1 with ca, not otherCa', () => {
    const certs = createTestCertificates();
    const server = new X509Certificate(certs.cert);
    const ca = new X509Certificate(certs.ca);
    const other = new X509Certificate(certs.otherCa);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.verify(other.publicKey)).toBe(false);
    expect(ca.ca).toBe(true);
    expect(other.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkPrivateKey(createPrivateKey(certs.key))).toBe(true);
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(server.validFrom).getTime()).toBeLessThan(Date.now());
  });

  it('honours hosts, and caches per host list', () => {
    const named = createTestCertificates({ hosts: ['broker.test', '::1'] });
    expect(new X509Certificate(named.cert).subjectAltName).toBe(
      'DNS:broker.test, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(createTestCertificates({ hosts: ['broker.test', '::1'] })).toBe(named);
    expect(createTestCertificates()).not.toBe(named);
  });
});

describe('createSelfSignedCertificate', () => {
  it('makes a leaf certificate that is its own issuer', () => {
    const { cert, key } = createSelfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.ca).toBe(false);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
  });
});
