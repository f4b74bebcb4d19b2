#!/usr/bin/env python3
"""Differential campaign: tlsdoctor vs nginx (OpenSSL 3.0) with s_client ground truth.
python3 ncampaign.py N SEED [out.jsonl] [budget_s]  |  python3 ncampaign.py --replay CFGJSON"""
import os, sys, shutil, signal
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
         'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']
TLS13_ID = {n: 0x1301 + i for i, n in enumerate(TLS13)}
NPROTO = {'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3'}
CURVES = ['X25519', 'prime256v1', 'secp384r1', 'secp521r1', 'X448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096']
CURVE_TD = {'X25519': 'x25519', 'prime256v1': 'secp256r1', 'secp384r1': 'secp384r1', 'secp521r1': 'secp521r1',
            'X448': 'x448', 'ffdhe2048': 'ffdhe2048', 'ffdhe3072': 'ffdhe3072', 'ffdhe4096': 'ffdhe4096'}
CHACHA = {0x1303, 0xcca8, 0xcca9, 0xccaa}

def usable(cid, auths):
    c = OCAT[cid]
    if c['minver'] == 'TLSv1.3' or 'PSK' in c['kx'] or 'SRP' in c['kx']:
        return False
    return c['au'] in auths

def openssl_list(cipherstr, ver):
    return [i for i, _ in openssl_ciphers(cipherstr, ver)]


def gen(rng):
    cfg = {'cert': rng.choices(['rsa', 'ec', 'both'], [0.4, 0.3, 0.3])[0]}
    auths = {'rsa': {'RSA', 'None'}, 'ec': {'ECDSA', 'None'}, 'both': {'RSA', 'ECDSA', 'None'}}[cfg['cert']]
    vers = [v for v in VERS if rng.random() < 0.55] or [rng.choice(VERS)]
    cfg['protocols'] = vers
    pool = sorted(c for c in OCAT if usable(c, auths | ({'None'} if rng.random() < 0.1 else set())))
    if rng.random() < 0.25:
        kw = rng.choice(['HIGH', 'MEDIUM', 'ECDHE', 'DHE', 'kRSA', 'AESGCM', 'CHACHA20', 'CAMELLIA', 'ARIA',
                         'SHA1', 'SHA256', 'AES128', 'AES256', '3DES', 'CCM', 'ALL', 'DEFAULT', 'EECDH+AESGCM:EDH+AESGCM'])
        parts = [kw] + rng.sample(['!aNULL', '!kRSA', '!SHA1', '!DHE', '+AES256', '!CBC', '@STRENGTH', '!3DES', '!ECDSA', '!RSA'],
                                  rng.randint(0, 3))
    else:
        parts = [OCAT[c]['name'] for c in rng.sample(pool, min(rng.randint(1, 14), len(pool)))]
    sec0 = any(v in vers for v in ('TLSv1.0', 'TLSv1.1')) or rng.random() < 0.4
    cfg['ciphers'] = ':'.join(parts) + (':@SECLEVEL=0' if sec0 else '')
    cfg['prefer'] = rng.random() < 0.6
    cfg['chacha'] = rng.random() < 0.3
    cfg['suites13'] = rng.sample(TLS13, rng.randint(1, 5)) if rng.random() < 0.6 else None
    cfg['curves'] = rng.sample(CURVES, rng.randint(1, 5)) if rng.random() < 0.6 else None
    cfg['dhparam'] = rng.random() < 0.3
    return cfg

def conf_text(cfg, port, d):
    L = ['daemon off;', 'master_process off;', 'worker_processes 1;', f'pid {d}/nginx.pid;', f'error_log {d}/error.log;',
         'events { worker_connections 256; }', 'http {', '  access_log off;',
         f'  client_body_temp_path {d}/cb;', f'  proxy_temp_path {d}/px;', f'  fastcgi_temp_path {d}/fc;',
         f'  uwsgi_temp_path {d}/uw;', f'  scgi_temp_path {d}/sc;',
         '  server {', f'    listen 127.0.0.1:{port} ssl;']
    if cfg['cert'] in ('rsa', 'both'):
        L += [f'    ssl_certificate {D}/rsa.crt;', f'    ssl_certificate_key {D}/rsa.key;']
    if cfg['cert'] in ('ec', 'both'):
        L += [f'    ssl_certificate {D}/ec.crt;', f'    ssl_certificate_key {D}/ec.key;']
    L += [f'    ssl_protocols {" ".join(NPROTO[v] for v in cfg["protocols"])};', f'    ssl_ciphers \'{cfg["ciphers"]}\';',
          f'    ssl_prefer_server_ciphers {"on" if cfg["prefer"] else "off"};']
    if cfg['curves']:
        L.append(f'    ssl_ecdh_curve {":".join(cfg["curves"])};')
    if cfg['suites13']:
        L.append(f'    ssl_conf_command Ciphersuites {":".join(cfg["suites13"])};')
    if cfg['chacha']:
        L.append('    ssl_conf_command Options PrioritizeChaCha;')
    if cfg['dhparam']:
        L.append(f'    ssl_dhparam {D}/dh.pem;')
    L += ['    location / { return 200 "ok\\n"; }', '  }', '}']
    return '\n'.join(L) + '\n'

