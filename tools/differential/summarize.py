import os
import json, sys
from collections import Counter
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import GCAT, OCAT
for f in sys.argv[1:]:
    c = Counter(); maxt = 0; iss = Counter()
    for l in open(f):
        r = json.loads(l); c['configs'] += 1
        if 'td' not in r: c['server_failed'] += 1; continue
        c['scanned'] += 1; maxt = max(maxt, r.get('td_seconds', 0))
        # campaign_openssl.py writes each version as {supported, serverPreference, suites}, the others as a list.
        r['td'] = {v: [x['supported'], x['serverPreference'], x['suites']] if isinstance(x, dict) else x for v, x in r['td'].items()}
        if any(x[0] for x in r['td'].values()): c['some_version_supported_td'] += 1
        if r['td']['TLSv1.3'][0]: c['tls13'] += 1
        if any(x[1] for x in r['td'].values()): c['serverpref_true'] += 1
        for i in r['issues']: iss[i['kind']] += 1
        # post-hoc alt-chain check for gnutls (cert both, TLS1.3 on, legacy suites only one auth type)
        if 'priority' in r['config'] and r['config']['cert'] == 'both' and r['td']['TLSv1.3'][0]:
            auths = {(GCAT.get(cid, {}).get('kx') or '').split('-')[-1] for v in ('TLSv1.0', 'TLSv1.1', 'TLSv1.2') for cid in r['td'][v][2]}
            auths = {'ECDSA' if a == 'ECDSA' else 'RSA' for a in auths if a}
            if len(auths) < 2 and not r.get('td_alt'):
                c['gnutls_alt_missing_candidate'] += 1
    print(f, dict(c), 'max_td_seconds', maxt, 'issues', dict(iss))
