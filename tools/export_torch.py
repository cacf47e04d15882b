#!/usr/bin/env python3
"""Export a PyTorch module's GEMM-like layers to sparseroof's network CSV.

Runs one forward pass and records every convolution, linear layer and matrix product
(including attention: fused scaled-dot-product attention becomes its QK^T and AV
products) with its shape per image, plus the bytes moved by everything else
(normalisation, activations, residual adds, pooling, softmax, copies) as each layer's
extra_bytes. The format is described in db/networks/README.md.

Command line:
    python3 tools/export_torch.py torchvision.models:resnet50 --input 1,3,224,224 -o resnet50.csv
    python3 tools/export_torch.py mypkg.nets:build --kwargs '{"width": 64}' --input 8,3,32,32
    python3 tools/export_torch.py mypkg.nets:TextNet --input 1,128:long -o textnet.csv
    sparseroof predict --network resnet50.csv --patterns 2:4,unstructured --sparsities 0.9
    python3 tools/export_torch.py torchvision.models:resnet50 --input 1,3,224,224 \
        --kwargs '{"weights": "DEFAULT"}' -o resnet50.csv --weights resnet50_w
    sparseroof bench --network resnet50.csv --weights resnet50_w --patterns 2:4

--weights DIR writes each prunable layer's weights as DIR/<layer name>.npy (float32, the
name exactly as the CSV has it), the matrix the layer's GEMM multiplies: a convolution's
(C_out, C_in/groups, *kernel) weight as (C_out, C_in/groups * prod(kernel)), which is
(groups * m) x k with group g's m rows after group g-1's; a linear layer's (out, in).

From Python (any module, any inputs; a Hugging Face model, for example):
    import sys; sys.path.insert(0, 'tools')
    from export_torch import export
    export(model, (input_ids,), 'bert.csv', description='BERT-base, sequence 128')

How layers are found: a TorchDispatchMode sees the ATen operators that the forward pass
runs (aten.convolution, mm, addmm, bmm, baddbmm and the scaled_dot_product_attention
kernels), whatever Python code called them (nn.Linear, F.linear inside a custom block,
nn.MultiheadAttention, torch.matmul); forward hooks on every module give the names. An
operand that shares storage with a parameter is a weight (prunable; the layer is named
after the parameter, e.g. layer1.0.conv1 or self_attention.in_proj); a product of two
activations is a matmul (not prunable), named after its module (attn.matmul0, or
self_attention.qk / .av for fused attention). The batch is the first input's first
dimension unless --batch says otherwise; shapes are divided by it. The pass runs in eval
mode without autograd and with nn.MultiheadAttention's fused inference path switched off
(torch.backends.mha), so that its projections and products are seen one by one. torch is needed only to run an export;
the shape arithmetic and the writer below are plain Python (tests/test_export_torch.py).
"""
import argparse
import array
import csv
import importlib
import io
import json
import os
import struct
import sys

FP32 = 4  # extra_bytes are counted at 4 bytes an element, as db/networks/README.md says

# ATen operators that move no data (views, metadata, allocation of small constants).
NO_DATA_OPS = {
    'view', '_unsafe_view', '_reshape_alias', 'reshape', 'permute', 'transpose', 't', 'expand',
    'expand_as', 'select', 'slice', 'unsqueeze', 'squeeze', 'as_strided', 'alias', 'detach',
    'split', 'split_with_sizes', 'unbind', 'chunk', 'narrow', 'diagonal', 'view_as', 'unfold',
    'lift_fresh', 'movedim', 'flatten', 'empty', 'empty_like', 'empty_strided', 'new_empty',
    'new_empty_strided', 'arange', 'scalar_tensor', '_local_scalar_dense', 'sym_size',
    'sym_stride', 'sym_numel', 'sym_storage_offset', 'dropout', 'feature_dropout', 'is_same_size',
    'zeros', 'ones', 'full', 'zeros_like', 'ones_like', 'full_like', 'new_zeros', 'new_ones',
    'new_full', 'lift_fresh_copy', 'set_', 'resize_', 'detach_', 'item', 'size', 'stride', 'dim',
}
GATHER_OPS = {'embedding', 'index_select', 'gather', 'take'}  # read only the rows they write
GEMM_OPS = {'convolution', '_convolution', 'mm', 'addmm', 'bmm', 'baddbmm'}


def prod(xs):
    p = 1
    for x in xs:
        p *= int(x)
    return p


