/**
 * Every cipher suite a TLS server can select: the IANA "TLS Cipher Suites"
 * registry plus the pre-standard codes that deployed peers still use.
 *
 * The data is a raw table (code, IANA name, OpenSSL name) and one function,
 * deriveSuite(), that computes every other property from the IANA name, with
 * explicit overrides where the name does not say enough. See CIPHERS_SOURCE.
 */
import type { ProtocolName, Strength } from '../scan/types.js';
import { versionRank } from './versions.js';

export const CIPHERS_SOURCE = [
  'Codes and names: IANA TLS Cipher Suites registry (tls-parameters, tls-parameters-4), defined in RFC 2246, RFC 2712 (KRB5), ' +
    'RFC 4162 (SEED), RFC 4279/4785/5487/5489 (PSK), RFC 4346 (EXPORT), RFC 5054 (SRP), RFC 5246, RFC 5288/5289 (GCM), ' +
    'RFC 5469 (DES/IDEA), RFC 5746 (EMPTY_RENEGOTIATION_INFO_SCSV), RFC 5932/6367 (CAMELLIA), RFC 6209 (ARIA), RFC 6655/7251 (CCM), ' +
    'RFC 7507 (FALLBACK_SCSV), RFC 7905 (CHACHA20_POLY1305), RFC 8422 (ECC), RFC 8442 (ECDHE_PSK AEAD), RFC 8446 (TLS 1.3), ' +
    'RFC 8492 (ECCPWD), RFC 8998 (SM4), RFC 9150 (integrity-only), RFC 9189 and RFC 9367 (GOST), draft-irtf-cfrg-aegis-aead (AEGIS).',
  'Pre-standard codes (nonStandard: true): 0x0060-0x0066 draft-ietf-tls-56-bit-ciphersuites-01 (EXPORT1024); ' +
    '0x0080-0x0083 draft-chudov-cryptopro-cptls (GOST 2001/94); 0xCC13-0xCC15 draft-agl-tls-chacha20poly1305-04 (pre-RFC 7905 code points); ' +
    '0xFEFE/0xFEFF/0xFFE0/0xFFE1 Netscape/NSS SSL_RSA_FIPS / SSL_RSA_OLDFIPS (NSS lib/ssl/sslproto.h).',
  'OpenSSL names: `openssl ciphers -V -stdname "ALL:COMPLEMENTOFALL:@SECLEVEL=0"` of OpenSSL 3.0 (GOST 0x0080-0x0083, 0xC100-0xC102 ' +
    'with the gost engine loaded); suites OpenSSL 3 no longer ships use the names of the OpenSSL release that last had them ' +
    '(0.9.8 EXP1024, 1.0.2 KRB5/EXPORT/static DH, 1.1.1 RC4/3DES/SEED/IDEA; ssl/s3_lib.c, ssl/tls1.h), cross-checked with Debian ' +
    'testssl.sh etc/cipher-mapping.txt; null when official OpenSSL never implemented the suite (ARIA-CBC, static-DH/anon ARIA and ' +
    'Camellia-SHA256, the pre-RFC CHACHA20 codes, which only LibreSSL/BoringSSL named).',
].join(' ');

export interface CipherSuiteInfo {
  /** 16-bit code, e.g. 0xC02F. */
  code: number;
  /** IANA name, e.g. 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' (for nonStandard suites: the name their defining draft/vendor used). */
  iana: string;
  /** OpenSSL name, e.g. 'ECDHE-RSA-AES128-GCM-SHA256', or null when OpenSSL never had it. */
  openssl: string | null;
  tls13: boolean;
  /** Lowest version a server may select it at. */
  minVersion: ProtocolName;
  /** 'ECDHE' | 'DHE' | 'RSA' | 'DH' | 'ECDH' | 'PSK' | 'DHE_PSK' | 'RSA_PSK' | 'ECDHE_PSK' | 'SRP' | 'KRB5' | 'ECCPWD' | 'GOST' | 'NULL' | 'any' (TLS 1.3) | 'SCSV'. Anonymous DH/ECDH is 'DHE'/'ECDHE' with auth 'anon'. */
  kx: string;
  /** 'RSA' | 'ECDSA' | 'DSS' | 'anon' | 'PSK' | 'SRP' | 'KRB5' | 'ECCPWD' | 'GOST' | 'NULL' | 'any' (TLS 1.3) | 'SCSV'. For static DH/ECDH: the signature type of the certificate named in the suite. */
  auth: string;
  /** 'AES-128-GCM', '3DES-EDE-CBC', 'RC4-128', 'NULL', 'CHACHA20-POLY1305', ... */
  cipher: string;
  /** Effective key bits (3DES 112, export 40/56, NULL 0). */
  bits: number;
  /** 'SHA1' | 'SHA256' | 'SHA384' | 'MD5' | 'AEAD' | 'GOST28147-IMIT' | 'OMAC' | 'GOSTR3411' | 'NULL' | 'NONE' (SCSV). */
  mac: string;
  aead: boolean;
  cbc: boolean;
  forwardSecrecy: boolean;
  export: boolean;
  anonymous: boolean;
  null: boolean;
  scsv: boolean;
  nonStandard?: boolean;
  strength: Strength;
}

/**
 * code  IANA name  OpenSSL name ('-' = none). One line per suite, ascending code.
 */
