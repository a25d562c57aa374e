/**
 * Is a destination's encryption key the authority's? FIT-Connect publishes each key with its
 * certificate chain (`x5c`), issued in the Verwaltungs-PKI. Before anything is encrypted for it,
 * the host checks with @peculiar/x509: the leaf certificate holds exactly this key and may be used
 * for key encipherment; every certificate is within its validity and signed by the next, each
 * issuer a CA allowed to sign certificates, up to one of the configured trust anchors (the V-PKI
 * root; a test CA in tests); and none is revoked, by the CRLs their distribution points name
 * (`revocation`: `require` fails closed when a CRL cannot be had, `if-reachable` goes on without
 * one, `off` skips the check). OCSP is not asked (see docs/delivery.md).
 */
import {
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
  X509Crl,
} from '@peculiar/x509';
import { DeliveryError } from './types.js';

export type RevocationPolicy = 'require' | 'if-reachable' | 'off';

const crls = new Map<string, { crl: X509Crl; until: number }>();
const MAX_CRL_BYTES = 5 * 1024 * 1024;

const same = (a: X509Certificate, b: X509Certificate) => Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
const refuse = (reason: string) => new DeliveryError(`FIT-Connect key: ${reason}`);

async function crlOf(url: string): Promise<X509Crl> {
  const cached = crls.get(url);
  if (cached && cached.until > Date.now()) return cached.crl;
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_CRL_BYTES) throw new Error('larger than 5 MB');
  const crl = new X509Crl(bytes);
  crls.set(url, { crl, until: Math.min(crl.nextUpdate?.getTime() ?? Date.now() + 3_600_000, Date.now() + 24 * 3_600_000) });
  return crl;
}

/** The CRL distribution points (http/https) a certificate names. */
function crlUrls(cert: X509Certificate): string[] {
  const ext = cert.getExtension(CRLDistributionPointsExtension);
  return (ext?.distributionPoints ?? [])
    .flatMap((point) => point.distributionPoint?.fullName ?? [])
    .map((name) => name.uniformResourceIdentifier)
    .filter((uri): uri is string => typeof uri === 'string' && /^https?:\/\//.test(uri));
}

async function checkRevocation(cert: X509Certificate, issuer: X509Certificate, policy: RevocationPolicy, now: Date) {
  if (policy === 'off') return;
  const urls = crlUrls(cert);
  const failures: string[] = [];
  for (const url of urls) {
    let crl: X509Crl;
    try {
      crl = await crlOf(url);
    } catch (err) {
      failures.push(`${url}: ${(err as Error).message}`);
      continue;
    }
    if (!(await crl.verify({ publicKey: issuer.publicKey }))) throw refuse(`the CRL at ${url} is not signed by ${issuer.subject}`);
    if (crl.nextUpdate && crl.nextUpdate < now) failures.push(`${url}: out of date since ${crl.nextUpdate.toISOString()}`);
    else if (crl.findRevoked(cert)) throw refuse(`certificate ${cert.subject} (serial ${cert.serialNumber}) is revoked`);
    else return;
  }
  if (policy === 'require')
    throw refuse(
      urls.length
        ? `no revocation list could be checked for ${cert.subject} (${failures.join('; ')})`
        : `certificate ${cert.subject} names no CRL distribution point (revocation: require)`,
    );
}

/**
 * Checks the key's certificate chain; throws a DeliveryError saying what is wrong (the delivery
 * is held with that reason and tried again later: a renewed key may mend it).
 */
export async function verifyDestinationKey(
  jwk: { n?: string; x5c?: string[] },
  anchorsPem: readonly string[],
  policy: RevocationPolicy = 'require',
  now = new Date(),
): Promise<void> {
  if (!jwk.x5c?.length) throw refuse('no certificate chain (x5c) with the key');
  let chain: X509Certificate[];
  let anchors: X509Certificate[];
  try {
    chain = jwk.x5c.map((der) => new X509Certificate(Buffer.from(der, 'base64')));
    anchors = anchorsPem.map((pem) => new X509Certificate(pem));
  } catch (err) {
    throw refuse(`a certificate cannot be read (${(err as Error).message})`);
  }
  const leaf = chain[0]!;
  const leafKey = (await globalThis.crypto.subtle.exportKey(
    'jwk',
    await leaf.publicKey.export({ name: 'RSA-OAEP', hash: 'SHA-256' }, ['encrypt']),
  )) as {
    n?: string;
  };
  if (leafKey.n !== jwk.n) throw refuse('the certificate is for another key than the one published');
  const usage = leaf.getExtension(KeyUsagesExtension);
  if (!usage || !(usage.usages & KeyUsageFlags.keyEncipherment)) throw refuse(`certificate ${leaf.subject} is not for key encipherment`);

  const candidates = [...chain.slice(1), ...anchors];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (now < current.notBefore || now > current.notAfter)
      throw refuse(`certificate ${current.subject} is not valid now (${current.notBefore.toISOString()} – ${current.notAfter.toISOString()})`);
    const anchor = anchors.find((a) => same(a, current));
    if (anchor) return;
    let issuer: X509Certificate | undefined;
    for (const candidate of candidates) {
      if (candidate.subject !== current.issuer || same(candidate, current)) continue;
      if (await current.verify({ publicKey: candidate.publicKey, signatureOnly: true })) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer)
      throw refuse(`the chain of ${current.subject} does not lead to a trusted root (issuer ${current.issuer} unknown or the signature wrong)`);
    const constraints = issuer.getExtension(BasicConstraintsExtension);
    const issuerUsage = issuer.getExtension(KeyUsagesExtension);
    if (!constraints?.ca || (issuerUsage && !(issuerUsage.usages & KeyUsageFlags.keyCertSign)))
      throw refuse(`${issuer.subject} is not a certificate authority and cannot vouch for ${current.subject}`);
    await checkRevocation(current, issuer, policy, now);
    // A trusted root is reached when the issuer is one of the anchors.
    if (anchors.some((a) => same(a, issuer!))) {
      if (now < issuer.notBefore || now > issuer.notAfter) throw refuse(`trust anchor ${issuer.subject} is not valid now`);
      return;
    }
    current = issuer;
  }
  throw refuse('the certificate chain is too long');
}
