#!/usr/bin/env python3
"""End-to-end checks of `accuracy`, `curve`, `roofline`, `compare` and `report` through the
real binary:
usage: test_cli_query.py SPARSEROOF.

Each output format is parsed (SVG with xmllint, PNG header and size, PDF header, JSON, CSV);
bad input gets exit 2 with a message naming it, and stores nothing. Predictions come from
`predict` on an inline virtual device (no kernels run)."""
import csv
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
failures = []
checks = [0]

HEADER = 'network,dataset,metric,pattern,sparsity,value,method,source_url\n'


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    checks[0] += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def count(db, sql):
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchone()[0]


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)
    return path


def test_accuracy(tmp):
    db = os.path.join(tmp, 'acc.db')
    rc, out, err = run('accuracy', 'import', '--builtin', '--db', db, '--json')
    d = json.loads(out) if rc == 0 else {}
    check(rc == 0 and d.get('rows', 0) >= 50, 'import --builtin stores the shipped figures (%s)' % err)
    n = count(db, 'SELECT COUNT(*) FROM accuracy')
    check(n == d.get('rows'), 'every shipped row stored')
    check(count(db, "SELECT COUNT(*) FROM accuracy WHERE source_url NOT LIKE 'http%'") == 0,
          'every shipped row has its source URL')
    # each source's own dense baseline: RigL's 80% ERK at 5x against RigL's 76.8
    delta = count(db, "SELECT delta FROM v_accuracy WHERE source = 'rigl-erk-5x' "
                      "AND pattern = 'unstructured' AND abs(sparsity - 0.8) < 1e-9")
    check(abs(delta - (77.17 - 76.8)) < 1e-9, 'v_accuracy: delta against the source\'s own dense row')
    rc, _, _ = run('accuracy', 'import', '--builtin', '--db', db)
    check(rc == 0 and count(db, 'SELECT COUNT(*) FROM accuracy') == n, 'importing twice adds nothing')

    rc, out, _ = run('accuracy', 'list', '--network', 'bert_base', '--json', '--db', db)
    rows = json.loads(out)['accuracy']
    check(rc == 0 and rows and all(r['network'] == 'bert_base' for r in rows), 'list --network')
    sq = [r for r in rows if r['metric'] == 'f1' and r['source'] == 'obert-table1'
          and r['pattern'] == 'unstructured' and abs(r['sparsity'] - 0.9) < 1e-9]
    check(len(sq) == 1 and abs(sq[0]['dense_value'] - 88.54) < 1e-9, 'oBERT Table 1 rows use 88.54')
    rc, out, _ = run('accuracy', 'list', '--db', db)
    check(rc == 0 and 'rigl-erk-5x' in out and 'resnet50' in out, 'list prints a table')

    good = write(os.path.join(tmp, 'good.csv'),
                 'note,' + HEADER.strip() + ',source\n'
                 'x,resnet18,ImageNet-1k,top1,dense,0,70.0,,https://example.org/t#L1,mine\n'
                 'y,resnet18,ImageNet-1k,top1,"block:4x4",0.5,68.5,"mine, tuned",https://example.org/t#L2,mine\n')
    rc, _, err = run('accuracy', 'import', good, '--db', db)
    check(rc == 0, 'a user CSV with extra columns and quotes imports (%s)' % err.strip())
    check(count(db, "SELECT delta FROM v_accuracy WHERE source = 'mine' AND pattern = 'block:4x4'") == -1.5,
          'user rows keep their own baseline')