const RAW = `
0000 TLS_NULL_WITH_NULL_NULL                           -
0001 TLS_RSA_WITH_NULL_MD5                             NULL-MD5
0002 TLS_RSA_WITH_NULL_SHA                             NULL-SHA
0003 TLS_RSA_EXPORT_WITH_RC4_40_MD5                    EXP-RC4-MD5
0004 TLS_RSA_WITH_RC4_128_MD5                          RC4-MD5
0005 TLS_RSA_WITH_RC4_128_SHA                          RC4-SHA
0006 TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5                EXP-RC2-CBC-MD5
0007 TLS_RSA_WITH_IDEA_CBC_SHA                         IDEA-CBC-SHA
0008 TLS_RSA_EXPORT_WITH_DES40_CBC_SHA                 EXP-DES-CBC-SHA
0009 TLS_RSA_WITH_DES_CBC_SHA                          DES-CBC-SHA
000A TLS_RSA_WITH_3DES_EDE_CBC_SHA                     DES-CBC3-SHA
000B TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA              EXP-DH-DSS-DES-CBC-SHA
000C TLS_DH_DSS_WITH_DES_CBC_SHA                       DH-DSS-DES-CBC-SHA
000D TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA                  DH-DSS-DES-CBC3-SHA
000E TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA              EXP-DH-RSA-DES-CBC-SHA
000F TLS_DH_RSA_WITH_DES_CBC_SHA                       DH-RSA-DES-CBC-SHA
0010 TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA                  DH-RSA-DES-CBC3-SHA
0011 TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA             EXP-EDH-DSS-DES-CBC-SHA
0012 TLS_DHE_DSS_WITH_DES_CBC_SHA                      EDH-DSS-DES-CBC-SHA
0013 TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA                 DHE-DSS-DES-CBC3-SHA
0014 TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA             EXP-EDH-RSA-DES-CBC-SHA
0015 TLS_DHE_RSA_WITH_DES_CBC_SHA                      EDH-RSA-DES-CBC-SHA
0016 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA                 DHE-RSA-DES-CBC3-SHA
0017 TLS_DH_anon_EXPORT_WITH_RC4_40_MD5                EXP-ADH-RC4-MD5
0018 TLS_DH_anon_WITH_RC4_128_MD5                      ADH-RC4-MD5
0019 TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA             EXP-ADH-DES-CBC-SHA
001A TLS_DH_anon_WITH_DES_CBC_SHA                      ADH-DES-CBC-SHA
001B TLS_DH_anon_WITH_3DES_EDE_CBC_SHA                 ADH-DES-CBC3-SHA
001E TLS_KRB5_WITH_DES_CBC_SHA                         KRB5-DES-CBC-SHA
001F TLS_KRB5_WITH_3DES_EDE_CBC_SHA                    KRB5-DES-CBC3-SHA
0020 TLS_KRB5_WITH_RC4_128_SHA                         KRB5-RC4-SHA
0021 TLS_KRB5_WITH_IDEA_CBC_SHA                        KRB5-IDEA-CBC-SHA
0022 TLS_KRB5_WITH_DES_CBC_MD5                         KRB5-DES-CBC-MD5
0023 TLS_KRB5_WITH_3DES_EDE_CBC_MD5                    KRB5-DES-CBC3-MD5
0024 TLS_KRB5_WITH_RC4_128_MD5                         KRB5-RC4-MD5
0025 TLS_KRB5_WITH_IDEA_CBC_MD5                        KRB5-IDEA-CBC-MD5
0026 TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA               EXP-KRB5-DES-CBC-SHA
0027 TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA               EXP-KRB5-RC2-CBC-SHA
0028 TLS_KRB5_EXPORT_WITH_RC4_40_SHA                   EXP-KRB5-RC4-SHA
0029 TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5               EXP-KRB5-DES-CBC-MD5
002A TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5               EXP-KRB5-RC2-CBC-MD5
002B TLS_KRB5_EXPORT_WITH_RC4_40_MD5                   EXP-KRB5-RC4-MD5
002C TLS_PSK_WITH_NULL_SHA                             PSK-NULL-SHA
002D TLS_DHE_PSK_WITH_NULL_SHA                         DHE-PSK-NULL-SHA
002E TLS_RSA_PSK_WITH_NULL_SHA                         RSA-PSK-NULL-SHA
002F TLS_RSA_WITH_AES_128_CBC_SHA                      AES128-SHA
0030 TLS_DH_DSS_WITH_AES_128_CBC_SHA                   DH-DSS-AES128-SHA
0031 TLS_DH_RSA_WITH_AES_128_CBC_SHA                   DH-RSA-AES128-SHA
0032 TLS_DHE_DSS_WITH_AES_128_CBC_SHA                  DHE-DSS-AES128-SHA
0033 TLS_DHE_RSA_WITH_AES_128_CBC_SHA                  DHE-RSA-AES128-SHA
0034 TLS_DH_anon_WITH_AES_128_CBC_SHA                  ADH-AES128-SHA
0035 TLS_RSA_WITH_AES_256_CBC_SHA                      AES256-SHA
0036 TLS_DH_DSS_WITH_AES_256_CBC_SHA                   DH-DSS-AES256-SHA
0037 TLS_DH_RSA_WITH_AES_256_CBC_SHA                   DH-RSA-AES256-SHA
0038 TLS_DHE_DSS_WITH_AES_256_CBC_SHA                  DHE-DSS-AES256-SHA
0039 TLS_DHE_RSA_WITH_AES_256_CBC_SHA                  DHE-RSA-AES256-SHA
003A TLS_DH_anon_WITH_AES_256_CBC_SHA                  ADH-AES256-SHA
003B TLS_RSA_WITH_NULL_SHA256                          NULL-SHA256
003C TLS_RSA_WITH_AES_128_CBC_SHA256                   AES128-SHA256
003D TLS_RSA_WITH_AES_256_CBC_SHA256                   AES256-SHA256
003E TLS_DH_DSS_WITH_AES_128_CBC_SHA256                DH-DSS-AES128-SHA256
003F TLS_DH_RSA_WITH_AES_128_CBC_SHA256                DH-RSA-AES128-SHA256
0040 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256               DHE-DSS-AES128-SHA256
0041 TLS_RSA_WITH_CAMELLIA_128_CBC_SHA                 CAMELLIA128-SHA
0042 TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA              DH-DSS-CAMELLIA128-SHA
0043 TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA              DH-RSA-CAMELLIA128-SHA
0044 TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA             DHE-DSS-CAMELLIA128-SHA
0045 TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA             DHE-RSA-CAMELLIA128-SHA
0046 TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA             ADH-CAMELLIA128-SHA
0060 TLS_RSA_EXPORT1024_WITH_RC4_56_MD5                EXP1024-RC4-MD5
0061 TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5            EXP1024-RC2-CBC-MD5
0062 TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA               EXP1024-DES-CBC-SHA
0063 TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA           EXP1024-DHE-DSS-DES-CBC-SHA
0064 TLS_RSA_EXPORT1024_WITH_RC4_56_SHA                EXP1024-RC4-SHA
0065 TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA            EXP1024-DHE-DSS-RC4-SHA
0066 TLS_DHE_DSS_WITH_RC4_128_SHA                      DHE-DSS-RC4-SHA
0067 TLS_DHE_RSA_WITH_AES_128_CBC_SHA256               DHE-RSA-AES128-SHA256
0068 TLS_DH_DSS_WITH_AES_256_CBC_SHA256                DH-DSS-AES256-SHA256
0069 TLS_DH_RSA_WITH_AES_256_CBC_SHA256                DH-RSA-AES256-SHA256
006A TLS_DHE_DSS_WITH_AES_256_CBC_SHA256               DHE-DSS-AES256-SHA256
006B TLS_DHE_RSA_WITH_AES_256_CBC_SHA256               DHE-RSA-AES256-SHA256
006C TLS_DH_anon_WITH_AES_128_CBC_SHA256               ADH-AES128-SHA256
006D TLS_DH_anon_WITH_AES_256_CBC_SHA256               ADH-AES256-SHA256
0080 TLS_GOSTR341094_WITH_28147_CNT_IMIT               GOST94-GOST89-GOST89
0081 TLS_GOSTR341001_WITH_28147_CNT_IMIT               GOST2001-GOST89-GOST89
0082 TLS_GOSTR341094_WITH_NULL_GOSTR3411               GOST94-NULL-GOST94
0083 TLS_GOSTR341001_WITH_NULL_GOSTR3411               GOST2001-NULL-GOST94
0084 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA                 CAMELLIA256-SHA
0085 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA              DH-DSS-CAMELLIA256-SHA
0086 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA              DH-RSA-CAMELLIA256-SHA
0087 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA             DHE-DSS-CAMELLIA256-SHA
0088 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA             DHE-RSA-CAMELLIA256-SHA
0089 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA             ADH-CAMELLIA256-SHA
008A TLS_PSK_WITH_RC4_128_SHA                          PSK-RC4-SHA
008B TLS_PSK_WITH_3DES_EDE_CBC_SHA                     PSK-3DES-EDE-CBC-SHA
008C TLS_PSK_WITH_AES_128_CBC_SHA                      PSK-AES128-CBC-SHA
008D TLS_PSK_WITH_AES_256_CBC_SHA                      PSK-AES256-CBC-SHA
008E TLS_DHE_PSK_WITH_RC4_128_SHA                      DHE-PSK-RC4-SHA
008F TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA                 DHE-PSK-3DES-EDE-CBC-SHA
0090 TLS_DHE_PSK_WITH_AES_128_CBC_SHA                  DHE-PSK-AES128-CBC-SHA
0091 TLS_DHE_PSK_WITH_AES_256_CBC_SHA                  DHE-PSK-AES256-CBC-SHA
0092 TLS_RSA_PSK_WITH_RC4_128_SHA                      RSA-PSK-RC4-SHA
0093 TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA                 RSA-PSK-3DES-EDE-CBC-SHA
0094 TLS_RSA_PSK_WITH_AES_128_CBC_SHA                  RSA-PSK-AES128-CBC-SHA
0095 TLS_RSA_PSK_WITH_AES_256_CBC_SHA                  RSA-PSK-AES256-CBC-SHA
0096 TLS_RSA_WITH_SEED_CBC_SHA                         SEED-SHA
0097 TLS_DH_DSS_WITH_SEED_CBC_SHA                      DH-DSS-SEED-SHA
0098 TLS_DH_RSA_WITH_SEED_CBC_SHA                      DH-RSA-SEED-SHA
0099 TLS_DHE_DSS_WITH_SEED_CBC_SHA                     DHE-DSS-SEED-SHA
009A TLS_DHE_RSA_WITH_SEED_CBC_SHA                     DHE-RSA-SEED-SHA
009B TLS_DH_anon_WITH_SEED_CBC_SHA                     ADH-SEED-SHA
009C TLS_RSA_WITH_AES_128_GCM_SHA256                   AES128-GCM-SHA256
009D TLS_RSA_WITH_AES_256_GCM_SHA384                   AES256-GCM-SHA384
009E TLS_DHE_RSA_WITH_AES_128_GCM_SHA256               DHE-RSA-AES128-GCM-SHA256
009F TLS_DHE_RSA_WITH_AES_256_GCM_SHA384               DHE-RSA-AES256-GCM-SHA384
00A0 TLS_DH_RSA_WITH_AES_128_GCM_SHA256                DH-RSA-AES128-GCM-SHA256
00A1 TLS_DH_RSA_WITH_AES_256_GCM_SHA384                DH-RSA-AES256-GCM-SHA384
00A2 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256               DHE-DSS-AES128-GCM-SHA256
00A3 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384               DHE-DSS-AES256-GCM-SHA384
00A4 TLS_DH_DSS_WITH_AES_128_GCM_SHA256                DH-DSS-AES128-GCM-SHA256
00A5 TLS_DH_DSS_WITH_AES_256_GCM_SHA384                DH-DSS-AES256-GCM-SHA384
00A6 TLS_DH_anon_WITH_AES_128_GCM_SHA256               ADH-AES128-GCM-SHA256
00A7 TLS_DH_anon_WITH_AES_256_GCM_SHA384               ADH-AES256-GCM-SHA384
00A8 TLS_PSK_WITH_AES_128_GCM_SHA256                   PSK-AES128-GCM-SHA256
00A9 TLS_PSK_WITH_AES_256_GCM_SHA384                   PSK-AES256-GCM-SHA384
00AA TLS_DHE_PSK_WITH_AES_128_GCM_SHA256               DHE-PSK-AES128-GCM-SHA256
00AB TLS_DHE_PSK_WITH_AES_256_GCM_SHA384               DHE-PSK-AES256-GCM-SHA384
00AC TLS_RSA_PSK_WITH_AES_128_GCM_SHA256               RSA-PSK-AES128-GCM-SHA256
00AD TLS_RSA_PSK_WITH_AES_256_GCM_SHA384               RSA-PSK-AES256-GCM-SHA384
00AE TLS_PSK_WITH_AES_128_CBC_SHA256                   PSK-AES128-CBC-SHA256
00AF TLS_PSK_WITH_AES_256_CBC_SHA384                   PSK-AES256-CBC-SHA384
00B0 TLS_PSK_WITH_NULL_SHA256                          PSK-NULL-SHA256
00B1 TLS_PSK_WITH_NULL_SHA384                          PSK-NULL-SHA384
00B2 TLS_DHE_PSK_WITH_AES_128_CBC_SHA256               DHE-PSK-AES128-CBC-SHA256
00B3 TLS_DHE_PSK_WITH_AES_256_CBC_SHA384               DHE-PSK-AES256-CBC-SHA384
00B4 TLS_DHE_PSK_WITH_NULL_SHA256                      DHE-PSK-NULL-SHA256
00B5 TLS_DHE_PSK_WITH_NULL_SHA384                      DHE-PSK-NULL-SHA384
00B6 TLS_RSA_PSK_WITH_AES_128_CBC_SHA256               RSA-PSK-AES128-CBC-SHA256
00B7 TLS_RSA_PSK_WITH_AES_256_CBC_SHA384               RSA-PSK-AES256-CBC-SHA384
00B8 TLS_RSA_PSK_WITH_NULL_SHA256                      RSA-PSK-NULL-SHA256
00B9 TLS_RSA_PSK_WITH_NULL_SHA384                      RSA-PSK-NULL-SHA384
00BA TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256              CAMELLIA128-SHA256
00BB TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256           -
00BC TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256           -
00BD TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256          DHE-DSS-CAMELLIA128-SHA256
00BE TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256          DHE-RSA-CAMELLIA128-SHA256
00BF TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256          ADH-CAMELLIA128-SHA256
00C0 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256              CAMELLIA256-SHA256
00C1 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256           -
00C2 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256           -
00C3 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256          DHE-DSS-CAMELLIA256-SHA256
00C4 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256          DHE-RSA-CAMELLIA256-SHA256
00C5 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256          ADH-CAMELLIA256-SHA256
00C6 TLS_SM4_GCM_SM3                                   -
00C7 TLS_SM4_CCM_SM3                                   -
00FF TLS_EMPTY_RENEGOTIATION_INFO_SCSV                 -
1301 TLS_AES_128_GCM_SHA256                            TLS_AES_128_GCM_SHA256
1302 TLS_AES_256_GCM_SHA384                            TLS_AES_256_GCM_SHA384
1303 TLS_CHACHA20_POLY1305_SHA256                      TLS_CHACHA20_POLY1305_SHA256
1304 TLS_AES_128_CCM_SHA256                            TLS_AES_128_CCM_SHA256
1305 TLS_AES_128_CCM_8_SHA256                          TLS_AES_128_CCM_8_SHA256
1306 TLS_AEGIS_256_SHA384                              -
1307 TLS_AEGIS_128L_SHA256                             -
5600 TLS_FALLBACK_SCSV                                 -
C001 TLS_ECDH_ECDSA_WITH_NULL_SHA                      ECDH-ECDSA-NULL-SHA
C002 TLS_ECDH_ECDSA_WITH_RC4_128_SHA                   ECDH-ECDSA-RC4-SHA
C003 TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA              ECDH-ECDSA-DES-CBC3-SHA
C004 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA               ECDH-ECDSA-AES128-SHA
C005 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA               ECDH-ECDSA-AES256-SHA
C006 TLS_ECDHE_ECDSA_WITH_NULL_SHA                     ECDHE-ECDSA-NULL-SHA
C007 TLS_ECDHE_ECDSA_WITH_RC4_128_SHA                  ECDHE-ECDSA-RC4-SHA
C008 TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA             ECDHE-ECDSA-DES-CBC3-SHA
C009 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA              ECDHE-ECDSA-AES128-SHA
C00A TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA              ECDHE-ECDSA-AES256-SHA
C00B TLS_ECDH_RSA_WITH_NULL_SHA                        ECDH-RSA-NULL-SHA
C00C TLS_ECDH_RSA_WITH_RC4_128_SHA                     ECDH-RSA-RC4-SHA
C00D TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA                ECDH-RSA-DES-CBC3-SHA
C00E TLS_ECDH_RSA_WITH_AES_128_CBC_SHA                 ECDH-RSA-AES128-SHA
C00F TLS_ECDH_RSA_WITH_AES_256_CBC_SHA                 ECDH-RSA-AES256-SHA
C010 TLS_ECDHE_RSA_WITH_NULL_SHA                       ECDHE-RSA-NULL-SHA
C011 TLS_ECDHE_RSA_WITH_RC4_128_SHA                    ECDHE-RSA-RC4-SHA
C012 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA               ECDHE-RSA-DES-CBC3-SHA
C013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA                ECDHE-RSA-AES128-SHA
C014 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA                ECDHE-RSA-AES256-SHA
C015 TLS_ECDH_anon_WITH_NULL_SHA                       AECDH-NULL-SHA
C016 TLS_ECDH_anon_WITH_RC4_128_SHA                    AECDH-RC4-SHA
C017 TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA               AECDH-DES-CBC3-SHA
C018 TLS_ECDH_anon_WITH_AES_128_CBC_SHA                AECDH-AES128-SHA
C019 TLS_ECDH_anon_WITH_AES_256_CBC_SHA                AECDH-AES256-SHA
C01A TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA                 SRP-3DES-EDE-CBC-SHA
C01B TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA             SRP-RSA-3DES-EDE-CBC-SHA
C01C TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA             SRP-DSS-3DES-EDE-CBC-SHA
C01D TLS_SRP_SHA_WITH_AES_128_CBC_SHA                  SRP-AES-128-CBC-SHA
C01E TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA              SRP-RSA-AES-128-CBC-SHA
C01F TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA              SRP-DSS-AES-128-CBC-SHA
C020 TLS_SRP_SHA_WITH_AES_256_CBC_SHA                  SRP-AES-256-CBC-SHA
C021 TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA              SRP-RSA-AES-256-CBC-SHA
C022 TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA              SRP-DSS-AES-256-CBC-SHA
C023 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256           ECDHE-ECDSA-AES128-SHA256
C024 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384           ECDHE-ECDSA-AES256-SHA384
C025 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256            ECDH-ECDSA-AES128-SHA256
C026 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384            ECDH-ECDSA-AES256-SHA384
C027 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256             ECDHE-RSA-AES128-SHA256
C028 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384             ECDHE-RSA-AES256-SHA384
C029 TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256              ECDH-RSA-AES128-SHA256
C02A TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384              ECDH-RSA-AES256-SHA384
C02B TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256           ECDHE-ECDSA-AES128-GCM-SHA256
C02C TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384           ECDHE-ECDSA-AES256-GCM-SHA384
C02D TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256            ECDH-ECDSA-AES128-GCM-SHA256
C02E TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384            ECDH-ECDSA-AES256-GCM-SHA384
C02F TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256             ECDHE-RSA-AES128-GCM-SHA256
C030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384             ECDHE-RSA-AES256-GCM-SHA384
C031 TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256              ECDH-RSA-AES128-GCM-SHA256
C032 TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384              ECDH-RSA-AES256-GCM-SHA384
C033 TLS_ECDHE_PSK_WITH_RC4_128_SHA                    ECDHE-PSK-RC4-SHA
C034 TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA               ECDHE-PSK-3DES-EDE-CBC-SHA
C035 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA                ECDHE-PSK-AES128-CBC-SHA
C036 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA                ECDHE-PSK-AES256-CBC-SHA
C037 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256             ECDHE-PSK-AES128-CBC-SHA256
C038 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384             ECDHE-PSK-AES256-CBC-SHA384
C039 TLS_ECDHE_PSK_WITH_NULL_SHA                       ECDHE-PSK-NULL-SHA
C03A TLS_ECDHE_PSK_WITH_NULL_SHA256                    ECDHE-PSK-NULL-SHA256
C03B TLS_ECDHE_PSK_WITH_NULL_SHA384                    ECDHE-PSK-NULL-SHA384
C03C TLS_RSA_WITH_ARIA_128_CBC_SHA256                  -
C03D TLS_RSA_WITH_ARIA_256_CBC_SHA384                  -
C03E TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256               -
C03F TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384               -
C040 TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256               -
C041 TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384               -
C042 TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256              -
C043 TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384              -
C044 TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256              -
C045 TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384              -
C046 TLS_DH_anon_WITH_ARIA_128_CBC_SHA256              -
C047 TLS_DH_anon_WITH_ARIA_256_CBC_SHA384              -
C048 TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256          -
C049 TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384          -
C04A TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256           -
C04B TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384           -
C04C TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256            -
C04D TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384            -
C04E TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256             -
C04F TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384             -
C050 TLS_RSA_WITH_ARIA_128_GCM_SHA256                  ARIA128-GCM-SHA256
C051 TLS_RSA_WITH_ARIA_256_GCM_SHA384                  ARIA256-GCM-SHA384
C052 TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256              DHE-RSA-ARIA128-GCM-SHA256
C053 TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384              DHE-RSA-ARIA256-GCM-SHA384
C054 TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256               -
C055 TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384               -
C056 TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256              DHE-DSS-ARIA128-GCM-SHA256
C057 TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384              DHE-DSS-ARIA256-GCM-SHA384
C058 TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256               -
C059 TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384               -
C05A TLS_DH_anon_WITH_ARIA_128_GCM_SHA256              -
C05B TLS_DH_anon_WITH_ARIA_256_GCM_SHA384              -
C05C TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256          ECDHE-ECDSA-ARIA128-GCM-SHA256
C05D TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384          ECDHE-ECDSA-ARIA256-GCM-SHA384
C05E TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256           -
C05F TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384           -
C060 TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256            ECDHE-ARIA128-GCM-SHA256
C061 TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384            ECDHE-ARIA256-GCM-SHA384
C062 TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256             -
C063 TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384             -
C064 TLS_PSK_WITH_ARIA_128_CBC_SHA256                  -
C065 TLS_PSK_WITH_ARIA_256_CBC_SHA384                  -
C066 TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256              -
C067 TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384              -
C068 TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256              -
C069 TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384              -
C06A TLS_PSK_WITH_ARIA_128_GCM_SHA256                  PSK-ARIA128-GCM-SHA256
C06B TLS_PSK_WITH_ARIA_256_GCM_SHA384                  PSK-ARIA256-GCM-SHA384
C06C TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256              DHE-PSK-ARIA128-GCM-SHA256
C06D TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384              DHE-PSK-ARIA256-GCM-SHA384
C06E TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256              RSA-PSK-ARIA128-GCM-SHA256
C06F TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384              RSA-PSK-ARIA256-GCM-SHA384
C070 TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256            -
C071 TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384            -
C072 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256      ECDHE-ECDSA-CAMELLIA128-SHA256
C073 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384      ECDHE-ECDSA-CAMELLIA256-SHA384
C074 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256       -
C075 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384       -
C076 TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256        ECDHE-RSA-CAMELLIA128-SHA256
C077 TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384        ECDHE-RSA-CAMELLIA256-SHA384
C078 TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256         -
C079 TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384         -
C07A TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256              -
C07B TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384              -
C07C TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256          -
C07D TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384          -
C07E TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256           -
C07F TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384           -
C080 TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256          -
C081 TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384          -
C082 TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256           -
C083 TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384           -
C084 TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256          -
C085 TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384          -
C086 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256      -
C087 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384      -
C088 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256       -
C089 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384       -
C08A TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256        -
C08B TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384        -
C08C TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256         -
C08D TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384         -
C08E TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256              -
C08F TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384              -
C090 TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256          -
C091 TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384          -
C092 TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256          -
C093 TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384          -
C094 TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256              PSK-CAMELLIA128-SHA256
C095 TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384              PSK-CAMELLIA256-SHA384
C096 TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256          DHE-PSK-CAMELLIA128-SHA256
C097 TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384          DHE-PSK-CAMELLIA256-SHA384
C098 TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256          RSA-PSK-CAMELLIA128-SHA256
C099 TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384          RSA-PSK-CAMELLIA256-SHA384
C09A TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256        ECDHE-PSK-CAMELLIA128-SHA256
C09B TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384        ECDHE-PSK-CAMELLIA256-SHA384
C09C TLS_RSA_WITH_AES_128_CCM                          AES128-CCM
C09D TLS_RSA_WITH_AES_256_CCM                          AES256-CCM
C09E TLS_DHE_RSA_WITH_AES_128_CCM                      DHE-RSA-AES128-CCM
C09F TLS_DHE_RSA_WITH_AES_256_CCM                      DHE-RSA-AES256-CCM
C0A0 TLS_RSA_WITH_AES_128_CCM_8                        AES128-CCM8
C0A1 TLS_RSA_WITH_AES_256_CCM_8                        AES256-CCM8
C0A2 TLS_DHE_RSA_WITH_AES_128_CCM_8                    DHE-RSA-AES128-CCM8
C0A3 TLS_DHE_RSA_WITH_AES_256_CCM_8                    DHE-RSA-AES256-CCM8
C0A4 TLS_PSK_WITH_AES_128_CCM                          PSK-AES128-CCM
C0A5 TLS_PSK_WITH_AES_256_CCM                          PSK-AES256-CCM
C0A6 TLS_DHE_PSK_WITH_AES_128_CCM                      DHE-PSK-AES128-CCM
C0A7 TLS_DHE_PSK_WITH_AES_256_CCM                      DHE-PSK-AES256-CCM
C0A8 TLS_PSK_WITH_AES_128_CCM_8                        PSK-AES128-CCM8
C0A9 TLS_PSK_WITH_AES_256_CCM_8                        PSK-AES256-CCM8
C0AA TLS_PSK_DHE_WITH_AES_128_CCM_8                    DHE-PSK-AES128-CCM8
C0AB TLS_PSK_DHE_WITH_AES_256_CCM_8                    DHE-PSK-AES256-CCM8
C0AC TLS_ECDHE_ECDSA_WITH_AES_128_CCM                  ECDHE-ECDSA-AES128-CCM
C0AD TLS_ECDHE_ECDSA_WITH_AES_256_CCM                  ECDHE-ECDSA-AES256-CCM
C0AE TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8                ECDHE-ECDSA-AES128-CCM8
C0AF TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8                ECDHE-ECDSA-AES256-CCM8
C0B0 TLS_ECCPWD_WITH_AES_128_GCM_SHA256                -
C0B1 TLS_ECCPWD_WITH_AES_256_GCM_SHA384                -
C0B2 TLS_ECCPWD_WITH_AES_128_CCM_SHA256                -
C0B3 TLS_ECCPWD_WITH_AES_256_CCM_SHA384                -
C0B4 TLS_SHA256_SHA256                                 -
C0B5 TLS_SHA384_SHA384                                 -
C100 TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC      GOST2012-KUZNYECHIK-KUZNYECHIKOMAC
C101 TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC           GOST2012-MAGMA-MAGMAOMAC
C102 TLS_GOSTR341112_256_WITH_28147_CNT_IMIT           IANA-GOST2012-GOST8912-GOST8912
C103 TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L         -
C104 TLS_GOSTR341112_256_WITH_MAGMA_MGM_L              -
C105 TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S         -
C106 TLS_GOSTR341112_256_WITH_MAGMA_MGM_S              -
CC13 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD   -
CC14 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD -
CC15 TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD     -
CCA8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256       ECDHE-RSA-CHACHA20-POLY1305
CCA9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256     ECDHE-ECDSA-CHACHA20-POLY1305
CCAA TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256         DHE-RSA-CHACHA20-POLY1305
CCAB TLS_PSK_WITH_CHACHA20_POLY1305_SHA256             PSK-CHACHA20-POLY1305
CCAC TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256       ECDHE-PSK-CHACHA20-POLY1305
CCAD TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256         DHE-PSK-CHACHA20-POLY1305
CCAE TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256         RSA-PSK-CHACHA20-POLY1305
D001 TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256             -
D002 TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384             -
D003 TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256           -
D005 TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256             -
FEFE SSL_RSA_FIPS_WITH_DES_CBC_SHA                     -
FEFF SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA                -
FFE0 SSL_RSA_OLDFIPS_WITH_3DES_EDE_CBC_SHA             -
FFE1 SSL_RSA_OLDFIPS_WITH_DES_CBC_SHA                  -
`;

