#!/usr/bin/env python3
"""End-to-end checks of `networks` and `predict`: usage: test_cli_model.py SPARSEROOF.

Runs the binary with good and bad arguments and checks exit codes, messages and the JSON
shape the issue specifies. Uses an inline virtual device (virtual:GBPS:GFLOPS)."""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
DEV = 'virtual:100:1000'
failures = []
checks = [0]


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    checks[0] += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def test_networks():
    rc, out, _ = run('networks')
    check(rc == 0 and 'resnet50' in out and 'bert_base' in out, 'networks lists the built-ins')
    rc, out, _ = run('networks', '--json')
    nets = {n['name']: n for n in json.loads(out)['networks']}
    check(rc == 0 and len(nets) == 7, 'networks --json: 7 networks')
    check(abs(nets['resnet50']['gmacs'] - 4.089) < 0.01 and nets['resnet50']['layers'] == 54,
          'resnet50: 54 layers, 4.089 GMACs')
    check(nets['vit_b_16']['prunable_layers'] == 50, 'vit_b_16: 24 attention products not prunable')
    rc, out, _ = run('networks', 'swin_t', '--json')
    d = json.loads(out)
    check(rc == 0 and len(d['layer_table']) == 77 and d['layer_table'][0]['name'] == 'features.0.0',
          'networks swin_t --json: its layer table')
    rc, _, err = run('networks', 'no-such-net')
    check(rc == 2 and 'no-such-net' in err, 'networks: unknown name refused')


def test_predict():
    rc, out, _ = run('predict', '--network', 'resnet18', '--device', DEV, '--patterns',
                     'dense,2:4,unstructured', '--sparsities', '0.5,0.8,0.95', '--json')
    d = json.loads(out)
    check(rc == 0, 'predict --json succeeds')
    for key in ('network', 'device', 'batch', 'dtype', 'results'):
        check(key in d, 'predict --json has %s' % key)
    res = d['results']
    check([r['pattern'] for r in res] == ['dense', '2:4'] + ['unstructured'] * 3,
          'fixed patterns ignore --sparsities')
    for r in res:
        for key in ('pattern', 'sparsity', 'dense_time_s', 'time_s', 'speedup', 'layers'):
            check(key in r, 'result has %s' % key)
        for key in ('name', 'm', 'k', 'n', 'flops', 'bytes', 'ai', 'bound', 'time_s'):
            check(key in r['layers'][0], 'layer has %s' % key)
        check(not r['layers'][0]['pruned'] and not r['layers'][-1]['pruned'],
              'first and last prunable layers dense')
    check(res[0]['speedup'] == 1.0 and res[4]['speedup'] > res[2]['speedup'] > 1.0,
          'speedup grows with sparsity')
    check(abs(res[1]['sparsity'] - 0.5) < 1e-12, '2:4 is 50% sparse')

    rc, out, _ = run('predict', '--network', 'resnet18', '--device', DEV, '--patterns',
                     'unstructured', '--sparsities', '0.9', '--prune-all', '--json')
    r = json.loads(out)['results'][0]
    check(len(r['pruned_layers']) == 21, '--prune-all prunes all 21 layers')

    f1 = sum(l['flops'] for l in json.loads(run('predict', '--network', 'vit_b_16', '--device', DEV,
             '--patterns', 'dense', '--json')[1])['results'][0]['layers'])
    f8 = sum(l['flops'] for l in json.loads(run('predict', '--network', 'vit_b_16', '--device', DEV,
             '--patterns', 'dense', '--batch', '8', '--json')[1])['results'][0]['layers'])
    check(abs(f8 - 8 * f1) < 1e-6 * f8, 'flops scale with --batch')

    rc, out, _ = run('predict', '--network', 'bert_base', '--device', DEV, '--patterns', '2:4',
                     '--dtype', 'fp16', '--layers')
    check(rc == 0 and 'encoder.layer.3.attention.self.qk' in out, 'predict --layers prints layers')


