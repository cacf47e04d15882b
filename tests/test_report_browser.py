#!/usr/bin/env python3
"""The lab report as a browser shows it: usage: test_report_browser.py SPARSEROOF.

Writes a report (two virtual devices, the published accuracy figures), opens it in headless
Chromium (Debian's `chromium`; exit 77, skipped, where there is none) with one screenshot,
and reads the PNG back with zlib alone: the page is not blank, has text and tables (many
shades), and its inline SVG plots are drawn (the plots' blue)."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

BIN = sys.argv[1]
WIDTH, HEIGHT = 1280, 2000
PLOT_BLUE = (0, 114, 178)  # Okabe-Ito blue: the plots' first colour, in no table


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit('sparseroof %s failed: %s' % (args[0], p.stderr.strip()))


def browser():
    for name in (os.environ.get('SR_CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome'):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat = 8, b''
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            w, h, depth, color, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and color in (2, 6) and interlace == 0, 'an 8-bit RGB(A) PNG'
        elif kind == b'IDAT':
            idat += body
    bpp = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, rows, p = bytearray(stride), [], 0
    for _ in range(h):
        kind, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):  # PNG's filters undone
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def main():
    chromium = browser()
    if not chromium:
        print('skipped: no chromium (tools/install-deps installs it)')
        return 77
    tmp = tempfile.mkdtemp(prefix='sr-browser-')
    try:
        db = os.path.join(tmp, 'lab.db')
        for dev in ('virtual:30:400', 'virtual:900:20000'):
            run('predict', '--network', 'resnet50', '--patterns', 'dense,unstructured,2:4',
                '--sparsities', '0.5,0.8,0.9', '--device', dev, '--db', db)
        run('accuracy', 'import', '--builtin', '--db', db)
        page, shot = os.path.join(tmp, 'report.html'), os.path.join(tmp, 'shot.png')
        run('report', '--db', db, '-o', page)
        p = subprocess.run([chromium, '--headless', '--no-sandbox', '--disable-gpu',
                            '--user-data-dir=' + os.path.join(tmp, 'profile'),
                            '--screenshot=' + shot, '--window-size=%d,%d' % (WIDTH, HEIGHT),
                            'file://' + page], capture_output=True, text=True, timeout=120)
        if not os.path.exists(shot):
            print('FAIL: chromium wrote no screenshot (%d): %s' % (p.returncode, p.stderr[-2000:]))
            return 1
        w, h, rows = pixels(shot)
        colours, ink, blue = set(), 0, 0
        for row in rows:
            for px in row:
                colours.add(px)
                ink += px != (255, 255, 255)
                blue += all(abs(px[i] - PLOT_BLUE[i]) <= 12 for i in range(3))
        failures = []
        if (w, h) != (WIDTH, HEIGHT):
            failures.append('screenshot is %dx%d, not %dx%d' % (w, h, WIDTH, HEIGHT))
        if len(colours) < 50:
            failures.append('only %d colours: a blank page?' % len(colours))
        if ink < 0.02 * w * h:
            failures.append('only %d pixels not white: a blank page?' % ink)
        if blue < 100:
            failures.append('%d pixels of the plots\' blue: the inline SVG plots are not drawn' % blue)
        for f in failures:
            print('FAIL:', f)
        print('report_browser: %d colours, %.1f%% ink, %d plot-blue pixels' % (len(colours), 100.0 * ink / (w * h), blue))
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