/** Codes not in the IANA registry (see CIPHERS_SOURCE). */
function isNonStandard(code: number): boolean {
  return (code >= 0x0060 && code <= 0x0066) || (code >= 0x0080 && code <= 0x0083) ||
    (code >= 0xcc13 && code <= 0xcc15) || code === 0xfefe || code === 0xfeff || code === 0xffe0 || code === 0xffe1;
}

/** TLS 1.3 suites (RFC 8446 §B.4, RFC 8998, RFC 9150, RFC 9367, AEGIS draft): they carry no key exchange. */
function isTls13(code: number): boolean {
  return (code >= 0x1301 && code <= 0x1307) || code === 0x00c6 || code === 0x00c7 ||
    code === 0xc0b4 || code === 0xc0b5 || (code >= 0xc103 && code <= 0xc106);
}

const SCSV_CODES = new Set([0x00ff, 0x5600]);

/** Key-exchange part of a name (between TLS_/SSL_ and _WITH_) → [kx, auth, forward secrecy]. */
const KX: Record<string, [string, string, boolean]> = {
  NULL: ['NULL', 'NULL', false],
  RSA: ['RSA', 'RSA', false],
  RSA_EXPORT: ['RSA', 'RSA', false],
  RSA_EXPORT1024: ['RSA', 'RSA', false],
  RSA_FIPS: ['RSA', 'RSA', false],
  RSA_OLDFIPS: ['RSA', 'RSA', false],
  DH_DSS: ['DH', 'DSS', false],
  DH_DSS_EXPORT: ['DH', 'DSS', false],
  DH_RSA: ['DH', 'RSA', false],
  DH_RSA_EXPORT: ['DH', 'RSA', false],
  DHE_DSS: ['DHE', 'DSS', true],
  DHE_DSS_EXPORT: ['DHE', 'DSS', true],
  DHE_DSS_EXPORT1024: ['DHE', 'DSS', true],
  DHE_RSA: ['DHE', 'RSA', true],
  DHE_RSA_EXPORT: ['DHE', 'RSA', true],
  DH_anon: ['DHE', 'anon', true],
  DH_anon_EXPORT: ['DHE', 'anon', true],
  ECDH_ECDSA: ['ECDH', 'ECDSA', false],
  ECDH_RSA: ['ECDH', 'RSA', false],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA', true],
  ECDHE_RSA: ['ECDHE', 'RSA', true],
  ECDH_anon: ['ECDHE', 'anon', true],
  KRB5: ['KRB5', 'KRB5', false],
  KRB5_EXPORT: ['KRB5', 'KRB5', false],
  PSK: ['PSK', 'PSK', false],
  DHE_PSK: ['DHE_PSK', 'PSK', true],
  PSK_DHE: ['DHE_PSK', 'PSK', true], // RFC 6655 spells 0xC0AA/0xC0AB this way
  RSA_PSK: ['RSA_PSK', 'RSA', false],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK', true],
  SRP_SHA: ['SRP', 'SRP', true],
  SRP_SHA_RSA: ['SRP', 'RSA', true],
  SRP_SHA_DSS: ['SRP', 'DSS', true],
  ECCPWD: ['ECCPWD', 'ECCPWD', true],
  // GOST TLS 1.2: the server's key is static (VKO / KEG on the server certificate key), RFC 9189 §4.
  GOSTR341094: ['GOST', 'GOST', false],
  GOSTR341001: ['GOST', 'GOST', false],
  GOSTR341112_256: ['GOST', 'GOST', false],
};