def test_bad_input(tmp):
    bad = [
        (['predict', '--network', 'resnet18', '--device', DEV], 'required'),
        (['predict', '--network', 'resnet18', '--device', DEV, '--patterns', 'sparse'], 'sparse'),
        (['predict', '--network', 'resnet18', '--device', DEV, '--patterns', 'unstructured'],
         'needs at least one sparsity'),
        (['predict', '--network', 'resnet18', '--device', DEV, '--patterns', 'unstructured',
          '--sparsities', '0.5,x'], "'x'"),
        (['predict', '--network', 'resnet18', '--device', DEV, '--patterns', 'dense', '--batch', '-1'],
         '--batch'),
        (['predict', '--network', 'resnet18', '--device', DEV, '--patterns', 'dense', '--dtype', 'int4'],
         'int4'),
        (['predict', '--network', 'resnet18', '--device', 'virtual:-5:10', '--patterns', 'dense'],
         'positive'),
        (['predict', '--network', 'resnet18', '--device', 'virtual:1e300:1e300', '--patterns', '2:4'],
         '1e+300 GB/s, must be a positive figure from 1e-06 to 1e+12'),
    ]
    csv = os.path.join(tmp, 'broken.csv')
    with open(csv, 'w') as f:
        f.write('name,kind,m,k,n\nfc1,linear,16,8,4\nfc2,linear,8,zero,4\n')
    bad.append((['predict', '--network', csv, '--device', DEV, '--patterns', 'dense'],
                csv + ":3: layer 'fc2': k 'zero' is not a whole number"))
    js = os.path.join(tmp, 'broken.json')
    with open(js, 'w') as f:
        json.dump({'layers': [{'name': 'a', 'kind': 'linear', 'm': 4, 'k': 4, 'n': 0}]}, f)
    bad.append((['predict', '--network', js, '--device', DEV, '--patterns', 'dense'], 'n is 0'))
    huge = os.path.join(tmp, 'huge.csv')
    with open(huge, 'w') as f:
        f.write('name,kind,m,k,n,extra_bytes\nfc1,linear,16,8,4,1e308\nfc2,linear,8,16,4,\n')
    bad.append((['predict', '--network', huge, '--device', DEV, '--patterns', '2:4', '--json'],
                huge + ":2: layer 'fc1': extra_bytes '1e308' is not a number of bytes from 0 to 1e+15"))
    huge_js = os.path.join(tmp, 'huge.json')
    with open(huge_js, 'w') as f:
        f.write('[{"name": "a", "kind": "linear", "m": 4, "k": 4, "n": 2, "extra_bytes": 1e308}]')
    bad.append((['predict', '--network', huge_js, '--device', DEV, '--patterns', '2:4', '--json'],
                "extra_bytes 1e+308 must be 0 to 1e+15"))
    for args, want in bad:
        rc, _, err = run(*args)
        check(rc == 2 and want in err, '%s: exit 2 naming %r (got %d: %s)' % (' '.join(args), want, rc, err.strip()))


def test_user_files(tmp):
    csv = os.path.join(tmp, 'mine.csv')
    with open(csv, 'w') as f:
        f.write('# my net\nname,kind,m,k,n,groups,prunable\nc1,conv,16,27,1024,,\n'
                'c2,conv,32,144,256,,\nfc,linear,10,32,1,,false\n')
    rc, out, _ = run('predict', '--network', csv, '--device', DEV, '--patterns', 'unstructured',
                     '--sparsities', '0.5', '--json')
    d = json.loads(out)
    check(rc == 0 and d['network'] == 'mine', 'a CSV file is a network named after the file')
    check(d['results'][0]['pruned_layers'] == [], 'fc unprunable: c1 and c2 are the ends, none pruned')
    js = os.path.join(tmp, 'mine.json')
    with open(js, 'w') as f:
        json.dump({'name': 'jnet', 'layers': [
            {'name': 'a', 'kind': 'linear', 'm': 64, 'k': 64, 'n': 8},
            {'name': 'b', 'kind': 'linear', 'm': 64, 'k': 64, 'n': 8, 'extra_bytes': 100},
            {'name': 'c', 'kind': 'linear', 'm': 64, 'k': 64, 'n': 8, 'groups': 2}]}, f)
    rc, out, _ = run('predict', '--network', js, '--device', DEV, '--patterns', '2:4', '--json')
    d = json.loads(out)
    check(rc == 0 and d['network'] == 'jnet' and d['results'][0]['pruned_layers'] == ['b'],
          'a JSON file works too')


def test_damaged_files(tmp):
    """A folder, an empty or cut-short JSON file: each named with what is wrong."""
    rc, _, err = run('networks', tmp)
    check(rc == 2 and 'is a directory' in err, 'networks DIR: exit 2, "is a directory" (got %d: %s)'
          % (rc, err.strip()))
    good = json.dumps({'layers': [{'name': 'a', 'kind': 'linear', 'm': 4, 'k': 4, 'n': 2}]})
    cases = [('empty.json', '', 'it is empty'),
             ('cut.json', good[:len(good) // 2], 'ends too soon'),
             ('syntax.json', '{"layers": [}', 'line 1, column 13')]
    for name, text, want in cases:
        path = os.path.join(tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        rc, _, err = run('networks', path)
        check(rc == 2 and path in err and want in err and 'json_tokener' not in err,
              'networks %s: exit 2 saying %r (got %d: %s)' % (name, want, rc, err.strip()))
    for name, text in (('bom.json', good), ('bom.csv', 'name,kind,m,k,n\na,linear,4,4,2\n')):
        path = os.path.join(tmp, name)
        with open(path, 'w', encoding='utf-8-sig') as f:
            f.write(text)
        rc, out, err = run('networks', path, '--json')
        check(rc == 0 and json.loads(out)['layer_table'][0]['name'] == 'a',
              'a byte-order mark starts %s (got %d: %s)' % (name, rc, err.strip()))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_networks()
        test_predict()
        test_bad_input(tmp)
        test_user_files(tmp)
        test_damaged_files(tmp)
    print('cli_model: %d checks, %d failed' % (checks[0], len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