def test_accuracy_refused(tmp):
    db = os.path.join(tmp, 'refused.db')
    ok = 'resnet50,ImageNet-1k,top1,dense,0,76,base,https://example.org/a\n'
    cases = [
        ('missing column', 'network,dataset,metric,pattern,sparsity,value,method\n'
         'resnet50,ImageNet-1k,top1,dense,0,76,base\n', ":1: missing column 'source_url'"),
        ('no source', HEADER + ok + 'resnet50,ImageNet-1k,top1,2:4,0.5,77,m,\n',
         ':3: source_url is empty'),
        ('percent, not fraction', HEADER + ok + 'resnet50,ImageNet-1k,top1,2:4,0.5,101,m,https://e.org\n',
         ":3: value 101 is outside top1's range"),
        ('unknown network', HEADER + ok + 'resnet51,ImageNet-1k,top1,2:4,0.5,70,m,https://e.org\n',
         ":3: unknown network 'resnet51'"),
        ('unknown pattern', HEADER + ok + 'resnet50,ImageNet-1k,top1,diagonal,0.5,70,m,https://e.org\n',
         ':3: '),
        ('sparsity', HEADER + ok + 'resnet50,ImageNet-1k,top1,unstructured,1.2,70,m,https://e.org\n',
         ':3: sparsity 1.2 is outside [0, 1]'),
        ('N:M sparsity', HEADER + ok + 'resnet50,ImageNet-1k,top1,2:4,0.6,70,m,https://e.org\n',
         ':3: pattern 2:4 is 0.5 sparse'),
        ('metric', HEADER + ok + 'resnet50,ImageNet-1k,top9,2:4,0.5,70,m,https://e.org\n',
         ":3: unknown metric 'top9'"),
        ('twice', HEADER + ok + ok, ':3: the same network, pattern, sparsity, metric and source as line 2'),
    ]
    for what, text, want in cases:
        path = write(os.path.join(tmp, 'bad.csv'), text)
        rc, _, err = run('accuracy', 'import', path, '--db', db)
        check(rc == 2 and path + want in err, '%s: exit 2 naming %r (got %d: %s)' % (what, want, rc, err.strip()))
    # a good file beside a bad one: nothing of either is stored
    good = write(os.path.join(tmp, 'ok.csv'), HEADER + ok)
    rc, _, _ = run('accuracy', 'import', good, path, '--db', db)
    check(rc == 2 and count(db, 'SELECT COUNT(*) FROM accuracy') == 0, 'a bad file stores nothing')
    rc, _, err = run('accuracy', 'import', os.path.join(tmp, 'nope.csv'), '--db', db)
    check(rc == 2 and 'nope.csv' in err, 'a missing file is named')
    rc, _, err = run('accuracy', 'list', '--db', db)
    check(rc == 2 and 'no accuracy figures' in err, 'list on an empty database: exit 2')
    rc, _, _ = run('accuracy', '--help')
    check(rc == 0, 'accuracy --help')


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        return None
    return struct.unpack('>II', head[16:24])


def check_formats(cmd, base, tmp):
    """Writes each format with cmd + ['-o', FILE] and parses it."""
    for ext in ('svg', 'png', 'pdf', 'csv', 'json'):
        path = os.path.join(tmp, '%s.%s' % (base, ext))
        rc, _, err = run(*(cmd + ['-o', path]))
        check(rc == 0 and os.path.getsize(path) > 200, '%s -o .%s (%s)' % (cmd[0], ext, err.strip()))
        if ext == 'svg':
            x = subprocess.run(['xmllint', '--noout', path], capture_output=True, text=True)
            check(x.returncode == 0, '%s.svg parses as XML (%s)' % (base, x.stderr.strip()))
        elif ext == 'png':
            check(png_size(path) == (1920, 1240), '%s.png: a PNG of 1920 x 1240' % base)
        elif ext == 'pdf':
            with open(path, 'rb') as f:
                check(f.read(5) == b'%PDF-', '%s.pdf: a PDF' % base)
        elif ext == 'csv':
            with open(path) as f:
                rows = list(csv.DictReader(f))
            check(rows and 'pattern' in rows[0], '%s.csv: rows with a header' % base)
        else:
            with open(path) as f:
                json.load(f)
    left = [f for f in os.listdir(tmp) if '.tmp' in f]
    check(not left, 'no temporary files left: %s' % left)


def test_curve(tmp):
    db = os.path.join(tmp, 'curve.db')
    rc, _, err = run('predict', '--network', 'resnet50', '--patterns', 'dense,unstructured,2:4,block:4x4',
                     '--sparsities', '0.5,0.7,0.8,0.9,0.95', '--device', 'virtual:30:400', '--db', db)
    check(rc == 0, 'predict stores rows (%s)' % err.strip())
    cmd = ['curve', '--network', 'resnet50', '--db', db]
    rc, out, _ = run(*(cmd + ['--json']))
    d = json.loads(out)
    check(rc == 0 and not d['with_accuracy'] and 'answers' not in d, 'without accuracy: speedup curves')
    u = [c for c in d['curves'] if c['pattern'] == 'unstructured'][0]
    check([p['sparsity'] for p in u['points']] == [0.5, 0.7, 0.8, 0.9, 0.95], 'one point per stored sparsity')
    check_formats(cmd, 'speedup', tmp)

    run('accuracy', 'import', '--builtin', '--db', db)
    rc, out, _ = run(*(cmd + ['--json']))
    d = json.loads(out)
    check(rc == 0 and d['with_accuracy'] and d['metric'] == 'top1', 'with accuracy: top1 curves')
    check(len(d['answers']) == 4 and all(a['found'] for a in d['answers']), 'an answer per budget')
    a = d['answers'][0]
    check(a['dense_accuracy'] - a['accuracy'] <= 0.5 + 1e-9 and a['speedup_kind'] == 'predicted',
          'the 0.5-point answer stays within 0.5 points of its own dense figure')
    check(any('not extrapolated' in n for n in d['left_out']), 'figures past 0.95 are not extrapolated')
    rc, out, _ = run(*cmd)
    check(rc == 0 and 'within 0.5 points of top1' in out and 'predicted' in out, 'the answer in words')
    check_formats(cmd + ['--relative'], 'relative', tmp)
    rc, out, _ = run(*(cmd + ['--relative', '--json', '--patterns', '2:4']))
    d = json.loads(out)
    check(rc == 0 and {c['pattern'] for c in d['curves']} == {'2:4'}, '--patterns filters')
    rc, out, _ = run('curve', '--network', 'bert_base', '--db', db)
    check(rc == 2 and 'no timings of bert_base' in _, 'a network without timings: exit 2')