type CipherKind = 'null' | 'stream' | 'cbc' | 'aead';
/** Bulk-cipher part of a name → [cipher, effective bits, kind, 64-bit block]. Longest token wins. */
const CIPHERS: Record<string, [string, number, CipherKind, boolean]> = {
  NULL: ['NULL', 0, 'null', false],
  RC4_40: ['RC4-40', 40, 'stream', false],
  RC4_56: ['RC4-56', 56, 'stream', false],
  RC4_128: ['RC4-128', 128, 'stream', false],
  RC2_CBC_40: ['RC2-CBC-40', 40, 'cbc', true],
  RC2_CBC_56: ['RC2-CBC-56', 56, 'cbc', true],
  DES40_CBC: ['DES40-CBC', 40, 'cbc', true],
  DES_CBC_40: ['DES40-CBC', 40, 'cbc', true],
  DES_CBC: ['DES-CBC', 56, 'cbc', true],
  '3DES_EDE_CBC': ['3DES-EDE-CBC', 112, 'cbc', true],
  IDEA_CBC: ['IDEA-CBC', 128, 'cbc', true],
  SEED_CBC: ['SEED-CBC', 128, 'cbc', false],
  AES_128_CBC: ['AES-128-CBC', 128, 'cbc', false],
  AES_256_CBC: ['AES-256-CBC', 256, 'cbc', false],
  AES_128_GCM: ['AES-128-GCM', 128, 'aead', false],
  AES_256_GCM: ['AES-256-GCM', 256, 'aead', false],
  AES_128_CCM: ['AES-128-CCM', 128, 'aead', false],
  AES_256_CCM: ['AES-256-CCM', 256, 'aead', false],
  AES_128_CCM_8: ['AES-128-CCM-8', 128, 'aead', false],
  AES_256_CCM_8: ['AES-256-CCM-8', 256, 'aead', false],
  CAMELLIA_128_CBC: ['CAMELLIA-128-CBC', 128, 'cbc', false],
  CAMELLIA_256_CBC: ['CAMELLIA-256-CBC', 256, 'cbc', false],
  CAMELLIA_128_GCM: ['CAMELLIA-128-GCM', 128, 'aead', false],
  CAMELLIA_256_GCM: ['CAMELLIA-256-GCM', 256, 'aead', false],
  ARIA_128_CBC: ['ARIA-128-CBC', 128, 'cbc', false],
  ARIA_256_CBC: ['ARIA-256-CBC', 256, 'cbc', false],
  ARIA_128_GCM: ['ARIA-128-GCM', 128, 'aead', false],
  ARIA_256_GCM: ['ARIA-256-GCM', 256, 'aead', false],
  CHACHA20_POLY1305: ['CHACHA20-POLY1305', 256, 'aead', false],
  SM4_GCM: ['SM4-GCM', 128, 'aead', false],
  SM4_CCM: ['SM4-CCM', 128, 'aead', false],
  AEGIS_256: ['AEGIS-256', 256, 'aead', false],
  AEGIS_128L: ['AEGIS-128L', 128, 'aead', false],
  '28147_CNT': ['GOST28147-CNT', 256, 'stream', true],
  KUZNYECHIK_CTR: ['KUZNYECHIK-CTR', 256, 'stream', false],
  MAGMA_CTR: ['MAGMA-CTR', 256, 'stream', true],
  KUZNYECHIK_MGM_L: ['KUZNYECHIK-MGM-L', 256, 'aead', false],
  KUZNYECHIK_MGM_S: ['KUZNYECHIK-MGM-S', 256, 'aead', false],
  MAGMA_MGM_L: ['MAGMA-MGM-L', 256, 'aead', true],
  MAGMA_MGM_S: ['MAGMA-MGM-S', 256, 'aead', true],
};
const CIPHER_TOKENS = Object.keys(CIPHERS).sort((a, b) => b.length - a.length);
const CIPHER_PREFIXES = CIPHER_TOKENS.map((t) => `${t}_`);