class Layer:
    __slots__ = ('name', 'kind', 'm', 'k', 'n', 'groups', 'prunable', 'extra_bytes', 'weight')

    def __init__(self, name, kind, m, k, n, groups=1, prunable=True, extra_bytes=0.0, weight=None):
        self.name, self.kind = name, kind
        self.m, self.k, self.n, self.groups = int(m), int(k), int(n), int(groups)
        self.prunable, self.extra_bytes = bool(prunable), float(extra_bytes)
        self.weight = weight  # (operand, how) of a prunable layer: see weight_matrix

    def macs(self):
        return self.m * self.k * self.n * self.groups


def per_image(count, batch, what):
    """count / batch when the batch divides it; else the whole count (with a warning)."""
    if batch > 1 and count % batch == 0:
        return count // batch
    if batch > 1:
        sys.stderr.write('export_torch: %s: %d is not a multiple of the batch %d; kept whole\n'
                         % (what, count, batch))
    return count


def conv_shape(weight_shape, out_shape, in_shape, groups, transposed, batch):
    """Implicit GEMM of an N-d convolution: (m, k, n per image, groups).

    weight (C_out, C_in/groups, *kernel), output (B, C_out, *spatial). Transposed: weight
    (C_in, C_out/groups, *kernel); each input pixel is scattered over the kernel:
    m = C_out/groups * prod(kernel), k = C_in/groups, n = prod(input spatial)."""
    kernel = prod(weight_shape[2:])
    if transposed:
        m = weight_shape[1] * kernel
        k = weight_shape[0] // groups
        n = prod(in_shape[2:]) * in_shape[0]
    else:
        m = weight_shape[0] // groups
        k = weight_shape[1] * kernel
        n = prod(out_shape[2:]) * out_shape[0]
    return m, k, per_image(n, batch, 'convolution output'), groups


def broadcast_batch(a_shape, b_shape):
    """Product of the broadcast batch dimensions of a @ b (both at least 2-d)."""
    a, b = list(a_shape[:-2]), list(b_shape[:-2])
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    return prod(max(x, y) for x, y in zip(a, b))


def product_shape(a_shape, b_shape, weight_side, batch):
    """Y = A @ B with A (..., M, K) and B (..., K, N): (m, k, n per image, groups, kind).

    weight_side: 'a', 'b' or None. With a weight, the weight is W (m x k) and the batch
    folds into n: B is the weight -> Y^T = B^T A^T, m = N, n = M * batch dims. Without,
    both are activations: m = M, k = K, n = N, groups = batch dims per image."""
    if len(a_shape) == 1:
        a_shape = (1,) + tuple(a_shape)
    if len(b_shape) == 1:
        b_shape = tuple(b_shape) + (1,)
    M, K, N = a_shape[-2], a_shape[-1], b_shape[-1]
    g = broadcast_batch(a_shape, b_shape)
    if weight_side == 'b':
        return N, K, per_image(M * g, batch, 'tokens'), 1, 'linear'
    if weight_side == 'a':
        return M, K, per_image(N * g, batch, 'columns'), 1, 'linear'
    return M, K, N, per_image(g, batch, 'products'), 'matmul'


def attention_shapes(q_shape, k_shape, v_shape, batch):
    """Fused attention softmax(Q K^T) V, q (..., L, E), k (..., S, E), v (..., S, Ev):
    [(m, k, n, groups) of QK^T, of AV], groups per image."""
    g = per_image(prod(q_shape[:-2]), batch, 'attention heads')
    L, E, S, Ev = q_shape[-2], q_shape[-1], k_shape[-2], v_shape[-1]
    return [(L, E, S, g), (L, S, Ev, g)]


def weight_name(param_name):
    for suffix in ('.weight', '_weight'):
        if param_name.endswith(suffix):
            return param_name[:-len(suffix)]
    return param_name