def start(cfg):
    for _ in range(4):
        port = free_port()
        d = f'{D}/ngx_{port}'
        shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
        conf = conf_text(cfg, port, d)
        open(f'{d}/nginx.conf', 'w').write(conf)
        cmd = ['nginx', '-p', d, '-c', f'{d}/nginx.conf', '-e', f'{d}/error.log']
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(f'{d}/stderr', 'w'), stdin=subprocess.DEVNULL)
        if wait_port(p, port):
            return p, port, conf, d
        if p.poll() is not None:
            err = open(f'{d}/stderr').read() + open(f'{d}/error.log').read() if os.path.exists(f'{d}/error.log') else ''
            return None, port, conf + '\n# ' + err[-600:], d
        p.kill(); p.wait()
    return None, port, conf, d

def accept(port, v, cid):
    r = sclient(port, v, [cid])
    if r is None and OCAT[cid]['au'] == 'ECDSA':
        r = sclient(port, v, [cid], ['secp256r1', 'x25519', 'secp384r1'])
    return r is not None and r[1] == cid and r[0] == v

def check(cfg):
    rec = {'config': cfg, 'issues': [], 'notes': []}
    auths = {'rsa': {'RSA', 'None'}, 'ec': {'ECDSA', 'None'}, 'both': {'RSA', 'ECDSA', 'None'}}[cfg['cert']]
    srv, port, conf, d = start(cfg)
    rec['conf'] = conf
    if srv is None:
        rec['server_failed'] = True; shutil.rmtree(d, ignore_errors=True); return rec
    try:
        td = scan_into(rec, port)
        if td is None: return rec
        tdp = {p['version']: p for p in td['protocols']}
        for v in ('SSLv2', 'SSLv3'):
            if tdp.get(v, {}).get('supported'):
                rec['issues'].append({'kind': 'proto', 'ver': v, 'td': True, 'gt': False})
        rec['td'] = {v: [tdp[v]['supported'], tdp[v]['serverPreference'], [c['id'] for c in tdp[v]['cipherSuites']], tdp[v].get('prioritizesChaCha')] for v in VERS}
        rec['td_groups'] = [(g['name'], g['versions'], g.get('rank')) for g in td['groups']]
        rec['td_alt'] = [a.get('auth') for a in td.get('alternateChains', [])]
        curves = cfg['curves'] or ['X25519', 'prime256v1', 'X448', 'secp521r1', 'secp384r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192']
        has_ec = any(c in ('X25519', 'prime256v1', 'secp384r1', 'secp521r1', 'X448') for c in curves)
        gt = {}
        for v in VERS:
            if v not in cfg['protocols']:
                exp = []
            elif v == 'TLSv1.3':
                exp = [TLS13_ID[n] for n in (cfg['suites13'] or TLS13[1:3] + TLS13[:1])]
            else:
                exp = [c for c in openssl_list(cfg['ciphers'], v) if c in OCAT and usable(c, auths)
                       and not (OCAT[c]['kx'] == 'ECDH' and not has_ec) and not (OCAT[c]['kx'] == 'DH' and not cfg['dhparam'])]
            tl = rec['td'][v][2]; tds = set(tl); E = set(exp)
            acc = set(E & tds)
            for cid in sorted(E ^ tds):
                a = accept(port, v, cid) if cid in OCAT else None
                if a: acc.add(cid)
                ent = {'ver': v, 'suite': cname(cid), 'id': hex(cid), 'td': cid in tds, 'exp': cid in E, 'gt': a}
                if a is not None and a != (cid in tds): ent['kind'] = 'suite'; rec['issues'].append(ent)
                else: ent['kind'] = 'suite_other'; rec['notes'].append(ent)
            gt[v] = acc
            tsup = rec['td'][v][0]
            gsup = bool(acc)
            if tsup != gsup or (tsup != (v in cfg['protocols'])):
                r = sclient(port, v)
                gsup2 = r is not None and r[0] == v
                if tsup != gsup2:
                    rec['issues'].append({'kind': 'proto', 'ver': v, 'td': tsup, 'gt': gsup2})
            if tsup and not tds:
                rec['issues'].append({'kind': 'supported_but_no_suites', 'ver': v})
            # preference
            tp = rec['td'][v][1]
            nonch = [c for c in tl if c not in CHACHA]
            if len(tl) >= 2:
                pair = (nonch[0], nonch[-1]) if len(nonch) >= 2 else (tl[0], tl[-1])
                # With PrioritizeChaCha, a pair that holds a ChaCha20 suite, offered both ways, is
                # answered as a client-order server would: no ground truth from it (session 13).
                chacha_pair = cfg['chacha'] and any(c in CHACHA for c in pair)
                g = None if chacha_pair else gt_pref(port, v, *pair)
                if chacha_pair: rec['notes'].append({'kind': 'pref_chacha_pair', 'ver': v})
                elif g is None: rec['notes'].append({'kind': 'pref_inconclusive', 'ver': v})
                elif bool(tp) != g:
                    rec['issues'].append({'kind': 'serverpref', 'ver': v, 'td': tp, 'gt': g, 'pair': [cname(pair[0]), cname(pair[1])]})
                if tp:
                    o = gt_order(port, v, tl)
                    if o != tl:
                        o2 = gt_order(port, v, list(reversed(tl)))
                        ent = {'ver': v, 'td': [cname(c) for c in tl], 'gt': [cname(c) if isinstance(c, int) else c for c in o],
                               'gt_rev': [cname(c) if isinstance(c, int) else c for c in o2], 'chacha': cfg['chacha']}
                        ent['kind'] = 'order' if o == o2 else 'order_unstable'
                        (rec['issues'] if o == o2 else rec['notes']).append(ent)
                    # prioritizesChaCha
                    ch = [c for c in tl if c in CHACHA]
                    if ch and tl.index(ch[0]) > 0:
                        x = tl[0]
                        r = sclient(port, v, [ch[0], x])
                        if r:
                            gch = r[1] == ch[0]
                            if bool(rec['td'][v][3]) != gch:
                                rec['issues'].append({'kind': 'prioritizesChaCha', 'ver': v, 'td': rec['td'][v][3], 'gt': gch,
                                                      'configured': cfg['chacha']})
        rec['gt'] = {v: sorted(s) for v, s in gt.items()}
        check_groups(port, td, gt, rec, cfg)
        # alternate chains
        if cfg['cert'] == 'both':
            leg = set().union(*(gt[v] for v in ('TLSv1.0', 'TLSv1.1', 'TLSv1.2')))
            both = {OCAT[c]['au'] for c in leg} >= {'RSA', 'ECDSA'} or bool(gt['TLSv1.3'])
            if both and not rec['td_alt']:
                rec['issues'].append({'kind': 'alt_missing'})
        elif rec['td_alt']:
            rec['issues'].append({'kind': 'alt_spurious', 'td': rec['td_alt']})
        if td.get('errors'):
            if any(gt.values()) or any(e.get('code') not in ('no-tls',) for e in td['errors']):
                rec['issues'].append({'kind': 'td_errors', 'detail': td['errors']})
            else:
                rec['notes'].append({'kind': 'td_errors_ok_no_tls'})
    finally:
        srv.kill(); srv.wait()
        shutil.rmtree(d, ignore_errors=True)
    return rec

