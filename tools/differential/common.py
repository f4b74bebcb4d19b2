import json, os, random, re, socket, subprocess, sys, time
import os as _os
# The work folder (certificates, results) and the tlsdoctor to test: environment, else defaults.
D = _os.environ.get('DIFF_WORKDIR', '/tmp/tlsdoctor-differential')
_BIN = _os.environ.get('TLSDOCTOR_BIN', _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), '..', '..', 'bin', 'tlsdoctor.js'))
TLSDOCTOR = ['node', _BIN, 'scan', '--json', '--no-clients', '--no-http']
VERS = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
VFLAG = {'TLSv1.0': '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3'}
GVERS = {'TLSv1.0': 'VERS-TLS1.0', 'TLSv1.1': 'VERS-TLS1.1', 'TLSv1.2': 'VERS-TLS1.2', 'TLSv1.3': 'VERS-TLS1.3'}
ALLG = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192']
ECG = set(ALLG[:5])
G_GNUTLS = {'x25519': 'GROUP-X25519', 'secp256r1': 'GROUP-SECP256R1', 'secp384r1': 'GROUP-SECP384R1',
            'secp521r1': 'GROUP-SECP521R1', 'x448': 'GROUP-X448', 'ffdhe2048': 'GROUP-FFDHE2048',
            'ffdhe3072': 'GROUP-FFDHE3072', 'ffdhe4096': 'GROUP-FFDHE4096', 'ffdhe6144': 'GROUP-FFDHE6144',
            'ffdhe8192': 'GROUP-FFDHE8192'}
G_OSSL = {'x25519': 'X25519', 'secp256r1': 'P-256', 'secp384r1': 'P-384', 'secp521r1': 'P-521', 'x448': 'X448',
          'ffdhe2048': 'ffdhe2048', 'ffdhe3072': 'ffdhe3072', 'ffdhe4096': 'ffdhe4096', 'ffdhe6144': 'ffdhe6144',
          'ffdhe8192': 'ffdhe8192'}
T = 60

def run(cmd, timeout=T, inp=''):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=inp)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 'timeout', '', ''

GCAT = {int(k, 16): v for k, v in json.load(open(f'{D}/gcat.json')).items()}