class Recorder:
    """Turns a stream of operators into layers. Tensors are anything with .shape; key_of(t)
    says which storage a tensor lives in (a parameter's, or another), so that views of a
    weight (weight.t(), a split of in_proj_weight) are recognised as that weight."""

    def __init__(self, batch, params, key_of):
        self.batch = batch
        self.params = params     # storage key -> parameter name
        self.key_of = key_of
        self.layers, self.names = [], {}
        self.scope = []          # module names, innermost last
        self.counters = {}       # (module, op) -> how many so far
        self.pending = 0.0       # extra bytes before the first layer

    # -- naming --------------------------------------------------------------------------
    def module(self):
        return self.scope[-1] if self.scope else ''

    def unique(self, name):
        if name not in self.names:
            self.names[name] = 1
            return name
        self.names[name] += 1
        return self.unique('%s.%d' % (name, self.names[name] - 1))

    def numbered(self, op):
        mod = self.module()
        i = self.counters.get((mod, op), 0)
        self.counters[(mod, op)] = i + 1
        return (mod + '.' if mod else '') + op + str(i)

    def add(self, name, kind, m, k, n, groups, prunable, weight=None):
        self.layers.append(Layer(self.unique(name), kind, m, k, n, groups, prunable,
                                 self.pending, weight if prunable else None))
        self.pending = 0.0

    def extra(self, nbytes):
        if self.layers:
            self.layers[-1].extra_bytes += nbytes
        else:
            self.pending += nbytes

    def weight_of(self, t):
        key = self.key_of(t)
        return self.params.get(key) if key is not None else None

    # -- operators -----------------------------------------------------------------------
    def op(self, name, args, out, is_view=False):
        """One ATen operator `name` (overload packet name, e.g. 'addmm') with its
        positional args and its output (a tensor-like or a tuple of them)."""
        tensors_in = [t for a in args for t in (a if isinstance(a, (list, tuple)) else (a,))
                      if hasattr(t, 'shape')]  # aten.cat takes a list of tensors
        if name in ('convolution', '_convolution'):
            x, w, groups = args[0], args[1], int(args[8])
            transposed = bool(args[6])
            m, k, n, g = conv_shape(tuple(w.shape), tuple(out.shape), tuple(x.shape), groups,
                                    transposed, self.batch)
            pname = self.weight_of(w)
            self.add(weight_name(pname) if pname else self.numbered('conv'), 'conv', m, k, n, g,
                     pname is not None, (w, 'conv_t' if transposed else 'conv'))
        elif name in ('mm', 'addmm', 'bmm', 'baddbmm'):
            a, b = (args[1], args[2]) if name in ('addmm', 'baddbmm') else (args[0], args[1])
            wa, wb = self.weight_of(a), self.weight_of(b)
            side = 'b' if wb else ('a' if wa else None)
            m, k, n, g, kind = product_shape(tuple(a.shape), tuple(b.shape), side, self.batch)
            if side:
                self.add(weight_name(wb or wa), kind, m, k, n, g, True,
                         (b, 'right') if side == 'b' else (a, 'left'))
            else:
                self.add(self.numbered('matmul'), kind, m, k, n, g, False)
        elif 'scaled_dot_product' in name and 'attention' in name and 'backward' not in name:
            q, k_, v = args[0], args[1], args[2]
            (m1, k1, n1, g1), (m2, k2, n2, g2) = attention_shapes(tuple(q.shape), tuple(k_.shape),
                                                                  tuple(v.shape), self.batch)
            mod = self.module()
            prefix = mod + '.' if mod else ''
            self.add(prefix + 'qk', 'matmul', m1, k1, n1, g1, False)
            # softmax over the scores: written and read once inside the kernel
            self.extra(2.0 * m1 * n1 * g1 * FP32)
            self.add(prefix + 'av', 'matmul', m2, k2, n2, g2, False)
        elif is_view or name in NO_DATA_OPS:
            return
        else:
            outs = [o for o in (out if isinstance(out, (tuple, list)) else (out,))
                    if hasattr(o, 'shape')]
            n_out = sum(prod(o.shape) for o in outs)
            if name in GATHER_OPS:
                n_in = n_out
            else:
                n_in = sum(prod(t.shape) for t in tensors_in)
            if n_in + n_out:
                self.extra(float(n_in + n_out) * FP32 / self.batch)


def write_csv(layers, f, description=''):
    """The network CSV (db/networks/README.md) of `layers` into the text file f."""
    for line in (description or '').splitlines() or ['']:
        if line:
            f.write('# %s\n' % line)
    f.write('# exported by tools/export_torch.py\n')
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['name', 'kind', 'm', 'k', 'n', 'groups', 'prunable', 'extra_bytes'])
    for l in layers:
        w.writerow([l.name, l.kind, l.m, l.k, l.n, l.groups, 'true' if l.prunable else 'false',
                    '%.0f' % l.extra_bytes])