/** MAC part of a name (after the cipher). For AEAD suites the trailing hash is the PRF hash and mac is 'AEAD'. */
const MACS: Record<string, string> = {
  '': 'AEAD', SHA: 'SHA1', SHA256: 'SHA256', SHA384: 'SHA384', MD5: 'MD5', NULL: 'NULL',
  IMIT: 'GOST28147-IMIT', OMAC: 'OMAC', GOSTR3411: 'GOSTR3411', SM3: 'SM3',
};

function splitCipher(rest: string, name: string): { c: [string, number, CipherKind, boolean]; macToken: string } {
  for (let i = 0; i < CIPHER_TOKENS.length; i++) {
    const tok = CIPHER_TOKENS[i];
    if (rest === tok || rest.startsWith(CIPHER_PREFIXES[i])) {
      return { c: CIPHERS[tok], macToken: rest.slice(tok.length + 1) };
    }
  }
  throw new Error(`registry: cannot parse cipher of ${name}`);
}

const PSK_KX = new Set(['PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK']);

/**
 * Strength rule (first match wins):
 *  1. insecure — SCSVs (not ciphers: a server "selecting" one is broken); no encryption (NULL, incl. the RFC 9150
 *     integrity-only suites); anonymous (no authentication, trivially MITMed); EXPORT grade; RC4 (RFC 7465);
 *     RC2; single DES and DES40 (RFC 5469 historic); HMAC-MD5 record MAC; or fewer than 112 effective bits.
 *  2. weak — a 64-bit block cipher (3DES, IDEA, GOST 28147-89/Magma: SWEET32 birthday bound, CVE-2016-2183);
 *     or no forward secrecy together with CBC and a SHA-1 MAC (e.g. TLS_RSA_WITH_AES_128_CBC_SHA: static-key
 *     decryption of recorded traffic, ROBOT-class oracles, Lucky13-class MAC-then-encrypt padding oracles).
 *  3. recommended — TLS 1.3 suites, and TLS 1.2 suites with forward secrecy and an AEAD cipher; except
 *     AES-CCM-8 (truncated 64-bit tag; IANA "Recommended: N"), which stays secure.
 *  4. secure — everything else (forward secrecy with CBC; static RSA/DH/PSK with AEAD or CBC + SHA-2 MAC).
 */
