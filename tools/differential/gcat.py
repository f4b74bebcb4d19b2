import os
import subprocess, re, json, itertools
KX=['ECDHE-RSA','ECDHE-ECDSA','DHE-RSA','RSA','DHE-DSS','ECDHE-PSK','DHE-PSK','PSK','RSA-PSK','ANON-DH','ANON-ECDH','SRP','SRP-RSA']
CI=['AES-128-GCM','AES-256-GCM','CHACHA20-POLY1305','AES-128-CBC','AES-256-CBC','3DES-CBC','CAMELLIA-128-GCM','CAMELLIA-256-GCM','CAMELLIA-128-CBC','CAMELLIA-256-CBC','AES-128-CCM','AES-256-CCM','AES-128-CCM-8','AES-256-CCM-8','ARCFOUR-128','NULL','GOST28147-TC26Z-CNT']
MA=['AEAD','SHA1','SHA256','SHA384','MD5','UMAC-96','UMAC-128','GOST28147-TC26Z-IMIT']
cat={}
for k,c,m in itertools.product(KX,CI,MA):
    pr=f'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+VERS-SSL3.0:+{k}:+{c}:+{m}:+COMP-NULL:+SIGN-ALL:+GROUP-ALL'
    out=subprocess.run(['gnutls-cli','-l','--priority',pr],capture_output=True,text=True).stdout
    for line in out.splitlines():
        mm=re.match(r'(\S+)\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\s+(\S+)',line)
        if mm:
            cid=int(mm.group(2)+mm.group(3),16)
            minv=mm.group(4)
            if minv=='TLS1.3': cat[cid]=dict(name=mm.group(1),kx=None,cipher=c,mac='AEAD',minver=minv)
            else: cat[cid]=dict(name=mm.group(1),kx=k,cipher=c,mac=m,minver=minv)
json.dump({hex(k):v for k,v in sorted(cat.items())},open(os.path.join(os.environ.get('DIFF_WORKDIR', '/tmp/tlsdoctor-differential'), 'gcat.json'), 'w'),indent=0)
print(len(cat))