def test_curve_refused(tmp):
    db = os.path.join(tmp, 'curve.db')
    empty = os.path.join(tmp, 'empty.db')
    run('accuracy', 'list', '--db', empty)  # nothing: the file is not created read-only
    cases = [
        (['curve', '--network', 'resnet51', '--db', db], "unknown network 'resnet51'"),
        (['curve', '--network', 'resnet50', '--device', 'gpu-that-is-not', '--db', db], 'gpu-that-is-not'),
        (['curve', '--network', 'resnet50', '--db', empty], empty),
        (['curve', '--network', 'resnet50', '--db', db, '-o', os.path.join(tmp, 'x.gif')], '.gif'),
        (['curve', '--network', 'resnet50', '--db', db, '--source', 'guessed'], 'guessed'),
        (['curve', '--db', db], '--network is required'),
    ]
    for args, want in cases:
        rc, _, err = run(*args)
        check(rc == 2 and want in err, '%s: exit 2 naming %r (got %d: %s)' % (' '.join(args), want, rc, err.strip()))
    sqlite3.connect(empty).close()  # an empty SQLite file is not sparseroof's
    rc, _, err = run('curve', '--network', 'resnet50', '--db', empty)
    check(rc == 2 and empty in err, 'an empty file is refused (%d: %s)' % (rc, err.strip()))


def two_devices(tmp):
    """A database with resnet50 predicted on two virtual devices."""
    db = os.path.join(tmp, 'two.db')
    for dev in ('virtual:30:400', 'virtual:900:20000'):
        rc, _, err = run('predict', '--network', 'resnet50', '--patterns', 'dense,unstructured,2:4',
                         '--sparsities', '0.5,0.9', '--device', dev, '--db', db)
        check(rc == 0, 'predict on %s (%s)' % (dev, err.strip()))
    return db


def test_roofline(tmp, db):
    cmd = ['roofline', '--device', 'virtual:30:400', '--network', 'resnet50', '--db', db]
    rc, out, err = run(*(cmd + ['--json']))
    d = json.loads(out) if rc == 0 else {}
    check(rc == 0 and d.get('device') == 'virtual:30:400' and d.get('virtual'), 'roofline --json (%s)' % err.strip())
    kinds = {(c['kind'], c['name']) for c in d.get('ceilings', [])}
    check(('bandwidth', 'DRAM') in kinds and ('compute', 'fp32') in kinds, 'the ceilings: DRAM and fp32')
    pts = d.get('points', [])
    # dense on 54 layers; unstructured at 0.5 and 0.9, 2:4 at 0.5 on the 52 prunable ones
    check(len(pts) == 54 + 3 * 52 and all(p['kind'] == 'predicted' for p in pts),
          'a predicted point per layer row (%d)' % len(pts))
    check(pts and all(abs(p['gflops'] - p['roof_gflops']) <= 1e-9 * p['gflops'] and
                      abs(p['ai'] - p['flops'] / p['bytes']) <= 1e-9 * p['ai'] for p in pts),
          'a predicted point sits on its roof, at FLOPs over bytes')
    check(all(p['gflops'] <= 400 * (1 + 1e-9) and p['gflops'] <= 30 * p['ai'] * (1 + 1e-9) for p in pts),
          'no predicted point above min(30 GB/s x AI, 400 GFLOP/s)')
    check_formats(cmd, 'roofline', tmp)
    rc, out, _ = run('roofline', '--db', db)
    check(rc == 0 and 'virtual:900:20000' in out, 'default: the device with the newest rows')
    for args, want in [(['--device', 'gpu-that-is-not'], 'gpu-that-is-not'),
                       (['--network', 'resnet51'], "unknown network 'resnet51'"),
                       (['--run', 'ffffffff'], 'ffffffff'),
                       (['--kernels', '--network', 'resnet50'], 'exclude'),
                       (['-o', os.path.join(tmp, 'r.html')], '.html')]:
        rc, _, err = run(*(['roofline', '--db', db] + args))
        check(rc == 2 and want in err, 'roofline %s: exit 2 naming %r (%d: %s)' % (args, want, rc, err.strip()))