function strengthOf(s: Omit<CipherSuiteInfo, 'strength'>, block64: boolean): Strength {
  if (s.scsv || s.null || s.anonymous || s.export) return 'insecure';
  if (/^(RC4|RC2|DES-|DES40)/.test(s.cipher) || s.mac === 'MD5' || s.bits < 112) return 'insecure';
  if (block64) return 'weak';
  if (!s.forwardSecrecy && s.cbc && s.mac === 'SHA1') return 'weak';
  if (s.cipher.endsWith('CCM-8')) return 'secure';
  if (s.tls13 || (s.forwardSecrecy && s.aead)) return 'recommended';
  return 'secure';
}

/** Computes every property of a suite from its code and IANA name. Exported for tests. */
export function deriveSuite(code: number, iana: string, openssl: string | null): CipherSuiteInfo {
  const nonStandard = isNonStandard(code);
  if (SCSV_CODES.has(code)) {
    const s = {
      code, iana, openssl, tls13: false, minVersion: 'SSLv3' as ProtocolName, kx: 'SCSV', auth: 'SCSV', cipher: 'SCSV',
      bits: 0, mac: 'NONE', aead: false, cbc: false, forwardSecrecy: false, export: false, anonymous: false,
      null: false, scsv: true,
    };
    return { ...s, strength: strengthOf(s, false) };
  }
  const tls13 = isTls13(code);
  const body = iana.replace(/^(TLS|SSL)_/, '').replace(/_OLD$/, '');
  let kx: string, auth: string, fs: boolean, rest: string;
  const w = body.indexOf('_WITH_');
  if (tls13) {
    kx = 'any'; auth = 'any'; fs = true;
    rest = w >= 0 ? body.slice(w + 6) : body;
  } else {
    if (w < 0) throw new Error(`registry: cannot parse key exchange of ${iana}`);
    const k = KX[body.slice(0, w)];
    if (!k) throw new Error(`registry: unknown key exchange in ${iana}`);
    kx = k[0]; auth = k[1]; fs = k[2];
    rest = body.slice(w + 6);
  }
  let cipherInfo: [string, number, CipherKind, boolean];
  let macToken: string;
  if (/^SHA(256|384)_SHA(256|384)$/.test(rest)) {
    // RFC 9150 integrity-only TLS 1.3 suites: HMAC, no encryption.
    cipherInfo = CIPHERS.NULL;
    macToken = rest.slice(0, 6);
  } else {
    const split = splitCipher(rest, iana);
    cipherInfo = split.c;
    macToken = split.macToken;
  }
  const cipher = cipherInfo[0], bits = cipherInfo[1], kind = cipherInfo[2], block64 = cipherInfo[3];
  const aead = kind === 'aead';
  let mac = MACS[macToken];
  if (mac === undefined) throw new Error(`registry: unknown MAC in ${iana}`);
  if (aead) mac = 'AEAD';
  const exp = /EXPORT/.test(body);

  let minVersion: ProtocolName;
  if (tls13) minVersion = 'TLSv1.3';
  else if (kx === 'GOST') {
    // RFC 9189 CTR_OMAC suites are TLS 1.2 only; the 28147-CNT / NULL ones run from TLS 1.0 (OpenSSL gost engine: TLSv1;
    // GnuTLS enables 0xC102 only at TLS 1.2, as RFC 9189 describes it).
    minVersion = cipher === 'KUZNYECHIK-CTR' || cipher === 'MAGMA-CTR' ? 'TLSv1.2' : 'TLSv1.0';
  }
  else if (aead) minVersion = 'TLSv1.2';
  else if (mac === 'SHA256' || mac === 'SHA384') {
    // SHA-2 HMAC suites need the TLS 1.2 PRF, except the PSK families whose RFCs (RFC 5487, RFC 5489, RFC 6209,
    // RFC 6367) give a PRF for TLS versions before 1.2, so they run from TLS 1.0 (OpenSSL: TLSv1; GnuTLS is stricter
    // and only enables them at TLS 1.2).
    minVersion = PSK_KX.has(kx) ? 'TLSv1.0' : 'TLSv1.2';
  } else if (kx === 'ECDH' || kx === 'ECDHE' || kx === 'ECDHE_PSK') {
    // ECC suites need the supported_groups/ec_point_formats extensions: TLS 1.0 and later (RFC 8422 §1, RFC 5489).
    minVersion = 'TLSv1.0';
  } else minVersion = 'SSLv3';

  // Built in place, without spreads or array destructuring: this runs for all ~370 suites at
  // every start-up, and those made building the table ~4 ms (a quarter) slower.
  const s: Omit<CipherSuiteInfo, 'strength'> & { strength?: Strength } = {
    code, iana, openssl, tls13, minVersion, kx, auth, cipher, bits, mac, aead,
    cbc: kind === 'cbc',
    forwardSecrecy: fs,
    export: exp,
    anonymous: auth === 'anon' || auth === 'NULL',
    null: kind === 'null',
    scsv: false,
  };
  if (nonStandard) s.nonStandard = true;
  s.strength = strengthOf(s, block64);
  return s as CipherSuiteInfo;
}