def ossl_catalogue():
    rc, out, _ = run(['openssl', 'ciphers', '-V', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'])
    cat = {}
    for line in out.splitlines():
        m = re.match(r'\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)', line)
        if m:
            cat[int(m.group(1) + m.group(2), 16)] = dict(name=m.group(3), minver=m.group(4), kx=m.group(5), au=m.group(6))
    return cat
OCAT = ossl_catalogue()
for _i, _n in enumerate(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']):
    OCAT[0x1301 + _i] = dict(name=_n, minver='TLSv1.3', kx='any', au='any')
ONAME2ID = {v['name']: k for k, v in OCAT.items()}

def cname(cid):
    return (OCAT.get(cid) or GCAT.get(cid) or {}).get('name', hex(cid))

def free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

def wait_port(p, port, t=10):
    t0 = time.time()
    while time.time() - t0 < t:
        if p.poll() is not None:
            return False
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=1); s.close(); time.sleep(0.15); return True
        except OSError:
            time.sleep(0.05)
    return False

def scan_into(rec, port, rc_kind='td_rc'):
    """tlsdoctor's scan of the port, with a crash, a non-zero exit and a scan over 10 s recorded in rec; None after a crash."""
    td, dt, tderr = tlsdoctor(port)
    rec['td_seconds'] = round(dt, 2)
    if td is None:
        rec['issues'].append({'kind': 'td_crash', 'detail': tderr})
        return None
    if tderr:
        rec['notes'].append({'kind': rc_kind, 'detail': tderr})
    if dt > 10:
        rec['issues'].append({'kind': 'td_slow', 'detail': dt})
    return td

# DIFF_PROXY: a latency proxy to scan through, as a command that takes --listen PORT --target HOST:PORT,
# e.g. "node ../shared/bench/latency-proxy.mjs --rtt 50" or "node bench/tcp-rtt-proxy.mjs --rtt 50":
# the far-server strategies (queueing verdicts, pipelined closes, connections opened ahead) get
# exercised too. The ground truth is still asked directly.
_PROXY = _os.environ.get('DIFF_PROXY')

def tlsdoctor(port):
    proxy = None
    if _PROXY:
        lp = free_port()
        proxy = subprocess.Popen(_PROXY.split() + ['--listen', str(lp), '--target', f'127.0.0.1:{port}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_port(proxy, lp):
            proxy.kill(); proxy.wait()
            return None, 0, f'the proxy ({_PROXY}) did not start'
        port = lp
    t0 = time.time()
    try:
        rc, out, err = run(TLSDOCTOR + [f'127.0.0.1:{port}'], timeout=120)
    finally:
        if proxy:
            proxy.kill(); proxy.wait()
    dt = time.time() - t0
    try:
        d = json.loads(out.strip().splitlines()[-1])
    except Exception:
        return None, dt, f'rc={rc} stdout={out[-500:]!r} stderr={err[-1500:]!r}'
    return d, dt, (err[-500:] if rc != 0 else None)

TLS13_NAMES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']

def sclient_text(port, ver, ciphers=None, groups=None):
    """One openssl s_client handshake (OpenSSL suite and group names): (protocol, OpenSSL cipher name, Server Temp Key text or None), or None."""
    cmd = ['openssl', 's_client', '-connect', f'127.0.0.1:{port}', VFLAG[ver]]
    if ver == 'TLSv1.3':
        cmd += ['-ciphersuites', ':'.join(ciphers or TLS13_NAMES)]
    else:
        cmd += ['-cipher', ':'.join(ciphers or ['ALL', 'COMPLEMENTOFALL']) + ':@SECLEVEL=0']
    if groups:
        cmd += ['-groups', ':'.join(groups)]
    rc, out, err = run(cmd, timeout=20)
    m = re.search(r'New, (\S+), Cipher is (\S+)', out)
    if not m or m.group(2) == '(NONE)':
        return None
    pm = re.search(r'Protocol\s*: (\S+)', out)
    proto = {'TLSv1': 'TLSv1.0'}.get(pm.group(1), pm.group(1)) if pm else None
    tk = re.search(r'Server Temp Key: ([^\n]+)', out)
    return (proto, m.group(2), tk.group(1) if tk else None)

def sclient(port, ver, ciphers=None, groups=None):
    """ciphers: list of ids. returns (proto, cipher_id, group) or None"""
    r = sclient_text(port, ver, [cname(c) for c in ciphers] if ciphers else None, [G_OSSL[g] for g in groups] if groups else None)
    if r is None:
        return None
    return (r[0], ONAME2ID.get(r[1], r[1]), tempkey_group(r[2]) if r[2] else None)

def tempkey_group(s):
    for pat, g in (('X25519', 'x25519'), ('X448', 'x448'), ('prime256v1', 'secp256r1'), ('secp384r1', 'secp384r1'),
                   ('secp521r1', 'secp521r1')):
        if pat in s:
            return g
    m = re.match(r'DH, (\d+) bits', s)
    if m:
        return 'ffdhe' + m.group(1)
    return s

def gcli(port, prio, timeout=20):
    """gnutls-cli handshake; returns Description string or None"""
    rc, out, err = run(['gnutls-cli', '--priority', prio, '-p', str(port), '127.0.0.1', '--insecure'], timeout=timeout)
    m = re.search(r'- Description: (\S+)', out + err)
    if m and 'Handshake was completed' in out + err:
        return m.group(1)
    return None

def gcli_suite(port, ver, cid, groups='+GROUP-ALL'):
    c = GCAT.get(cid)
    if not c:
        return None
    if ver == 'TLSv1.3':
        pr = f'NONE:+{GVERS[ver]}:+{c["cipher"]}:+AEAD:+COMP-NULL:+SIGN-ALL:{groups}'
    else:
        pr = f'NONE:+{GVERS[ver]}:+{c["kx"]}:+{c["cipher"]}:+{c["mac"]}:+COMP-NULL:+SIGN-ALL:{groups}'
    d = gcli(port, pr)
    if d is None:
        return False
    return d.startswith('(' + ver.replace('TLSv', 'TLS') + '-')

def gcli_group(port, ver, g, suites):
    """negotiate at ver with only group g (suites: accepted suite ids to offer); True if Description shows g"""
    if ver == 'TLSv1.3':
        pr = f'NONE:+{GVERS[ver]}:' + ':'.join('+' + GCAT[c]['cipher'] for c in suites) + f':+AEAD:+COMP-NULL:+SIGN-ALL:+{G_GNUTLS[g]}'
    else:
        parts = []
        for f in ('kx', 'cipher', 'mac'):
            for c in suites:
                x = '+' + GCAT[c][f]
                if x not in parts: parts.append(x)
        pr = f'NONE:+{GVERS[ver]}:' + ':'.join(parts) + f':+COMP-NULL:+SIGN-ALL:+{G_GNUTLS[g]}'
    d = gcli(port, pr)
    if d is None:
        return False
    return G_GNUTLS[g].replace('GROUP-', '') in d.upper()

def gt_order(port, ver, ids):
    rem = list(ids); order = []
    while rem:
        r = sclient(port, ver, rem)
        if not r:
            order.append(('FAIL', [cname(c) for c in rem])); break
        if r[1] not in rem:
            order.append(('UNEXPECTED', r[1])); break
        order.append(r[1]); rem.remove(r[1])
    return order

def gt_pref(port, ver, a, b):
    r1 = sclient(port, ver, [a, b]); r2 = sclient(port, ver, [b, a])
    if not r1 or not r2:
        return None
    return r1[1] == r2[1]


def openssl_ciphers(cipherstr, ver):
    """The TLS <= 1.2 suites OpenSSL enables for `ver` with this cipher string, in its order: (IANA id, OpenSSL name)."""
    rc, out, err = run(['openssl', 'ciphers', '-V', '-s', VFLAG[ver], cipherstr])
    res = []
    for line in out.splitlines():
        m = re.match(r'\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)', line)
        if m and m.group(1) != '13':
            res.append((int(m.group(1) + m.group(2), 16), m.group(3)))
    return res


def campaign_main(gen, check, default_name):
    """The command line of a campaign: N SEED [out.jsonl] [budget_s], or --replay CONFIG_JSON."""
    import signal
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    if sys.argv[1] == '--replay':
        print(json.dumps(check(json.loads(sys.argv[2])), indent=1)); return
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    out = sys.argv[3] if len(sys.argv) > 3 else f'{D}/{default_name}'
    budget = float(sys.argv[4]) if len(sys.argv) > 4 else 1e9
    rng = random.Random(seed); t0 = time.time()
    with open(out, 'a') as f:
        for i in range(n):
            cfg = gen(rng); cfg['idx'] = i; cfg['seed'] = seed
            rec = check(cfg)
            f.write(json.dumps(rec) + '\n'); f.flush()
            print(f"[{i}] {time.time()-t0:5.0f}s td={rec.get('td_seconds')} issues={[x['kind'] for x in rec['issues']]} "
                  f"notes={[x['kind'] for x in rec['notes']]} {'SERVER_FAILED' if rec.get('server_failed') else ''}", flush=True)
            if time.time() - t0 > budget: print('budget'); break

