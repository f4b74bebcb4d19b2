#!/usr/bin/env python3
"""Differential campaign: tlsdoctor vs gnutls-serv (ground truth from gnutls-cli / openssl s_client).
python3 gcampaign.py N SEED [out.jsonl]   |  python3 gcampaign.py --replay CFGJSON"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

KXS = ['ECDHE-RSA', 'ECDHE-ECDSA', 'DHE-RSA', 'RSA']
CIPHERS = ['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305', 'AES-128-CBC', 'AES-256-CBC', '3DES-CBC',
           'CAMELLIA-128-GCM', 'CAMELLIA-256-GCM', 'CAMELLIA-128-CBC', 'CAMELLIA-256-CBC', 'AES-128-CCM',
           'AES-256-CCM', 'AES-128-CCM-8', 'AES-256-CCM-8', 'ARCFOUR-128']
MACS = [('AEAD', .8), ('SHA1', .6), ('SHA256', .4), ('SHA384', .3), ('MD5', .1)]
GROUPS = list(G_GNUTLS.keys())

def gen(rng):
    cfg = {'cert': rng.choices(['rsa', 'ec', 'both'], [0.45, 0.3, 0.25])[0]}
    vers = [v for v in VERS if rng.random() < 0.55] or [rng.choice(VERS)]
    rng.shuffle(vers)
    if rng.random() < 0.15:
        base = rng.choice(['NORMAL', 'PERFORMANCE', 'SECURE128', 'SECURE256', 'LEGACY'])
        mods = ['-VERS-ALL'] + ['+' + GVERS[v] for v in vers]
        if rng.random() < 0.5: mods.append('+' + rng.choice(KXS))
        if rng.random() < 0.5: mods.append('-' + rng.choice(KXS))
        if rng.random() < 0.4: mods.append('-' + rng.choice(CIPHERS))
        if rng.random() < 0.3: mods.append('+' + rng.choice(CIPHERS))
        if rng.random() < 0.3: mods.append('-' + rng.choice(list(G_GNUTLS.values())))
        if rng.random() < 0.2: mods.append('-' + rng.choice(['SHA1', 'AEAD', 'SHA256']))
        prio = base + ':' + ':'.join(mods)
    else:
        gr = rng.sample(GROUPS, rng.randint(1, 5)) if rng.random() < 0.9 else []
        kx = [k for k in KXS if rng.random() < 0.5] or [rng.choice(KXS)]
        rng.shuffle(kx)
        ci = rng.sample(CIPHERS, rng.randint(1, 6))
        if rng.random() < 0.7 and not set(ci) & {'AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305', 'AES-128-CBC', 'AES-256-CBC'}:
            ci.insert(rng.randrange(len(ci) + 1), rng.choice(['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305', 'AES-128-CBC', 'AES-256-CBC']))
        if cfg['cert'] == 'rsa' and kx == ['ECDHE-ECDSA'] and rng.random() < 0.8: kx = ['ECDHE-RSA']
        if cfg['cert'] == 'ec' and 'ECDHE-ECDSA' not in kx and rng.random() < 0.8: kx.append('ECDHE-ECDSA')
        macs = [m for m, p in MACS if rng.random() < p] or ['AEAD']
        if os.environ.get('GBIAS13'):
            if 'AEAD' not in macs: macs.append('AEAD')
            if not set(ci) & {'AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305', 'AES-128-CCM'}:
                ci.append(rng.choice(['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305', 'AES-128-CCM']))
            if 'TLSv1.3' not in vers: vers.append('TLSv1.3')
            if not [k for k in kx if k.startswith('ECDHE') or k == 'DHE-RSA']: kx.append('ECDHE-RSA' if cfg['cert'] != 'ec' else 'ECDHE-ECDSA')
            if rng.random() < 0.5 and len(gr) < 2: gr += [g for g in rng.sample(GROUPS, 3) if g not in gr]
        rng.shuffle(macs)
        parts = ['NONE'] + ['+' + GVERS[v] for v in vers] + ['+' + k for k in kx] + ['+' + c for c in ci] + \
                ['+' + m for m in macs] + ['+COMP-NULL', '+SIGN-ALL'] + ['+' + G_GNUTLS[g] for g in gr]
        if rng.random() < 0.3:
            rng.shuffle(parts[1:])   # gnutls priority strings are order-sensitive within each class only
        prio = ':'.join(parts)
    if rng.random() < 0.5:
        prio += ':%SERVER_PRECEDENCE'
    cfg['priority'] = prio
    return cfg

def server_cmd(cfg, port):
    cmd = ['gnutls-serv', '--port', str(port)]
    if cfg['cert'] in ('rsa', 'both'):
        cmd += ['--x509certfile', f'{D}/rsa.crt', '--x509keyfile', f'{D}/rsa.key']
    if cfg['cert'] in ('ec', 'both'):
        cmd += ['--x509certfile', f'{D}/ec.crt', '--x509keyfile', f'{D}/ec.key']
    return cmd + ['--http', '--quiet', '--priority', cfg['priority']]

def listing(prio):
    rc, out, err = run(['gnutls-cli', '-l', '--priority', prio])
    suites = []
    for line in out.splitlines():
        mm = re.match(r'(\S+)\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\s+(\S+)', line)
        if mm:
            suites.append((int(mm.group(2) + mm.group(3), 16), mm.group(4)))
    pm = re.search(r'Protocols: ([^\n]*)', out)
    prots = [x.strip() for x in pm.group(1).split(',')] if pm else []
    gm = re.search(r'Groups: ([^\n]*)', out)
    groups = [x.strip() for x in gm.group(1).split(',')] if gm else []
    return suites, prots, groups, rc

def applicable(cid, minv, ver, cert):
    c = GCAT.get(cid, {})
    if ver == 'TLSv1.3':
        return minv == 'TLS1.3'
    if minv == 'TLS1.3' or (minv == 'TLS1.2' and ver != 'TLSv1.2'):
        return False
    kx = c.get('kx')
    if kx == 'ECDHE-ECDSA':
        return cert in ('ec', 'both')
    if kx in ('ECDHE-RSA', 'DHE-RSA', 'RSA'):
        return cert in ('rsa', 'both')
    return False

def start(cfg):
    for _ in range(4):
        port = free_port()
        cmd = server_cmd(cfg, port)
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(f'{D}/gserv.err', 'w'), stdin=subprocess.DEVNULL)
        if wait_port(p, port):
            return p, port, cmd
        if p.poll() is not None:
            return None, port, cmd
        p.kill(); p.wait()
    return None, port, cmd

def accept(port, ver, cid):
    r = gcli_suite(port, ver, cid)
    if not r and GCAT.get(cid, {}).get('kx') == 'DHE-RSA':
        r = gcli_suite(port, ver, cid, '+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1')
    return r

def check(cfg):
    rec = {'config': cfg, 'issues': [], 'notes': []}
    suites, prots, lgroups, lrc = listing(cfg['priority'])
    rec['listing_protocols'] = prots
    srv, port, cmd = start(cfg)
    rec['cmd'] = ' '.join(repr(c) if ':' in c or '%' in c else c for c in cmd)
    if srv is None:
        rec['server_failed'] = open(f'{D}/gserv.err').read()[-500:]
        return rec
    try:
        td = scan_into(rec, port)
        if td is None: return rec
        if td.get('errors'): rec['td_errors'] = td['errors']
        tdp = {p['version']: p for p in td['protocols']}
        for v in ('SSLv2', 'SSLv3'):
            if tdp.get(v, {}).get('supported'):
                rec['issues'].append({'kind': 'proto', 'ver': v, 'td': True, 'gt': 'gnutls 3.7 has no SSLv2/3'})
        rec['td'] = {v: [tdp[v]['supported'], tdp[v]['serverPreference'], [c['id'] for c in tdp[v]['cipherSuites']]] for v in VERS}
        rec['td_groups'] = [(g['name'], g['versions'], g.get('rank')) for g in td['groups']]
        rec['td_alt'] = [a.get('auth') for a in td.get('alternateChains', [])]
        gt = {}
        for v in VERS:
            cands = {cid for cid, mv in suites if applicable(cid, mv, v, cfg['cert']) and GVERS[v] in prots}
            tds = set(rec['td'][v][2])
            acc = set()
            for cid in sorted(cands | tds):
                a = accept(port, v, cid)
                if a: acc.add(cid)
                if a != (cid in tds):
                    ent = {'ver': v, 'suite': cname(cid), 'id': hex(cid), 'td': cid in tds, 'gt': a, 'listed': cid in cands}
                    if a is None: ent['kind'] = 'suite_unknown_to_gnutls'; rec['notes'].append(ent)
                    else: ent['kind'] = 'suite'; rec['issues'].append(ent)
                elif cid not in cands and a:
                    rec['notes'].append({'kind': 'accepted_not_listed', 'ver': v, 'suite': cname(cid)})
            gt[v] = acc
            tsup = rec['td'][v][0]
            gsup = bool(acc)
            if not gsup and tsup:
                d = gcli(port, f'NONE:+{GVERS[v]}:+KX-ALL:+CIPHER-ALL:+MAC-ALL:+COMP-NULL:+SIGN-ALL:+GROUP-ALL')
                gsup = d is not None and d.startswith('(' + v.replace('TLSv', 'TLS') + '-')
            if tsup != gsup:
                rec['issues'].append({'kind': 'proto', 'ver': v, 'td': tsup, 'gt': gsup})
            if tsup and not tds:
                rec['issues'].append({'kind': 'supported_but_no_suites', 'ver': v})
            # preference / order (openssl-known suites only)
            tl = [c for c in rec['td'][v][2] if c in OCAT and c in acc]
            tp = rec['td'][v][1]
            if len(tl) >= 2:
                g = gt_pref(port, v, tl[0], tl[-1])
                if g is None:
                    rec['notes'].append({'kind': 'pref_inconclusive', 'ver': v})
                elif bool(tp) != g:
                    rec['issues'].append({'kind': 'serverpref', 'ver': v, 'td': tp, 'gt': g,
                                          'pair': [cname(tl[0]), cname(tl[-1])]})
                if tp:
                    o = gt_order(port, v, tl)
                    if o != tl:
                        o2 = gt_order(port, v, list(reversed(tl)))
                        ent = {'ver': v, 'td': [cname(c) for c in tl], 'gt': [cname(c) if isinstance(c, int) else c for c in o],
                               'gt_rev': [cname(c) if isinstance(c, int) else c for c in o2]}
                        ent['kind'] = 'order' if o == o2 else 'order_unstable'
                        (rec['issues'] if o == o2 else rec['notes']).append(ent)
        check_groups(port, td, gt, rec)
        if rec.get('td_errors'):
            if any(gt.values()) or any(e.get('code') not in ('no-tls', 'unreachable') for e in rec['td_errors']):
                rec['issues'].append({'kind': 'td_errors', 'detail': rec['td_errors']})
            else:
                rec['notes'].append({'kind': 'td_errors_ok_no_tls'})
    finally:
        srv.kill(); srv.wait()
    return rec

def check_groups(port, td, gt, rec):
    td13 = [g['name'] for g in td['groups'] if 'TLSv1.3' in g['versions']]
    td12 = {g['name'] for g in td['groups'] if any(x != 'TLSv1.3' for x in g['versions'])}
    if gt['TLSv1.3']:
        g13 = {g for g in ALLG if gcli_group(port, 'TLSv1.3', g, sorted(gt['TLSv1.3']))}
        rec['gt_groups13'] = sorted(g13)
        for g in sorted(g13 ^ set(td13)):
            rec['issues'].append({'kind': 'group', 'ver': 'TLSv1.3', 'group': g, 'td': g in td13, 'gt': g in g13})
        ranked = [g['name'] for g in sorted((g for g in td['groups'] if 'TLSv1.3' in g['versions'] and g.get('rank') is not None), key=lambda g: g['rank'])]
        if ranked:
            for hi, lo in zip(ranked, ranked[1:]):
                r = sclient(port, 'TLSv1.3', None, [lo, hi])
                if r and r[2] != hi:
                    rec['issues'].append({'kind': 'group_rank', 'td': ranked, 'pair': [hi, lo], 'gt_chosen_when_offering_lo_first': r[2]})
        elif len(g13) >= 2:
            a, b = sorted(g13)[:2]
            r1 = sclient(port, 'TLSv1.3', None, [a, b]); r2 = sclient(port, 'TLSv1.3', None, [b, a])
            if r1 and r2 and r1[2] == r2[2]:
                rec['issues'].append({'kind': 'group_rank_missing', 'pair': [a, b], 'chosen': r1[2]})
    elif td13:
        rec['issues'].append({'kind': 'group', 'ver': 'TLSv1.3', 'detail': 'groups for unsupported TLS1.3', 'td': td13})
    legacy = [v for v in ('TLSv1.2', 'TLSv1.1', 'TLSv1.0') if gt[v]]
    if legacy:
        v = legacy[0]
        ec_kx = sorted(c for c in gt[v] if (GCAT.get(c, {}).get('kx') or '').startswith('ECDHE'))
        if ec_kx:
            g12 = {g for g in ECG if gcli_group(port, v, g, ec_kx)}
            rec['gt_groups12'] = sorted(g12)
            for g in sorted(g12 ^ (td12 & ECG)):
                rec['issues'].append({'kind': 'group', 'ver': v, 'group': g, 'td': g in td12, 'gt': g in g12})
        elif td12 & ECG:
            rec['issues'].append({'kind': 'group', 'ver': v, 'detail': 'EC groups but no ECDHE suites', 'td': sorted(td12)})
        dh = [c for c in gt[v] if GCAT.get(c, {}).get('kx') == 'DHE-RSA']
        if dh:
            f12 = {g for g in ALLG if g not in ECG and gcli_group(port, v, g, dh)}
            rec['gt_ffdhe12'] = sorted(f12)
            if f12 != (td12 - ECG):
                rec['notes'].append({'kind': 'ffdhe12', 'gt': sorted(f12), 'td': sorted(td12 - ECG)})
    elif td12:
        rec['issues'].append({'kind': 'group', 'detail': 'legacy groups but no legacy version', 'td': sorted(td12)})

if __name__ == '__main__':
    campaign_main(gen, check, 'gresults.jsonl')