function parseTable(raw: string): CipherSuiteInfo[] {
  const out: CipherSuiteInfo[] = [];
  for (const line of raw.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const [hex, iana, ossl] = t.split(/\s+/);
    out.push(Object.freeze(deriveSuite(parseInt(hex, 16), iana, ossl === '-' ? null : ossl)));
  }
  return out;
}

/** All suites, ascending by code. */
export const CIPHER_SUITES: readonly CipherSuiteInfo[] = Object.freeze(parseTable(RAW));

/**
 * Other OpenSSL spellings accepted by suiteByName: OpenSSL 1.1 ssl/ssl3.h defines both the EDH-* labels (the names
 * before 1.1.0) and the DHE-* labels for the same six suites.
 */
export const OPENSSL_NAME_ALIASES: Readonly<Record<string, number>> = Object.freeze({
  'EDH-RSA-DES-CBC3-SHA': 0x0016,
  'EDH-DSS-DES-CBC3-SHA': 0x0013,
  'DHE-RSA-DES-CBC-SHA': 0x0015,
  'DHE-DSS-DES-CBC-SHA': 0x0012,
  'EXP-DHE-RSA-DES-CBC-SHA': 0x0014,
  'EXP-DHE-DSS-DES-CBC-SHA': 0x0011,
});

