/**
 * Root certificates in the trust stores that ship inside a runtime and
 * change only when the runtime is updated: Java's cacerts (per update
 * release) and Android's system CA store (per platform release; before
 * Android 14 only an OS update changes it). A client on such a runtime
 * cannot validate a chain whose root its store lacks, whatever today's
 * root stores say: "PKIX path building failed" (Java), "Trust anchor for
 * certification path not found" (Android).
 *
 * Two kinds of fact, each with its source:
 * - a root's first release per runtime line (ROOT_FACTS), from the CA's or
 *   the vendor's documentation;
 * - the release date of the newest runtime release a client profile covers
 *   (RuntimeTrustStore.frozenAt): a root whose certificate was made later
 *   cannot be in that store. (A root re-issued later under an older key could
 *   be there under its older certificate, and the rule would claim too much:
 *   a known limit, which is why it covers only closed Java ranges.)
 * Anything else is unknown and claims nothing.
 */

export interface RootSource {
  title: string;
  url: string;
}

/** The store a client profile carries (registry/clients: ClientProfile.trustStore). */
export type RuntimeTrustStore =
  | {
    family: 'java';
    /** Java line (6, 7, 8, 11 ...) and the range of updates the profile covers; `toUpdate` null: later updates too. */
    line: number;
    fromUpdate: number;
    toUpdate: number | null;
    /** Release date (YYYY-MM-DD) of the newest update covered, when the range is closed. */
    frozenAt?: string;
    /** How the release is named in text: "7u80", "8u181-8u251". */
    label: string;
    sources: RootSource[];
  }
  | {
    family: 'android';
    /** API level of the platform release. */
    api: number;
    label: string;
    frozenAt?: string;
    sources: RootSource[];
  };

export interface RootFact {
  /** The subject CN, e.g. "ISRG Root X1". */
  name: string;
  /** base64 SHA-256 of the root's SubjectPublicKeyInfo: the key, whichever certificate carries it. */
  spkiSha256: string;
  /**
   * Java: the first update of each line whose cacerts holds the root, and the
   * first line that holds it from its first release on.
   */
  java?: { updates: Partial<Record<number, number>>; fromLine?: number; sources: RootSource[] };
  /** Android: the first platform release (API level) whose system store holds the root. */
  android?: { api: number; version: string; sources: RootSource[] };
}

const LE_COMPAT: RootSource = {
  title: "Let's Encrypt: Certificate Compatibility (platforms that trust ISRG Root X1)",
  url: 'https://letsencrypt.org/docs/certificate-compatibility/',
};

const LE_COMPAT_2025: RootSource = {
  title: "Let's Encrypt: Certificate Compatibility (ISRG Root X2: Java 8u401, 11.0.22, 17.0.10, 21.0.2; Android 14)",
  url: 'https://letsencrypt.org/docs/certificate-compatibility/',
};
const JDK_8U381: RootSource = {
  title: 'Java SE 8u381 release notes: JDK-8307134 (4 GTS root CA certificates added), JDK-8304760 (Microsoft Corporation\'s 2 TLS root CA certificates added)',
  url: 'https://www.oracle.com/java/technologies/javase/8u381-relnotes.html',
};

// Google Trust Services' four roots, R1-R4 (SPKI SHA-256 of the certificates in Node's bundled store).
const GTS_SPKI = ['hxqRlPTu1bMS/0DITB1SSu0vd4u/8l8TjPgfaAp63Gc=', 'Vfd95BwDeSQo+NUYxVEEIlvkOlWY2SalKK1lPhzOx78=',
  'QXnt2YHvdHR3tJYmQIr0Paosp6t/nggsEGD4QJZ3Q0g=', 'mEflZT5enoR1FuXLgYYGqnVEoZvmf9c2bVBpiOjYQ0c='];

