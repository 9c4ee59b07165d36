#!/usr/bin/env python3
"""Builds manifest.json from sources.json (provenance, verdicts: written by hand) and the
documents themselves (issuer, audience, times, layout features: read from the bytes), then
runs xmlsec1 on every Signature that is a child of the Response or of its top-level Assertion."""
import glob
import json, os, re, subprocess, datetime as dt
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
NS = {'p': 'urn:oasis:names:tc:SAML:2.0:protocol', 'a': 'urn:oasis:names:tc:SAML:2.0:assertion',
      'ds': 'http://www.w3.org/2000/09/xmldsig#', 'xenc': 'http://www.w3.org/2001/04/xmlenc#'}
DS = '{%s}' % NS['ds']
XPATH = {'Response': "/*[local-name()='Response']/*[local-name()='Signature']",
         'Assertion': "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"}

def parse_time(s):
    s = s.strip()
    m = re.match(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$', s)
    if not m:
        return None
    t = dt.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S')
    tz = m.group(3) or 'Z'
    if tz != 'Z':
        sign = 1 if tz[0] == '+' else -1
        t -= sign * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    if m.group(2):
        t += dt.timedelta(microseconds=int(float(m.group(2)) * 1e6))
    return t

def fmt(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')

def xmlsec(path, cert, what):
    keyopt = '--pubkey-pem' if 'PUBLIC KEY' in open(cert).read() else '--pubkey-cert-pem'
    r = subprocess.run(['xmlsec1', '--verify', keyopt, cert, '--enabled-key-data', 'key-name',
                        '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
                        '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response',
                        '--node-xpath', XPATH[what], path], capture_output=True, text=True)
    return 'ok' if r.returncode == 0 else 'fail'

def facts(path):
    raw = open(path, 'rb').read()
    f = {}
    feats = set()
    if raw.startswith(b'\xef\xbb\xbf'): feats.add('bom')
    if b'\r\n' in raw: feats.add('crlf')
    if re.match(rb'<\?xml[^>]*encoding=["\'](iso-8859-1|latin-?1)', raw.lstrip(b'\xef\xbb\xbf'), re.I): feats.add('latin1-decl')
    root = ET.fromstring(raw)
    assertions = root.findall('a:Assertion', NS)
    a = assertions[0] if assertions else None
    # issuer: the (first top-level) Assertion's Issuer, which is what a signed Assertion vouches
    # for; response_issuer is given as well when the Response's own Issuer differs
    riss = root.find('a:Issuer', NS)
    aiss = a.find('a:Issuer', NS) if a is not None else None
    iss = aiss if aiss is not None else riss
    f['issuer'] = iss.text.strip() if iss is not None and iss.text else None
    if riss is not None and riss.text and riss.text.strip() != f['issuer']:
        f['response_issuer'] = riss.text.strip()
    f['destination'] = root.get('Destination')
    f['in_response_to'] = root.get('InResponseTo')
    f['audience'] = [x.text.strip() for x in a.findall('a:Conditions/a:AudienceRestriction/a:Audience', NS)] if a is not None else []
    scds = a.findall('a:Subject/a:SubjectConfirmation/a:SubjectConfirmationData', NS) if a is not None else []
    f['recipient'] = scds[0].get('Recipient') if scds else None
    if f['in_response_to'] is None and scds: f['in_response_to'] = scds[0].get('InResponseTo')
    nid = a.find('a:Subject/a:NameID', NS) if a is not None else None
    f['name_id'] = ''.join(nid.itertext()) if nid is not None else None
    f['name_id_format'] = nid.get('Format') if nid is not None else None
    cond = a.find('a:Conditions', NS) if a is not None else None
    f['not_before'] = cond.get('NotBefore') if cond is not None else None
    f['not_on_or_after'] = cond.get('NotOnOrAfter') if cond is not None else None
    # "now": latest lower bound + 1 min, if below every upper bound
    lows, highs = [], []
    for el in [cond] + scds:
        if el is None: continue
        if el.get('NotBefore') and parse_time(el.get('NotBefore')): lows.append(parse_time(el.get('NotBefore')))
        if el.get('NotOnOrAfter') and parse_time(el.get('NotOnOrAfter')): highs.append(parse_time(el.get('NotOnOrAfter')))
    for el in [root, a]:
        if el is not None and el.get('IssueInstant') and parse_time(el.get('IssueInstant')): lows.append(parse_time(el.get('IssueInstant')))
    now = None
    if lows or highs:
        lo = max(lows) if lows else min(highs) - dt.timedelta(minutes=2)
        hi = min(highs) if highs else lo + dt.timedelta(days=1)
        cand = lo + min(dt.timedelta(minutes=1), (hi - lo) / 2)
        if cand < hi: now = fmt(cand)
    f['now'] = now
    if not f['audience']: feats.add('no-audience')
    if not f['destination']: feats.add('no-destination')
    if len(scds) > 1 or (a is not None and len(a.findall('a:Subject/a:SubjectConfirmation', NS)) > 1): feats.add('multiple-subjectconfirmations')
    if a is not None and a.find('a:Advice', NS) is not None: feats.add('advice')
    signed = []
    for what, el in (('Response', root), ('Assertion', a)):
        if el is None: continue
        kids = list(el)
        sigs = [i for i, k in enumerate(kids) if k.tag == DS + 'Signature']
        if not sigs: continue
        signed.append(what)
        i = sigs[0]
        if i != 1: feats.add('signature-last')
        sig = kids[i]
        algs = [x.get('Algorithm') for x in sig.iter() if x.get('Algorithm')]
        for al in algs:
            if al == 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': feats.add('inclusive-c14n')
            if al == 'http://www.w3.org/2006/12/xml-c14n11': feats.add('inclusive-c14n-11')
            if al.endswith('#WithComments'): feats.add('with-comments')
            if al.endswith('rsa-sha1') or al.endswith('#sha1'): feats.add('sha1')
            if 'ecdsa' in al: feats.add('ecdsa')
        for ref in sig.iter(DS + 'Reference'):
            u = ref.get('URI')
            if u == '': feats.add('uri-empty')
            elif u is not None and u.startswith('#xpointer'): feats.add('xpointer')
            elif u is not None and u != u.strip(): feats.add('uri-whitespace')
        if sig.find('.//{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces[@PrefixList]') is not None: feats.add('prefixlist')
        ki = sig.find(DS + 'KeyInfo')
        if ki is None: feats.add('keyinfo-none')
        else:
            if ki.find('.//' + DS + 'RSAKeyValue') is not None: feats.add('keyinfo-rsakeyvalue')
            if len(ki.findall('.//' + DS + 'X509Certificate')) > 1: feats.add('keyinfo-chain')
    f['signed'] = signed
    enc = root.find('a:EncryptedAssertion', NS)
    f['encrypted'] = enc is not None
    if enc is not None:
        f['signed_inside_encrypted'] = 'unknown (decrypt to see)'
        ed = enc.find('xenc:EncryptedData', NS)
        if enc.find('xenc:EncryptedKey', NS) is not None: feats.add('detached-encryptedkey')
        for em in enc.iter('{%s}EncryptionMethod' % NS['xenc']):
            if em.get('Algorithm', '').endswith('-cbc'): feats.add('aes-cbc')
    return f, feats, raw

def certinfo(cert, features):
    out = subprocess.run(['openssl', 'x509' if 'CERTIFICATE' in open(cert).read() else 'pkey',
                          '-in', cert, '-noout', '-text'] + ([] if 'CERTIFICATE' in open(cert).read() else ['-pubin']),
                         capture_output=True, text=True).stdout
    m = re.search(r'Public-Key: \((\d+) bit\)', out)
    bits = int(m.group(1)) if m else None
    if 'id-ecPublicKey' in out: features.add('ecdsa')
    return bits

def main():
    src = []
    for name in sorted(glob.glob(os.path.join(HERE, 'sources*.json'))):
        src.extend(json.load(open(name)))
    man = []
    for e in src:
        path = os.path.join(HERE, e['file'])
        f, feats, raw = facts(path)
        out = {k: e[k] for k in ('file', 'project', 'repo', 'path', 'commit', 'license', 'decoded_from_base64')}
        out['cert'] = e.get('cert')
        out['verdict'] = e['verdict']; out['test_ref'] = e['test_ref']; out['why'] = e['why']
        for k, v in f.items():
            if k == 'signed_inside_encrypted' or k in e.get('override', {}): continue
            out[k] = v
        out.update(e.get('override', {}))
        if 'sp_key' in e: out['sp_key'] = e['sp_key']
        feats |= set(e.get('extra_features', []))
        feats -= set(e.get('drop_features', []))
        out['key_bits'] = None
        out['xmlsec1'] = {}
        if out['cert']:
            cp = os.path.join(HERE, out['cert'])
            out['key_bits'] = certinfo(cp, feats)
            if out['key_bits'] and out['key_bits'] < 2048 and 'ecdsa' not in feats: feats.add('rsa-1024')
            if 'CERTIFICATE' in open(cp).read():
                end = subprocess.run(['openssl', 'x509', '-in', cp, '-noout', '-enddate'], capture_output=True, text=True).stdout
                d = dt.datetime.strptime(end.strip().split('=', 1)[1], '%b %d %H:%M:%S %Y GMT')
                if out['now'] and parse_time(out['now']) and parse_time(out['now']) > d: feats.add('expired-cert')
                elif d < dt.datetime(2026, 12, 1): feats.add('expired-cert')
            for what in out['signed']:
                out['xmlsec1'][what] = xmlsec(path, cp, what)
        out['features'] = sorted(feats)
        out['notes'] = e.get('notes')
        man.append(out)
    json.dump(man, open(os.path.join(HERE, 'manifest.json'), 'w'), indent=2, ensure_ascii=False)
    open(os.path.join(HERE, 'manifest.json'), 'a').write('\n')
    for m in man:
        print('%-70s %-7s %-20s %s' % (m['file'], m['verdict'], ','.join(m['signed']) or '-', m['xmlsec1']))

if __name__ == '__main__':
    main()
