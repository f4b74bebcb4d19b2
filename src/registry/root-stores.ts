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
    java: { updates: { 8: 381 }, sources: [JDK_8U381] },
  })),
  { name: 'Microsoft RSA Root Certificate Authority 2017', spkiSha256: 'svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=', java: { updates: { 8: 381 }, sources: [JDK_8U381] } },
  { name: 'Microsoft ECC Root Certificate Authority 2017', spkiSha256: 'NfU84SZGEeAzQP434ex9TMmGxWE9ynD9BKpEVF8tryg=', java: { updates: { 8: 381 }, sources: [JDK_8U381] } },
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