// Roots added to OpenJDK's cacerts (src/java.base/share/data/cacerts) by one change each, then
// backported to the update lines. An update line's first release holding the root is taken only
// where a source names it: the backport's own words ("for parity with 17.0.10-oracle", Oracle's
// release of the same number and date) or a vendor's release notes listing the change. The first
// feature release holding it is the one whose development line took the change before it branched.
const JDK_21_GTS: RootSource = { title: 'openjdk/jdk PR 13754, JDK-8307134 "Add GTS root CAs" (integrated 2023-05-03, before JDK 21 branched)', url: 'https://github.com/openjdk/jdk/pull/13754' };
const JDK_21_MICROSOFT: RootSource = { title: 'openjdk/jdk PR 13726, JDK-8304760 "Add 2 Microsoft TLS roots" (integrated 2023-05-01, before JDK 21 branched)', url: 'https://github.com/openjdk/jdk/pull/13726' };
const JDK_14_AMAZON: RootSource = { title: 'JDK 14 release notes: JDK-8233223, "Added 4 Amazon Root CA Certificates"', url: 'https://www.oracle.com/java/technologies/javase/14-relnote-issues.html#JDK-8233223' };
const JDK_DIGICERT_G5: RootSource[] = [
  { title: 'openjdk/jdk PR 16574, JDK-8318759 "Add four DigiCert root certificates" (integrated November 2023, before JDK 22 branched)', url: 'https://github.com/openjdk/jdk/pull/16574' },
  { title: 'openjdk/jdk11u-dev PR 2289, the JDK-8318759 backport "for parity with 11.0.22-oracle"', url: 'https://github.com/openjdk/jdk11u-dev/pull/2289' },
  { title: 'openjdk/jdk17u-dev PR 1967, the JDK-8318759 backport "for parity with 17.0.10-oracle"', url: 'https://github.com/openjdk/jdk17u-dev/pull/1967' },
  { title: 'Eclipse Temurin 21.0.2+13 release notes, as listed in meta-openjdk-temurin PR 36: JDK-8320287 "Add four DigiCert root certificates" (the 21u backport)', url: 'https://github.com/lucimber/meta-openjdk-temurin/pull/36' },
];
const JDK_TELIA: RootSource[] = [
  { title: 'openjdk/jdk PR 16275, JDK-8317373 "Add Telia Root CA v2" (integrated October 2023, before JDK 22 branched)', url: 'https://github.com/openjdk/jdk/pull/16275' },
  { title: 'openjdk/jdk17u-dev PR 1916, the JDK-8317373 backport "for parity with 17.0.10-oracle"', url: 'https://github.com/openjdk/jdk17u-dev/pull/1916' },
  { title: 'Eclipse Temurin 11.0.22, 17.0.10 and 21.0.2 release notes, as listed in meta-openjdk-temurin PRs 34-36: JDK-8319646, JDK-8318933, JDK-8318748 "Add Telia Root CA v2"', url: 'https://github.com/lucimber/meta-openjdk-temurin/pull/35' },
];
const JDK_GLOBALSIGN: RootSource[] = [
  { title: 'openjdk/jdk PR 19252, JDK-8316138 "Add GlobalSign 2 TLS root certificates" (integrated 2024-05-15, before JDK 23 branched)', url: 'https://github.com/openjdk/jdk/pull/19252' },
  { title: 'JDK 22.0.2 release notes: "Added GlobalSign R46 and E46 Root CA Certificates" (JDK-8316138)', url: 'https://jdk.java.net/22/release-notes' },
];
const JDK_SSLCOM: RootSource[] = [
  { title: 'openjdk/jdk PR 21212, JDK-8341057 "Add 2 SSL.com TLS roots" (integrated 2024-09-27, before JDK 24 branched)', url: 'https://github.com/openjdk/jdk/pull/21212' },
  { title: 'openjdk/jdk21u PR 455, the JDK-8341057 backport "for parity with 21.0.6-oracle"', url: 'https://github.com/openjdk/jdk21u/pull/455' },
];
const JDK_SECTIGO: RootSource[] = [
  { title: 'openjdk/jdk PR 25733, JDK-8359170 "Add 2 TLS and 2 CS Sectigo roots" (2025-06-10), and PR 25736, its backport into the JDK 25 stabilisation branch', url: 'https://github.com/openjdk/jdk/pull/25736' },
  { title: 'openjdk/jdk21u PR 464, the JDK-8359170 backport "for parity with 21.0.8-oracle"', url: 'https://github.com/openjdk/jdk21u/pull/464' },
  { title: 'SUSE-SU-2025:02563-1, java-11-openjdk 11.0.28: the changelog lists JDK-8359170 "Add 2 TLS and 2 CS Sectigo roots"', url: 'https://www.suse.com/support/update/announcement/2025/suse-su-202502563-1.html' },
];

