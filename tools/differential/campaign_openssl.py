#!/usr/bin/env python3
"""Differential test campaign: tlsdoctor vs sslscan vs OpenSSL config vs s_client ground truth.

Usage: python3 campaign.py [N_CONFIGS] [SEED]       -> writes results.jsonl, summary on stdout
       python3 campaign.py --replay CONFIG_JSON       -> re-run one config (from results.jsonl 'config')
"""
import json, os, random, re, socket, subprocess, sys, time
import xml.etree.ElementTree as ET
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port, openssl_ciphers, scan_into, sclient_text  # noqa: E402
from common import tempkey_group as common_tempkey_group  # noqa: E402

import os as _os
# The work folder (certificates, results): DIFF_WORKDIR, else the default (common.py runs the tlsdoctor to test).
D = _os.environ.get('DIFF_WORKDIR', '/tmp/tlsdoctor-differential')
VERS = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
VFLAG = {'TLSv1.0': '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3'}
PROTO_NAME = {'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3'}
NOFLAG = {'TLSv1.0': '-no_tls1', 'TLSv1.1': '-no_tls1_1', 'TLSv1.2': '-no_tls1_2', 'TLSv1.3': '-no_tls1_3'}
SSLSCAN_VER = {'1.0': 'TLSv1.0', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3'}
TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
         'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']
TLS13_ID = {n: 0x1301 + i for i, n in enumerate(TLS13)}
GROUPS = ['X25519', 'P-256', 'P-384', 'P-521', 'X448', 'ffdhe2048', 'ffdhe3072']
GROUP_TD = {'X25519': 'x25519', 'P-256': 'secp256r1', 'P-384': 'secp384r1', 'P-521': 'secp521r1',
            'X448': 'x448', 'ffdhe2048': 'ffdhe2048', 'ffdhe3072': 'ffdhe3072',
            'ffdhe4096': 'ffdhe4096', 'ffdhe6144': 'ffdhe6144', 'ffdhe8192': 'ffdhe8192'}
TD_GROUP = {v: k for k, v in GROUP_TD.items()}
DEFAULT_GROUPS = ['X25519', 'P-256', 'X448', 'P-521', 'P-384', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096',
                  'ffdhe6144', 'ffdhe8192']
EC_GROUPS = {'X25519', 'P-256', 'P-384', 'P-521', 'X448'}
T = 60


def run(cmd, timeout=T, inp=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=inp,
                           stdin=None if inp is not None else subprocess.DEVNULL)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return 'timeout', (e.stdout or b'').decode() if isinstance(e.stdout, bytes) else (e.stdout or ''), ''