def weight_matrix(w, how, groups=1):
    """The matrix a layer's GEMM multiplies, (groups * m) x k, from the operand w its
    operator got (a torch tensor; anything with shape, reshape, swapaxes and T will do):
    how = 'conv': (C_out, C_in/groups, *kernel), row o = output channel o;
    'conv_t' (transposed): (C_in, C_out/groups, *kernel), group g's k = C_in/groups input
    channels by its m = C_out/groups * kernel outputs, transposed;
    'right': Y = X @ B, B = W^T (k x m); 'left': Y^T = W @ X^T, W itself (m x k)."""
    shape = tuple(int(d) for d in w.shape)
    if how == 'conv':
        return w.reshape(shape[0], prod(shape[1:]))
    if how == 'conv_t':
        k, m = shape[0] // groups, prod(shape[1:])
        return w.reshape(groups, k, m).swapaxes(1, 2).reshape(groups * m, k)
    if len(shape) != 2:
        raise ValueError('a weight operand of shape %s is not a matrix' % (shape,))
    return w.T if how == 'right' else w


def _f32_bytes(values):
    a = array.array('f', values)
    if sys.byteorder == 'big':
        a.byteswap()
    return a.tobytes()


def matrix_f32(w):
    """A 2-D matrix (torch tensor, NumPy array, or anything with shape and tolist()) as
    little-endian float32 bytes in C order."""
    if hasattr(w, 'detach'):  # torch: float32 on the CPU, in C order
        w = w.detach().cpu().float().contiguous()
        try:
            return w.numpy().astype('<f4').tobytes()
        except (ImportError, RuntimeError):  # torch without NumPy
            return _f32_bytes(w.flatten().tolist())
    if hasattr(w, '__array__'):
        import numpy
        return numpy.ascontiguousarray(w, dtype='<f4').tobytes()
    return _f32_bytes(v for row in w.tolist() for v in row)


def write_npy(path, rows, cols, data):
    """A .npy file (format 1.0) of a C-order rows x cols float32 matrix: data, its
    little-endian bytes."""
    if len(data) != 4 * rows * cols:
        raise ValueError('%s: %d bytes for a %d x %d float32 matrix' % (path, len(data), rows, cols))
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
    header += ' ' * (-(10 + len(header) + 1) % 64) + '\n'  # aligned to 64 bytes, as numpy writes
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1'))
        f.write(data)