export const ROOT_FACTS: readonly RootFact[] = [
  {
    name: 'ISRG Root X1',
    spkiSha256: 'C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=',
    java: {
      updates: { 7: 151, 8: 141 },
      // JDK 10 open-sourced Oracle's root program (JDK-8189131); its cacerts, and every later
      // line's, holds letsencryptisrgx1.
      fromLine: 10,
      sources: [LE_COMPAT,
        { title: 'Java SE 8u141 release notes (the source Let\'s Encrypt gives for Java 8 >= 8u141)', url: 'https://www.oracle.com/java/technologies/javase/8u141-relnotes.html' },
        { title: 'Java SE 7u151 release notes (the source Let\'s Encrypt gives for Java 7 >= 7u151)', url: 'https://www.oracle.com/java/technologies/javase/7u151-relnotes.html' },
        { title: 'JDK-8189131: Open-source the Oracle JDK Root Certificates (JDK 10; alias letsencryptisrgx1)', url: 'https://bugs.openjdk.org/browse/JDK-8189131' }],
    },
    android: {
      api: 25, version: '7.1.1',
      sources: [LE_COMPAT, { title: 'AOSP platform/system/ca-certificates, tag android-7.1.1_r15', url: 'https://android.googlesource.com/platform/system/ca-certificates/+/android-7.1.1_r15' }],
    },
  },
  {
    name: 'ISRG Root X2',
    spkiSha256: 'diGVwiVYbubAI3RW4hB9xU8e/CH2GnkuvVFZE8zmgzI=',
    java: {
      updates: { 8: 401, 11: 22, 17: 10, 21: 2 }, fromLine: 22,
      sources: [LE_COMPAT_2025, { title: 'Java SE 8u401 release notes, JDK-8317374 (ISRG Root X2 added; the note Let\'s Encrypt links to)', url: 'https://www.oracle.com/java/technologies/javase/8u401-relnotes.html#JDK-8317374' }],
    },
    android: {
      api: 34, version: '14',
      sources: [LE_COMPAT_2025, { title: 'AOSP platform/system/ca-certificates commit c8d7f51 (adds 8794b4e3.0, ISRG Root X2)', url: 'https://android.googlesource.com/platform/system/ca-certificates/+/c8d7f51bbb3de2c40a0d868972be008070eb25d8' }],
    },
  },
  ...(['R1', 'R2', 'R3', 'R4'] as const).map((r, i) => ({
    name: `GTS Root ${r}`,
    spkiSha256: GTS_SPKI[i]!,
    java: { updates: { 8: 381 }, fromLine: 21, sources: [JDK_8U381, JDK_21_GTS] },
  })),
  { name: 'Microsoft RSA Root Certificate Authority 2017', spkiSha256: 'svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=', java: { updates: { 8: 381 }, fromLine: 21, sources: [JDK_8U381, JDK_21_MICROSOFT] } },
  { name: 'Microsoft ECC Root Certificate Authority 2017', spkiSha256: 'NfU84SZGEeAzQP434ex9TMmGxWE9ynD9BKpEVF8tryg=', java: { updates: { 8: 381 }, fromLine: 21, sources: [JDK_8U381, JDK_21_MICROSOFT] } },
  ...([['1', '++MBgDH5WGvL9Bcn5Be30cRcL0f5O+NyoXuWtQdX1aI='], ['2', 'f0KW/FtqTjs108NpYj42SrGvOB2PpxIVM8nWxjPqJGE='],
    ['3', 'NqvDJlas/GRcYbcWE8S/IceH9cq77kg0jVhZeAPXq8k='], ['4', '9+ze1cZgR9KO1kZrVDxA4HQ6voHRCSVNz4RdTCx4U8U=']] as const).map(([n, key]) => ({
    name: `Amazon Root CA ${n}`, spkiSha256: key, java: { updates: {}, fromLine: 14, sources: [JDK_14_AMAZON] },
  })),
  { name: 'DigiCert TLS RSA4096 Root G5', spkiSha256: 'ape1HIIZ6T5d7GS61YBs3rD4NVvkfnVwELcCRW4Bqv0=', java: { updates: { 11: 22, 17: 10, 21: 2 }, fromLine: 22, sources: JDK_DIGICERT_G5 } },
  { name: 'DigiCert TLS ECC P384 Root G5', spkiSha256: 'oC+voZLIy4HLE0FVT5wFtxzKKokLDRKY1oNkfJYe+98=', java: { updates: { 11: 22, 17: 10, 21: 2 }, fromLine: 22, sources: JDK_DIGICERT_G5 } },
  { name: 'Telia Root CA v2', spkiSha256: 'wrPDGkophQqo889HKhFp/3G0FlefakSC7HdEuD35iKw=', java: { updates: { 11: 22, 17: 10, 21: 2 }, fromLine: 22, sources: JDK_TELIA } },
  { name: 'GlobalSign Root R46', spkiSha256: 'rn+WLLnmp9v3uDP7GPqbcaiRdd+UnCMrap73yz3yu/w=', java: { updates: { 22: 2 }, fromLine: 23, sources: JDK_GLOBALSIGN } },
  { name: 'GlobalSign Root E46', spkiSha256: '4EoCLOMvTM8sf2BGKHuCijKpCfXnUUR/g/0scfb9gXM=', java: { updates: { 22: 2 }, fromLine: 23, sources: JDK_GLOBALSIGN } },
  { name: 'SSL.com TLS RSA Root CA 2022', spkiSha256: 'K89VOmb1cJAN3TK6bf4ezAbJGC1mLcG2Dh97dnwr3VQ=', java: { updates: { 21: 6 }, fromLine: 24, sources: JDK_SSLCOM } },
  { name: 'SSL.com TLS ECC Root CA 2022', spkiSha256: 'G/ANXI8TwJTdF+AFBM8IiIUPEv0Gf6H5LA/b9guG4yE=', java: { updates: { 21: 6 }, fromLine: 24, sources: JDK_SSLCOM } },
  { name: 'Sectigo Public Server Authentication Root R46', spkiSha256: 'Douxi77vs4G+Ib/BogbTFymEYq0QSFXwSgVCaZcI09Q=', java: { updates: { 11: 28, 21: 8 }, fromLine: 25, sources: JDK_SECTIGO } },
  { name: 'Sectigo Public Server Authentication Root E46', spkiSha256: 'sLVjNUaFYfW7n6EtgBeEpjOlcnBdNPMrZDRF36iwBdE=', java: { updates: { 11: 28, 21: 8 }, fromLine: 25, sources: JDK_SECTIGO } },
];