def check_groups(port, td, gt, rec, cfg):
    td13 = {g['name'] for g in td['groups'] if 'TLSv1.3' in g['versions']}
    td12 = {g['name'] for g in td['groups'] if any(x != 'TLSv1.3' for x in g['versions'])}
    if gt['TLSv1.3']:
        g13 = set()
        for g in ALLG:
            r = sclient(port, 'TLSv1.3', sorted(gt['TLSv1.3']), [g])
            if r and r[2] == g: g13.add(g)
        rec['gt_groups13'] = sorted(g13)
        for g in sorted(g13 ^ td13):
            rec['issues'].append({'kind': 'group', 'ver': 'TLSv1.3', 'group': g, 'td': g in td13, 'gt': g in g13})
    elif td13:
        rec['issues'].append({'kind': 'group', 'ver': 'TLSv1.3', 'detail': 'groups for unsupported TLS1.3', 'td': sorted(td13)})
    legacy = [v for v in ('TLSv1.2', 'TLSv1.1', 'TLSv1.0') if gt[v]]
    ecs = {v: [c for c in gt[v] if OCAT[c]['kx'] == 'ECDH'] for v in legacy}
    ecs = {v: l for v, l in ecs.items() if l}
    if ecs:
        v = next(iter(ecs)); g12 = set(); unk = set()
        for g in sorted(ECG):
            r = sclient(port, v, ecs[v], [g])
            ok = r is not None and r[2] == g
            if not ok and cfg['cert'] != 'rsa' and g != 'secp256r1':
                r2 = sclient(port, v, ecs[v], [g, 'secp256r1'])
                if r2 is not None and r2[2] == g: ok = True
                elif r2 is not None: unk.add(g)
            if ok: g12.add(g)
        rec['gt_groups12'] = sorted(g12)
        for g in sorted((g12 ^ (td12 & ECG)) - unk):
            rec['issues'].append({'kind': 'group', 'ver': v, 'group': g, 'td': g in td12, 'gt': g in g12})
    elif td12 & ECG:
        rec['issues'].append({'kind': 'group', 'detail': 'legacy EC groups without ECDHE suites', 'td': sorted(td12)})
    ranked = [g['name'] for g in sorted((g for g in td['groups'] if 'TLSv1.3' in g['versions'] and g.get('rank') is not None), key=lambda g: g['rank'])]
    rec['td_rank'] = ranked
    if cfg['curves'] and ranked:
        eo = [CURVE_TD[c] for c in cfg['curves'] if CURVE_TD[c] in ranked]
        if eo != ranked:
            rec['notes'].append({'kind': 'group_rank_vs_config', 'td': ranked, 'configured': cfg['curves'], 'prefer': cfg['prefer']})

if __name__ == '__main__':
    campaign_main(gen, check, 'nresults.jsonl')