# ---------- cipher catalogue ----------
def catalogue():
    rc, out, _ = run(['openssl', 'ciphers', '-V', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'])
    cat = {}
    for line in out.splitlines():
        m = re.match(r'\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)', line)
        if m:
            cid = int(m.group(1) + m.group(2), 16)
            cat[m.group(3)] = dict(id=cid, name=m.group(3), minver=m.group(4), kx=m.group(5), au=m.group(6))
    return cat


CAT = catalogue()
ID2NAME = {v['id']: k for k, v in CAT.items()}


def usable(c, auths):
    if 'PSK' in c['kx'] or 'SRP' in c['kx']:
        return False
    return c['au'] in auths


# ---------- config generation ----------
def openssl_list(cipherstr, ver):
    """ordered list of TLS<=1.2 cipher names OpenSSL enables for ver with this string"""
    return [name for _, name in openssl_ciphers(cipherstr, ver)]


def gen_config(rng):
    cfg = {}
    certsel = rng.choices(['rsa', 'ec', 'both'], [0.45, 0.35, 0.2])[0]
    cfg['cert'] = certsel
    auths = {'rsa': {'RSA', 'None'}, 'ec': {'ECDSA', 'None'}, 'both': {'RSA', 'ECDSA', 'None'}}[certsel]
    # protocols
    if rng.random() < 0.6:
        lo = rng.randrange(4); hi = rng.randrange(lo, 4)
        enabled = VERS[lo:hi + 1]
        cfg['proto_method'] = 'minmax'
    else:
        enabled = [v for v in VERS if rng.random() < 0.6] or [rng.choice(VERS)]
        cfg['proto_method'] = 'no_flags'
    cfg['enabled'] = enabled
    # cipher string
    pool = [n for n, c in CAT.items() if usable(c, auths)]
    if rng.random() < 0.2:
        kw = rng.choice(['HIGH', 'MEDIUM', 'ECDHE', 'DHE', 'kRSA', 'aNULL', 'AESGCM', 'CHACHA20', 'CAMELLIA',
                         'ARIA', 'SHA1', 'SHA256', 'AES128', 'AES256', '3DES', 'CCM', 'ALL'])
        parts = [kw] + rng.sample(['!aNULL', '!kRSA', '!SHA1', '!DHE', '+AES256', '!CBC', '@STRENGTH', '!3DES'],
                                  rng.randrange(0, 3))
        cfg['cipher_names'] = parts
    else:
        k = rng.randint(1, 15)
        cfg['cipher_names'] = rng.sample(pool, min(k, len(pool)))
    seclevel0 = any(v in enabled for v in ('TLSv1.0', 'TLSv1.1')) or rng.random() < 0.5
    cfg['cipher'] = ':'.join(cfg['cipher_names']) + (':@SECLEVEL=0' if seclevel0 else '')
    cfg['serverpref'] = rng.random() < 0.6
    cfg['prioritize_chacha'] = rng.random() < 0.3
    cfg['ciphersuites'] = rng.sample(TLS13, rng.randint(1, 5)) if rng.random() < 0.6 else None
    cfg['groups'] = rng.sample(GROUPS, rng.randint(1, 5)) if rng.random() < 0.5 else None
    return cfg


def server_cmd(cfg, port):
    cmd = ['openssl', 's_server']
    if cfg['cert'] in ('rsa', 'both'):
        cmd += ['-cert', f'{D}/rsa.crt', '-key', f'{D}/rsa.key']
        if cfg['cert'] == 'both':
            cmd += ['-dcert', f'{D}/ec.crt', '-dkey', f'{D}/ec.key']
    else:
        cmd += ['-cert', f'{D}/ec.crt', '-key', f'{D}/ec.key']
    en = cfg['enabled']
    if cfg['proto_method'] == 'minmax':
        cmd += ['-min_protocol', PROTO_NAME[en[0]], '-max_protocol', PROTO_NAME[en[-1]]]
    else:
        cmd += ['-min_protocol', 'TLSv1']
        cmd += [NOFLAG[v] for v in VERS if v not in en]
    cmd += ['-cipher', cfg['cipher']]
    if cfg['ciphersuites'] is not None:
        cmd += ['-ciphersuites', ':'.join(cfg['ciphersuites'])]
    if cfg['serverpref']:
        cmd.append('-serverpref')
    if cfg['prioritize_chacha']:
        cmd.append('-prioritize_chacha')
    if cfg['groups']:
        cmd += ['-groups', ':'.join(cfg['groups'])]
    cmd += ['-www', '-quiet', '-accept', f'127.0.0.1:{port}']
    return cmd


def start_server(cfg):
    for _ in range(5):
        port = free_port()
        cmd = server_cmd(cfg, port)
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(f'{D}/server.err', 'w'),
                             stdin=subprocess.DEVNULL)
        t0 = time.time()
        while time.time() - t0 < 10:
            if p.poll() is not None:
                break
            try:
                s = socket.create_connection(('127.0.0.1', port), timeout=1); s.close()
                time.sleep(0.1)
                return p, port, cmd
            except OSError:
                time.sleep(0.05)
        if p.poll() is not None:
            return None, port, cmd
        p.kill(); p.wait()
    return None, port, cmd


# ---------- expected model ----------
def expected(cfg):
    auths = {'rsa': {'RSA', 'None'}, 'ec': {'ECDSA', 'None'}, 'both': {'RSA', 'ECDSA', 'None'}}[cfg['cert']]
    groups = cfg['groups'] or DEFAULT_GROUPS
    has_ec = any(g in EC_GROUPS for g in groups)
    exp = {}
    for v in VERS:
        if v not in cfg['enabled']:
            exp[v] = []
            continue
        if v == 'TLSv1.3':
            exp[v] = [TLS13_ID[n] for n in (cfg['ciphersuites'] if cfg['ciphersuites'] is not None else [TLS13[1], TLS13[2], TLS13[0]])]
            continue
        lst = []
        for n in openssl_list(cfg['cipher'], v):
            c = CAT.get(n)
            if not c or not usable(c, auths):
                continue
            if c['kx'] == 'ECDH' and not has_ec:
                continue
            lst.append(c['id'])
        exp[v] = lst
    # holes: with -no_tls1_1 etc., OpenSSL still negotiates the remaining ones individually
    return exp


# ---------- tool parsers ----------
def sslscan(port):
    rc, out, err = run(['sslscan', '--no-colour', '--xml=-', f'127.0.0.1:{port}'], timeout=120)
    i = out.find('<?xml')
    res = {'protocols': {}, 'ciphers': {v: [] for v in VERS}, 'groups': []}
    try:
        root = ET.fromstring(out[i:])
    except Exception as e:
        res['error'] = f'parse: {e}; rc={rc}'
        return res
    for pe in root.iter('protocol'):
        if pe.get('type') == 'tls':
            res['protocols'][SSLSCAN_VER[pe.get('version')]] = pe.get('enabled') == '1'
    for ce in root.iter('cipher'):
        v = ce.get('sslversion')
        if v in res['ciphers']:
            res['ciphers'][v].append(int(ce.get('id'), 16))
    for ge in root.iter('group'):
        res['groups'].append((ge.get('sslversion'), ge.get('name')))
    return res


# ---------- s_client ground truth ----------
def sclient(port, ver, ciphers=None, groups=None):
    """returns negotiated (protocol, cipher name, group in OpenSSL's spelling) or None"""
    r = sclient_text(port, ver, ciphers, groups)
    if r is None:
        return None
    return (r[0], r[1], tempkey_group(r[2]) if r[2] else None)


def tempkey_group(s):
    """A Server Temp Key line's group, in OpenSSL's spelling (P-256, X25519, ffdhe2048)."""
    g = common_tempkey_group(s)
    return TD_GROUP.get(g, g)


def cname(cid):
    if 0x1301 <= cid <= 0x1305:
        return TLS13[cid - 0x1301]
    return ID2NAME.get(cid, hex(cid))


def gt_accepts(port, ver, cid):
    r = sclient(port, ver, [cname(cid)])
    return r is not None and r[1] == cname(cid)


def gt_order(port, ver, ids):
    """server choice order by elimination (client offers remaining in given order)"""
    rem = list(ids); order = []
    while rem:
        r = sclient(port, ver, [cname(c) for c in rem])
        if not r:
            order.append(('FAIL', [cname(c) for c in rem]))
            break
        cid = TLS13_ID.get(r[1]) or CAT.get(r[1], {}).get('id')
        if cid not in rem:
            order.append(('UNEXPECTED', r[1])); break
        order.append(cid); rem.remove(cid)
    return order


def gt_pref(port, ver, ids):
    """True if server picks the same suite whatever the client order (two suites)"""
    a, b = ids[0], ids[1]
    r1 = sclient(port, ver, [cname(a), cname(b)])
    r2 = sclient(port, ver, [cname(b), cname(a)])
    if not r1 or not r2:
        return None
    return r1[1] == r2[1]


# ---------- one config ----------
def check(cfg, verbose=False):
    rec = {'config': cfg, 'issues': [], 'notes': []}
    exp = expected(cfg)
    srv, port, cmd = start_server(cfg)
    rec['cmd'] = ' '.join(cmd)
    if srv is None:
        rec['server_failed'] = open(f'{D}/server.err').read()[-800:]
        return rec
    try:
        td = scan_into(rec, port, 'td_nonzero_rc')
        if td is None:
            return rec
        if td.get('errors'):
            rec['issues'].append({'kind': 'td_errors', 'detail': td['errors']})
        ss = sslscan(port)
        if 'error' in ss:
            rec['notes'].append({'kind': 'sslscan_error', 'detail': ss['error']})
        tdp = {p['version']: p for p in td['protocols']}
        rec['td'] = {v: {'supported': tdp[v]['supported'], 'serverPreference': tdp[v]['serverPreference'],
                         'suites': [c['id'] for c in tdp[v]['cipherSuites']]} for v in VERS}
        rec['td_groups'] = [(g['name'], g['versions'], g.get('rank')) for g in td['groups']]
        rec['exp'] = exp; rec['sslscan'] = ss['ciphers']
        for p in td['protocols']:
            if p['version'] in ('SSLv2', 'SSLv3') and p['supported']:
                rec['issues'].append({'kind': 'proto', 'ver': p['version'], 'td': True, 'gt': False})
        for v in VERS:
            T_ = set(rec['td'][v]['suites']); S = set(ss['ciphers'][v]); E = set(exp[v])
            # protocol support
            tsup = rec['td'][v]['supported']; ssup = ss['protocols'].get(v); esup = bool(E)
            if not (tsup == esup and (ssup is None or ssup == esup)):
                g = sclient(port, v)
                gsup = g is not None and g[0] == v
                if tsup != gsup:
                    rec['issues'].append({'kind': 'proto', 'ver': v, 'td': tsup, 'sslscan': ssup, 'exp': esup, 'gt': gsup})
                else:
                    rec['notes'].append({'kind': 'proto_other', 'ver': v, 'td': tsup, 'sslscan': ssup, 'exp': esup, 'gt': gsup})
            if tsup and not T_:
                rec['issues'].append({'kind': 'supported_but_no_suites', 'ver': v})
            # suite sets
            disputed = (T_ ^ S) | (T_ ^ E) | (S ^ E)
            for cid in sorted(disputed):
                gt = gt_accepts(port, v, cid)
                ent = {'ver': v, 'suite': cname(cid), 'id': hex(cid), 'td': cid in T_, 'sslscan': cid in S,
                       'exp': cid in E, 'gt': gt}
                if (cid in T_) != gt:
                    ent['kind'] = 'suite'; rec['issues'].append(ent)
                else:
                    ent['kind'] = 'suite_other'; rec['notes'].append(ent)
            # order / preference
            tl = rec['td'][v]['suites']; tp = rec['td'][v]['serverPreference']
            if len(tl) >= 2:
                epref = cfg['serverpref']
                if tp is None or bool(tp) != epref:
                    g = gt_pref(port, v, tl)
                    ent = {'ver': v, 'td': tp, 'configured': epref, 'gt': g}
                    if g is not None and bool(tp) != g:
                        ent['kind'] = 'serverpref'; rec['issues'].append(ent)
                    else:
                        ent['kind'] = 'serverpref_other'; rec['notes'].append(ent)
                if tp:
                    eorder = [c for c in exp[v] if c in T_]
                    if eorder != tl:
                        gto = gt_order(port, v, tl)
                        gto_rev = gt_order(port, v, list(reversed(tl)))
                        ent = {'ver': v, 'td': [cname(c) for c in tl], 'exp': [cname(c) for c in eorder],
                               'gt': [cname(c) if isinstance(c, int) else c for c in gto],
                               'gt_rev': [cname(c) if isinstance(c, int) else c for c in gto_rev],
                               'chacha': cfg['prioritize_chacha']}
                        if gto != tl:
                            ent['kind'] = 'order'; rec['issues'].append(ent)
                        else:
                            ent['kind'] = 'order_other'; rec['notes'].append(ent)
        check_groups(cfg, port, td, rec, exp)
    finally:
        srv.kill(); srv.wait()
    return rec


def check_groups(cfg, port, td, rec, exp):
    groups = cfg['groups'] or DEFAULT_GROUPS
    tg13 = {TD_GROUP.get(g['name'], g['name']) for g in td['groups'] if 'TLSv1.3' in g['versions']}
    tg12 = {TD_GROUP.get(g['name'], g['name']) for g in td['groups'] if any(x != 'TLSv1.3' for x in g['versions'])}
    tdp = {p['version']: p for p in td['protocols']}
    # TLS 1.3
    if tdp['TLSv1.3']['supported'] or exp['TLSv1.3']:
        eg = set(groups)
        for g in sorted(eg ^ tg13):
            r = sclient(port, 'TLSv1.3', [cname(c) for c in exp['TLSv1.3']] or None, [g])
            gt = r is not None and r[2] == g
            ent = {'ver': 'TLSv1.3', 'group': g, 'td': g in tg13, 'exp': g in eg, 'gt': gt}
            ent['kind'] = 'group' if gt != (g in tg13) else 'group_other'
            (rec['issues'] if ent['kind'] == 'group' else rec['notes']).append(ent)
    elif tg13:
        rec['issues'].append({'kind': 'group', 'ver': 'TLSv1.3', 'detail': 'groups reported for TLS1.3 but unsupported', 'td': sorted(tg13)})
    # TLS <= 1.2 ECDHE
    legacy = [v for v in ('TLSv1.2', 'TLSv1.1', 'TLSv1.0') if tdp[v]['supported']]
    ecdhe = {}
    for v in legacy:
        ids = [c['id'] for c in tdp[v]['cipherSuites'] if c.get('kx') in ('ECDHE', 'ECDH')]
        if ids:
            ecdhe[v] = ids
    if ecdhe:
        v = next(iter(ecdhe))
        eg = {g for g in groups if g in EC_GROUPS}
        for g in sorted(eg ^ tg12):
            if g not in EC_GROUPS and g not in tg12:
                continue
            r = sclient(port, v, [cname(c) for c in ecdhe[v]], [g])
            gt = r is not None and r[2] == g
            if not gt and cfg['cert'] != 'rsa' and g != 'P-256':
                # an ECDSA P-256 certificate needs P-256 in the client's list (RFC 4492/8422)
                r2 = sclient(port, v, [cname(c) for c in ecdhe[v]], [g, 'P-256'])
                gt = (r2 is not None and r2[2] == g) or (None if r2 is not None else False)
            ent = {'ver': v, 'group': g, 'td': g in tg12, 'exp': g in eg, 'gt': gt}
            ent['kind'] = 'group' if gt is not None and gt != (g in tg12) else 'group_other'
            (rec['issues'] if ent['kind'] == 'group' else rec['notes']).append(ent)
    elif tg12 & EC_GROUPS:
        rec['notes'].append({'kind': 'group_other', 'detail': 'legacy EC groups without ECDHE suites', 'td': sorted(tg12)})
    # rank vs configured order when server preference is on
    ranked = [TD_GROUP.get(g['name'], g['name']) for g in td['groups'] if 'TLSv1.3' in g['versions'] and g.get('rank') is not None]
    if cfg['serverpref'] and cfg['groups'] and ranked:
        eo = [g for g in cfg['groups'] if g in ranked]
        if eo != ranked:
            rec['notes'].append({'kind': 'group_rank', 'td': ranked, 'configured': cfg['groups']})


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--replay':
        cfg = json.loads(sys.argv[2])
        print(json.dumps(check(cfg), indent=1))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    out = sys.argv[3] if len(sys.argv) > 3 else f'{D}/results.jsonl'
    rng = random.Random(seed)
    t_start = time.time()
    with open(out, 'a') as f:
        for i in range(n):
            cfg = gen_config(rng)
            cfg['idx'] = i; cfg['seed'] = seed
            rec = check(cfg)
            f.write(json.dumps(rec) + '\n'); f.flush()
            kinds = [x['kind'] for x in rec['issues']]
            print(f"[{i}] {time.time()-t_start:6.0f}s td={rec.get('td_seconds')} issues={kinds} "
                  f"notes={len(rec['notes'])} {'SERVER_FAILED' if 'server_failed' in rec else ''}", flush=True)
            if time.time() - t_start > 50 * 60:
                print('time budget reached'); break


if __name__ == '__main__':
    main()