const BY_SPKI = new Map(ROOT_FACTS.map((r) => [r.spkiSha256, r]));

export function rootFactBySpki(spkiSha256: string): RootFact | undefined {
  return BY_SPKI.get(spkiSha256);
}

/** What a store says of a root: held, lacking (and why), or unknown (no fact decides). */
export type RootInStore = { held: true } | { held: false; why: string } | { held: null };

export interface RootIdentity {
  /** Subject CN (or the whole subject when it has no CN). */
  name: string;
  spkiSha256: string;
  /** The root certificate's notBefore. */
  notBefore: Date;
}

function javaRelease(line: number, update: number): string {
  return line >= 9 ? (update ? `${line}.0.${update}` : `${line}`) : `${line}u${update}`;
}

function dateOnly(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'an unknown date' : d.toISOString().slice(0, 10);
}

/** Whether a runtime's bundled store holds this root, from the facts above. */
export function rootInStore(store: RuntimeTrustStore, root: RootIdentity): RootInStore {
  const fact = rootFactBySpki(root.spkiSha256);
  if (store.family === 'java' && fact?.java) {
    const j = fact.java;
    const since = j.updates[store.line];
    if (j.fromLine !== undefined && store.line >= j.fromLine) return { held: true };
    if (since !== undefined) {
      if (store.fromUpdate >= since) return { held: true };
      if (store.toUpdate !== null && store.toUpdate < since) {
        return { held: false, why: `${root.name} is in Java's cacerts from ${javaSince(j)}; ${store.label} predates it` };
      }
      return { held: null };
    }
  }
  if (store.family === 'android' && fact?.android) {
    if (store.api >= fact.android.api) return { held: true };
    return { held: false, why: `${root.name} is in Android's system store from Android ${fact.android.version} (API ${fact.android.api}); ${store.label} predates it` };
  }
  if (store.frozenAt !== undefined && root.notBefore.getTime() > Date.parse(`${store.frozenAt}T23:59:59Z`)) {
    return { held: false, why: `${root.name} was made on ${dateOnly(root.notBefore)} (its certificate's notBefore), after ${store.label} (${store.frozenAt})` };
  }
  return { held: null };
}