def save_weights(layers, directory):
    """Writes every prunable layer's weight matrix to directory/<layer name>.npy, as
    `sparseroof bench --weights` reads them. Returns the paths written."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for l in layers:
        if not l.prunable or l.weight is None:
            continue
        if os.sep in l.name or (os.altsep and os.altsep in l.name) or l.name in ('.', '..'):
            raise ValueError('layer %r: its name cannot be a file name' % l.name)
        w = weight_matrix(l.weight[0], l.weight[1], l.groups)
        rows, cols = (int(d) for d in w.shape)
        if (rows, cols) != (l.groups * l.m, l.k):
            raise ValueError('layer %s: weights of %d x %d, but the layer is (%d x %d) x %d'
                             % (l.name, rows, cols, l.groups, l.m, l.k))
        path = os.path.join(directory, l.name + '.npy')
        write_npy(path, rows, cols, matrix_f32(w))
        written.append(path)
    return written


# --- torch glue (imported only when an export runs) ---------------------------------------

def _storage_key(t):
    try:
        return t.untyped_storage().data_ptr()
    except (AttributeError, RuntimeError, NotImplementedError):
        try:
            return t.storage().data_ptr()
        except Exception:  # tensors without storage (e.g. sparse): never a weight
            return None


def _op_name(func):
    """'addmm' for aten.addmm.default."""
    packet = getattr(func, 'overloadpacket', func)
    return getattr(packet, '__name__', None) or str(packet).split('.')[-1]


def _positional(func, args, kwargs):
    """args followed by the keyword arguments in schema order (defaults where absent)."""
    out = list(args)
    if kwargs:
        for a in func._schema.arguments[len(args):]:
            out.append(kwargs.get(a.name, a.default_value))
    return out


def trace(model, inputs, batch=None):
    """Runs model(*inputs) once and returns its layers."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    if not isinstance(inputs, (tuple, list)):
        inputs = (inputs,)
    if batch is None:
        first = next((x for x in inputs if isinstance(x, torch.Tensor) and x.dim() > 0), None)
        batch = int(first.shape[0]) if first is not None else 1
    params = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        params.setdefault(_storage_key(p), name)
    rec = Recorder(batch, params, _storage_key)

    class Mode(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            try:
                rec.op(_op_name(func), _positional(func, args, kwargs), out,
                       is_view=bool(getattr(func, 'is_view', False)))
            except (IndexError, TypeError, ValueError) as e:
                sys.stderr.write('export_torch: skipped %s: %s\n' % (func, e))
            return out

    def enter(name):
        def hook(module, args):
            rec.scope.append(name)  # returns None: the input stays as it is
        return hook

    def leave(module, args, output):
        rec.scope.pop()  # returns None: the output stays as it is

    handles = []
    for name, mod in model.named_modules():
        if name:
            handles.append(mod.register_forward_pre_hook(enter(name)))
            handles.append(mod.register_forward_hook(leave))
    # Inference without autograd (its bookkeeping would show as copies), but with the fused
    # inference path of nn.MultiheadAttention off, so that its products are seen one by
    # one. Without that switch (torch < 2.1), autograd on keeps the fused path off.
    mha = getattr(torch.backends, 'mha', None)
    fastpath = mha.get_fastpath_enabled() if mha else None
    grad = torch.no_grad() if mha else torch.enable_grad()
    was_training = model.training
    model.eval()
    try:
        if mha:
            mha.set_fastpath_enabled(False)
        with grad, Mode():
            model(*inputs)
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
        if mha:
            mha.set_fastpath_enabled(fastpath)
    return rec.layers


def export(model, inputs, path=None, batch=None, description='', weights=None):
    """Traces model(*inputs) and writes the CSV to path (a file name, a text file, or
    None for standard output), and with weights (a directory) each prunable layer's
    weights (save_weights). Returns the layers."""
    layers = trace(model, inputs, batch)
    if not layers:
        raise ValueError('no convolution, linear layer or matrix product was run')
    if path is None:
        write_csv(layers, sys.stdout, description)
    elif isinstance(path, io.TextIOBase):
        write_csv(layers, path, description)
    else:
        with open(path, 'w', newline='') as f:
            write_csv(layers, f, description)
    if weights:
        save_weights(layers, weights)
    return layers


def parse_input(spec):
    """'1,3,224,224' (float) or '1,128:long' -> (shape, dtype name)."""
    shape, _, dtype = spec.partition(':')
    try:
        dims = tuple(int(x) for x in shape.split(','))
    except ValueError:
        raise argparse.ArgumentTypeError('--input %r: expected comma-separated sizes, e.g. '
                                         '1,3,224,224 or 1,128:long' % spec)
    if not dims or min(dims) < 1:
        raise argparse.ArgumentTypeError('--input %r: sizes must be positive' % spec)
    if dtype not in ('', 'float', 'long', 'int'):
        raise argparse.ArgumentTypeError('--input %r: type must be float or long' % spec)
    return dims, dtype or 'float'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('model', help='MODULE:CALLABLE returning an nn.Module, e.g. '
                    'torchvision.models:resnet50')
    ap.add_argument('--kwargs', default='{}', help='JSON keyword arguments for CALLABLE')
    ap.add_argument('--input', action='append', type=parse_input, required=True,
                    help='input shape, e.g. 1,3,224,224; 1,128:long for token ids (repeatable)')
    ap.add_argument('--high', type=int, default=100, help='token ids are drawn from [0, HIGH)')
    ap.add_argument('--batch', type=int, help='images per forward pass (default: first dim)')
    ap.add_argument('--description', default='', help='first comment line of the CSV')
    ap.add_argument('-o', '--output', help='CSV file (default: standard output)')
    ap.add_argument('--weights', metavar='DIR', help='write each prunable layer\'s weights to '
                    'DIR/<layer name>.npy (float32, (groups * m) x k), for sparseroof bench --weights')
    a = ap.parse_args(argv)
    import torch
    mod_name, _, attr = a.model.partition(':')
    if not attr:
        ap.error('model %r: expected MODULE:CALLABLE' % a.model)
    obj = importlib.import_module(mod_name)
    for part in attr.split('.'):
        obj = getattr(obj, part)
    model = obj(**json.loads(a.kwargs))
    inputs = tuple(torch.randint(0, a.high, dims) if dt in ('long', 'int') else torch.randn(*dims)
                   for dims, dt in a.input)
    desc = a.description or '%s, input %s' % (a.model, ' '.join(
        'x'.join(str(d) for d in dims) for dims, _ in a.input))
    layers = export(model, inputs, a.output, a.batch, desc, a.weights)
    sys.stderr.write('export_torch: %d layers, %.3f GMACs per image\n'
                     % (len(layers), sum(l.macs() for l in layers) / 1e9))
    if a.weights:
        sys.stderr.write('export_torch: weights of %d prunable layers in %s\n'
                         % (sum(1 for l in layers if l.prunable), a.weights))
    return 0


if __name__ == '__main__':
    sys.exit(main())
