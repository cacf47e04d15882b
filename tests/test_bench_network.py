#!/usr/bin/env python3
"""Smoke test of the kernel benchmark's network mode: usage: test_bench_network.py
BENCH_KERNELS TINY_NET_CSV.

Runs `bench_kernels --network TINY --quick` (hand-given ceilings, so no sweep) as JSON and
as a table, and checks what it reports, never how fast: one case per distinct prunable
shape and pattern, each layer count, every peer either verified or absent ("n/a": MKL
and onnxruntime are not installed in CI) and never failed, the weighted totals the sum of
the shapes' times times their layers, an efficiency for every pattern. Bad input exits 2.
Exits 77 (skipped) where there is no OpenCL device."""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

BIN, NET = sys.argv[1], sys.argv[2]
CEIL = ['--peak-gflops', '100', '--bw-gbps', '20']
failures = []
checks = [0]


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=240)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    checks[0] += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def expected_shapes():
    """The distinct prunable (m, k, n, groups) of the CSV at batch 1 with their layer counts;
    --quick keeps the 3 with the fewest multiply-adds."""
    with open(NET) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith('#')))
    shapes = {}
    for r in rows:
        if r['kind'] == 'matmul' or r['prunable'] == 'false':
            continue
        key = (int(r['m']), int(r['k']), int(r['n']), int(r['groups'] or 1))
        shapes[key] = shapes.get(key, 0) + 1
    kept = sorted(shapes, key=lambda s: s[0] * s[1] * s[2] * s[3])[:3]
    return {s: shapes[s] for s in kept}


def test_json():
    rc, out, err = run('--network', NET, '--quick', '--json', *CEIL)
    if rc != 0 and 'no OpenCL device' in err:
        print('no OpenCL device: skipped')
        sys.exit(77)
    check(rc == 0, 'bench_kernels --network --quick --json succeeds (%d: %s)' % (rc, err[-400:]))
    if rc != 0:
        return
    d = json.loads(out)
    shapes = expected_shapes()
    check(d['shapes'] == len(shapes) and d['layers'] == sum(shapes.values()),
          'shapes and layers counted: %s, %s' % (d['shapes'], d['layers']))
    check(d['batch'] == 1 and d['rounds'] == 1, 'quick: batch 1, one round')
    cases = d['cases']
    patterns = ['dense', 'unstructured', 'block:4x4', 'block:16x16', '2:4']
    check(len(cases) == len(shapes) * len(patterns), '%d cases: each shape in each pattern' % len(cases))
    for c in cases:
        key = (c['m'], c['k'], c['n'], c['groups'])
        name = '%s %s' % (c['case'], key)
        check(key in shapes and c['layers'] == shapes[key], '%s: a shape of the network, its layer count' % name)
        check(c['pattern'] in patterns, '%s: a known pattern' % name)
        if c['skipped']:
            continue
        check(c['time_median_s'] > 0, '%s: timed' % name)  # useful GFLOP/s may be 0: all pruned
        check(c['efficiency'] is not None and c['efficiency'] > 0, '%s: a roofline efficiency' % name)
        for p in c['peers']:
            absent = p['note'].startswith('n/a')
            ran = p['usable'] and p['verified'] and p['time_median_s'] and p['time_median_s'] > 0
            check(absent or ran, '%s: peer %s verified and timed, or absent (%s)' % (name, p['name'], p['note']))
            if c['groups'] > 1 and p['name'] == 'onnxruntime':
                check(absent, '%s: onnxruntime runs one product only' % name)
    by_case = {}
    for c in cases:
        by_case.setdefault(c['case'], []).append(c)
    dense = {(c['m'], c['k'], c['n'], c['groups']): c for c in by_case['dense']}
    check([t['case'] for t in d['totals']] == ['dense', 'csr', 'bsr4', 'bsr16', 'nm24'], 'a total per pattern')
    for t in d['totals']:
        mine = by_case[t['case']]
        want = sum(c['layers'] * (dense[(c['m'], c['k'], c['n'], c['groups'])] if c['skipped'] else c)['time_median_s']
                   for c in mine)
        check(math.isclose(t['ours_s'], want, rel_tol=1e-9), '%s: total = sum of layers x time' % t['case'])
        check(t['layers'] == d['layers'], '%s: every layer in the total' % t['case'])
        check(t['efficiency_median'] is not None and t['efficiency_min'] <= t['efficiency_median'] <= t['efficiency_max'],
              '%s: median efficiency within its range' % t['case'])
        for p in t['peers']:
            if p['shapes']:
                check(p['ratio'] > 0 and math.isclose(p['ratio'], p['peer_s'] / p['ours_s']),
                      '%s: %s ratio = peer / ours' % (t['case'], p['name']))


def test_table():
    rc, out, err = run('--network', NET, '--quick', '--patterns', 'csr', '--no-peers', *CEIL)
    check(rc == 0 and 'weighted totals' in out and 'csr' in out and 'bsr4' not in out,
          'table: totals of dense and csr only (%d: %s)' % (rc, err[-300:]))


def test_bad_input(tmp):
    rc, _, err = run('--network', os.path.join(tmp, 'missing.csv'), '--quick')
    check(rc == 2 and 'missing.csv' in err, 'a missing network file: exit 2, named')
    rc, _, err = run('--network', NET, '--patterns', 'bsr3', '--quick')
    check(rc == 2 and 'bsr3' in err, 'an unknown pattern: exit 2, named')
    rc, _, err = run('--network', NET, '--cases', 'csr')
    check(rc == 2 and '--cases' in err, '--cases with --network: exit 2')
    rc, _, err = run('--network', NET, '--quick', '--no-peers', '--db', os.path.join(tmp, 'none.db'), *CEIL)
    check(rc == 2 and 'none.db' in err, 'a missing --db: exit 2, named')
    only = os.path.join(tmp, 'attention.csv')
    with open(only, 'w') as f:
        f.write('name,kind,m,k,n,groups\nqk,matmul,16,8,16,2\n')
    rc, _, err = run('--network', only, '--quick')
    check(rc == 2 and 'no prunable layer' in err, 'a network with nothing to prune: exit 2')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_bad_input(tmp)
        test_json()
        test_table()
    print('bench_network: %d checks, %d failed' % (checks[0], len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