function javaSince(j: NonNullable<RootFact['java']>): string {
  const parts = Object.entries(j.updates).sort(([a], [b]) => Number(a) - Number(b)).map(([line, u]) => javaRelease(Number(line), u!));
  if (j.fromLine !== undefined) parts.push(`Java ${j.fromLine} and later`);
  return parts.join(', ');
}

/** The sources behind a verdict on this root in this store (the store's and the root's own). */
export function rootStoreSources(store: RuntimeTrustStore, root: RootIdentity): RootSource[] {
  const fact = rootFactBySpki(root.spkiSha256);
  const own = store.family === 'java' ? fact?.java?.sources : fact?.android?.sources;
  return [...(own ?? []), ...store.sources];
}

/** The roots of ROOT_FACTS this store is known to lack (by the facts, not by dates), by name. */
export function knownMissingRoots(store: RuntimeTrustStore): string[] {
  return ROOT_FACTS.filter((r) => rootInStore(store, { name: r.name, spkiSha256: r.spkiSha256, notBefore: new Date(0) }).held === false).map((r) => r.name);
}

/** One line on a profile's store: what it is, when it froze, and the known roots it lacks. */
export function describeRuntimeStore(store: RuntimeTrustStore): string {
  const what = store.family === 'java' ? `the cacerts of ${store.label}` : `the system CA store of ${store.label}`;
  const missing = knownMissingRoots(store);
  return `${what}${store.frozenAt ? ` (as released on ${store.frozenAt}: no root made later)` : ''}`
    + `${missing.length ? `; lacks ${missing.join(', ')}` : ''}`;
}

/**
 * Which releases of a runtime family hold this root, as the facts say, for a
 * client's error: "Java's cacerts holds ISRG Root X1 from 7u151, 8u141, Java 10
 * and later"; without a fact, the date its certificate was made (no release
 * older than that can hold it).
 */
export function rootHistory(family: 'java' | 'android', root: RootIdentity): string {
  const fact = rootFactBySpki(root.spkiSha256);
  if (family === 'java' && fact?.java) return `Java's cacerts holds ${root.name} from ${javaSince(fact.java)}`;
  if (family === 'android' && fact?.android) return `Android's system store holds ${root.name} from Android ${fact.android.version} (API ${fact.android.api})`;
  return `${root.name} was made on ${dateOnly(root.notBefore)}: no ${family === 'java' ? 'Java' : 'Android'} release older than that holds it`;
}