const byCode = new Map<number, CipherSuiteInfo>();
const byName = new Map<string, CipherSuiteInfo>();
for (const s of CIPHER_SUITES) {
  byCode.set(s.code, s);
  byName.set(s.iana.toUpperCase(), s);
  if (s.openssl) byName.set(s.openssl.toUpperCase(), s);
}
for (const [alias, code] of Object.entries(OPENSSL_NAME_ALIASES)) byName.set(alias, byCode.get(code)!);

export function suiteByCode(code: number): CipherSuiteInfo | undefined {
  return byCode.get(code);
}

/**
 * By IANA or OpenSSL name, case-insensitive. Also accepts the SSL_-prefixed spelling Java and
 * SChannel use for the same IANA suites (SSL_RSA_WITH_RC4_128_SHA = TLS_RSA_WITH_RC4_128_SHA).
 */
export function suiteByName(name: string): CipherSuiteInfo | undefined {
  const n = name.trim().toUpperCase();
  return byName.get(n) ?? (n.startsWith('SSL_') ? byName.get('TLS_' + n.slice(4)) : undefined);
}

/**
 * What a client may offer at a version, in code order: for TLSv1.3 the TLS 1.3 suites; for SSLv3..TLSv1.2
 * every non-1.3, non-SCSV suite whose minVersion is not above it; for SSLv2 none (see sslv2.ts).
 */
export function suitesForVersion(v: ProtocolName): readonly CipherSuiteInfo[] {
  let list = forVersion.get(v);
  if (!list) {
    const r = versionRank(v);
    list = Object.freeze(v === 'SSLv2' ? [] : v === 'TLSv1.3' ? CIPHER_SUITES.filter((s) => s.tls13)
      : CIPHER_SUITES.filter((s) => !s.tls13 && !s.scsv && versionRank(s.minVersion) <= r));
    forVersion.set(v, list);
  }
  return list;
}

/** suitesForVersion's lists, made once each (a scan asks for them hundreds of times). */
const forVersion = new Map<ProtocolName, readonly CipherSuiteInfo[]>();

/** IANA name, or 'UNKNOWN_0xABCD'. */
export function suiteLabel(code: number): string {
  return byCode.get(code)?.iana ?? `UNKNOWN_0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