def test_compare(tmp, db):
    cmd = ['compare', '--network', 'resnet50', '--devices', 'virtual:30:400,virtual:900:20000', '--db', db]
    rc, out, err = run(*(cmd + ['--json']))
    d = json.loads(out) if rc == 0 else {}
    check(rc == 0 and [x['device'] for x in d.get('devices', [])] == ['virtual:30:400', 'virtual:900:20000'],
          'compare: the devices in the order asked (%s)' % err.strip())
    with sqlite3.connect(db) as c:
        want = dict(((dev, pat, round(sp, 3)), v) for dev, pat, sp, v in c.execute(
            'SELECT device, pattern, sparsity, predicted_speedup FROM v_network_speedup'))
    got = {}
    for r in d.get('rows', []):
        for x in r['devices']:
            got[(x['device'], r['pattern'], round(r['sparsity'], 3))] = x['predicted_speedup']
    check(got and all(abs(got[k] - want[k]) < 1e-9 for k in want) and len(got) == len(want),
          'compare: each device\'s speedup is v_network_speedup\'s')
    check_formats(cmd, 'compare', tmp)
    rc, out, _ = run(*cmd)
    check(rc == 0 and '[2] virtual:900:20000' in out and 'unstructured' in out, 'compare prints a table')
    for args, want in [(['--devices', 'virtual:30:400,nope'], "'nope'"),
                       (['--network', 'resnet51'], "unknown network 'resnet51'"),
                       (['--network', 'bert_base'], 'no timings of bert_base'),
                       (['--batch', '8'], 'no timings of resnet50'),
                       (['--devices', 'virtual:30:400,'], 'empty')]:
        args = ['--network', 'resnet50'] + args if '--network' not in args else args
        rc, _, err = run(*(['compare', '--db', db] + args))
        check(rc == 2 and want in err, 'compare %s: exit 2 naming %r (%d: %s)' % (args, want, rc, err.strip()))


def test_report(tmp, db):
    path = os.path.join(tmp, 'report.html')
    rc, out, err = run('report', '--db', db, '-o', path)
    check(rc == 0 and path in out, 'report writes the page (%s)' % err.strip())
    with open(path) as f:
        page = f.read()
    check(page.startswith('<!DOCTYPE html>') and page.count('<svg') == 3, 'three plots inline')
    check('src=' not in page and '<link' not in page and '<script' not in page, 'nothing to fetch')
    check('virtual:30:400' in page and 'virtual:900:20000' in page, 'both devices')
    empty = os.path.join(tmp, 'nodevice.db')
    run('accuracy', 'import', '--builtin', '--db', empty)  # a sparseroof database without devices
    for args, want in [(['--device', 'nope'], "'nope'"), (['--network', 'resnet51'], "'resnet51'"),
                       (['--network', 'bert_base'], 'no timings of bert_base'), ([], '-o FILE.html is required'),
                       (['-o', os.path.join(tmp, 'r.svg')], '.html')]:
        if args and args[0] == '-o' or not args:
            cmdl = ['report', '--db', db] + args
        else:
            cmdl = ['report', '--db', db, '-o', os.path.join(tmp, 'bad.html')] + args
        rc, _, err = run(*cmdl)
        check(rc == 2 and want in err, 'report %s: exit 2 naming %r (%d: %s)' % (args, want, rc, err.strip()))
    rc, _, err = run('report', '--db', empty, '-o', os.path.join(tmp, 'bad.html'))
    check(rc == 2 and 'no device is stored' in err, 'a database without devices: exit 2 (%s)' % err.strip())
    check(not os.path.exists(os.path.join(tmp, 'bad.html')), 'a refused report writes nothing')


def main():
    tmp = tempfile.mkdtemp(prefix='sr-query-')
    try:
        test_accuracy(tmp)
        test_accuracy_refused(tmp)
        test_curve(tmp)
        test_curve_refused(tmp)
        db = two_devices(tmp)
        test_roofline(tmp, db)
        test_compare(tmp, db)
        test_report(tmp, db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('cli_query: %d checks, %d failed' % (checks[0], len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
