#!/usr/bin/python3
"""Models trained per minute by PyTorch and scikit-learn, for the models `memscope fz train` trains.

Run with Debian's /usr/bin/python3 (python3-torch, python3-sklearn, python3-numpy); bench/training/compare-training.sh
calls it once per configuration and round, each in a fresh process, and prints the table.

The workload is Memscope's: T models, each trained on its own random subset of ⌊0.7·n⌋ examples of a training set
(the embedded Fashion-MNIST subset, n = 5,000, exported with `memscope data --export-embedded DIR`; pixel/255,
float32), with Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay) on cross-entropy, mini-batches of 128
reshuffled every epoch, PyTorch-default Linear initialization U(±1/√fan_in); then each model's logits on the whole
training set and on the test set (k = 1,000), which is what FZ/LiRA scoring needs. Timed: from the first model's
initialization to the last model's evaluation, data already in memory (as Memscope's "train" timing).

  /usr/bin/python3 torch_sklearn_rates.py --data DIR --learner mlp --framework torch-loop --models 16 --epochs 10
  /usr/bin/python3 torch_sklearn_rates.py --peak            # float32 matmul GFLOP/s (torch.mm), 2 threads

Frameworks (--framework):
  torch-loop    one model at a time, plain nn.Sequential + torch.optim.Adam loop
  torch-vmap    --group models at once: functorch.combine_state_for_ensemble + vmap(grad(loss)) (torch.func in
                PyTorch ≥ 2.0); one torch.optim.Adam over the stacked parameters (Adam is elementwise and all models
                take the same number of steps, so this is exactly --group independent Adams)
  torch-bmm     --group models at once, written by hand: stacked weights [G, out, in] and torch.baddbmm
  sklearn-mlp   MLPClassifier(solver='adam', batch_size=128, learning_rate_init=lr, alpha=0, max_iter=epochs, tol=0,
                n_iter_no_change=∞, early_stopping=False); hidden_layer_sizes=(256,) for mlp and () for logistic
                (i.e. multinomial logistic regression with the same optimizer); Glorot initialization (sklearn's own)
  sklearn-sgd   logistic only: SGDClassifier(loss='log_loss', penalty=None, learning_rate='constant', eta0=lr,
                max_iter=epochs, tol=None, n_jobs=threads): one-vs-rest, plain per-example SGD at the same rate
  sklearn-lr    logistic only: LogisticRegression(penalty=None, solver='lbfgs', multinomial, max_iter=epochs):
                full-batch L-BFGS, so "epochs" are L-BFGS iterations
--procs P runs P worker processes (spawned, each with --threads threads), models split round-robin; the clock starts
when every worker has loaded its data. --masks RUNDIR takes model m's subset from RUNDIR/models/m%06d/mask.npy (a
Memscope run folder), so all frameworks train on Memscope's exact subsets; without it subsets come from NumPy.
Prints one JSON object.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
import warnings

import numpy as np

FRAMEWORKS = ["torch-loop", "torch-vmap", "torch-bmm", "sklearn-mlp", "sklearn-sgd", "sklearn-lr"]
TRAIN_IMAGES = "fashion-mnist-subset-train-images-idx3-ubyte.gz"
TRAIN_LABELS = "fashion-mnist-subset-train-labels-idx1-ubyte.gz"
TEST_IMAGES = "fashion-mnist-subset-t10k-images-idx3-ubyte.gz"
TEST_LABELS = "fashion-mnist-subset-t10k-labels-idx1-ubyte.gz"


# ----------------------------------------------------------------------------------------------------------------
# data

def read_idx(path):
    """A gzipped (or plain) IDX file of unsigned bytes as a NumPy array of its shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_data(d):
    """(x_train, y_train, x_test, y_test): features pixel/255 as float32 rows, labels int64."""
    def xs(name):
        a = read_idx(os.path.join(d, name))
        return (a.reshape(a.shape[0], -1).astype(np.float32) / np.float32(255)).astype(np.float32)

    def ys(name):
        return read_idx(os.path.join(d, name)).astype(np.int64)

    return xs(TRAIN_IMAGES), ys(TRAIN_LABELS), xs(TEST_IMAGES), ys(TEST_LABELS)


def subsets(models, n, fraction, seed, masks):
    """Model m's training indices (sorted): from a Memscope run folder's mask.npy files, or drawn with NumPy."""
    out = []
    for m in range(models):
        if masks:
            mask = np.load(os.path.join(masks, "models", f"m{m:06d}", "mask.npy")).astype(bool).reshape(-1)
            if mask.shape[0] != n:
                raise SystemExit(f"{masks}: model {m}'s mask has {mask.shape[0]} entries, the data {n}")
            out.append(np.flatnonzero(mask))
        else:
            rng = np.random.default_rng([seed, m])
            out.append(np.sort(rng.choice(n, int(math.floor(fraction * n)), replace=False)))
    return out


def dims_of(learner, hidden, d, classes):
    return [d, classes] if learner == "logistic" else [d, *hidden, classes]


def parameter_count(dims):
    return sum(dims[i] * dims[i + 1] + dims[i + 1] for i in range(len(dims) - 1))


# ----------------------------------------------------------------------------------------------------------------
# PyTorch

def torch_models(torch, dims, model_ids, seed):
    """One nn.Sequential per model, PyTorch-default Linear init from torch.manual_seed(seed·10⁶ + m)."""
    nn = torch.nn
    out = []
    for m in model_ids:
        torch.manual_seed(seed * 1_000_000 + m)
        layers = []
        for i in range(len(dims) - 1):
            layers.append(nn.Linear(dims[i], dims[i + 1]))
            if i + 2 < len(dims):
                layers.append(nn.ReLU())
        out.append(nn.Sequential(*layers))
    return out


def epoch_orders(torch, subs, model_ids, epochs, seed):
    """Per model, per epoch: its subset's indices in a fresh random order (as a LongTensor)."""
    orders = {}
    for m in model_ids:
        g = torch.Generator().manual_seed(seed * 1_000_000 + 500_000 + m)
        sub = torch.from_numpy(subs[m])
        orders[m] = [sub[torch.randperm(len(sub), generator=g)] for _ in range(epochs)]
    return orders


def torch_loop(torch, a, data, subs, model_ids):
    """One model at a time."""
    F = torch.nn.functional
    xtr, ytr, xte, yte = data
    dims = dims_of(a.learner, a.hidden, xtr.shape[1], int(max(ytr.max(), yte.max())) + 1)
    accs = []
    for m in model_ids:
        model = torch_models(torch, dims, [m], a.seed)[0]
        opt = torch.optim.Adam(model.parameters(), lr=a.lr)
        order = epoch_orders(torch, subs, [m], a.epochs, a.seed)[m]
        for e in range(a.epochs):
            idx = order[e]
            for s in range(0, len(idx), a.batch_size):
                b = idx[s:s + a.batch_size]
                loss = F.cross_entropy(model(xtr.index_select(0, b)), ytr.index_select(0, b))
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
        with torch.no_grad():
            _train_logits = model(xtr)  # what FZ/LiRA scoring needs; computed, as Memscope does
            accs.append((model(xte).argmax(1) == yte).float().mean().item())
    return accs


def groups_of(model_ids, g):
    return [model_ids[i:i + g] for i in range(0, len(model_ids), g)]


def stacked_batches(torch, order, ids, e, batch_size):
    """For epoch e: a list of [G, B] index tensors, model j's batch in row j (all subsets have the same size)."""
    idx = torch.stack([order[m][e] for m in ids])  # [G, n_sub]
    return [idx[:, s:s + batch_size] for s in range(0, idx.shape[1], batch_size)]


def torch_vmap(torch, a, data, subs, model_ids):
    """--group models at once with functorch (torch.func) vmap over a functional model."""
    try:  # PyTorch ≥ 2.0
        from torch.func import functional_call, grad, stack_module_state, vmap
        api = "torch.func"
    except ImportError:  # PyTorch 1.13 (Debian 12): functorch
        from functorch import combine_state_for_ensemble, grad, vmap
        api = "functorch"
    F = torch.nn.functional
    xtr, ytr, xte, yte = data
    dims = dims_of(a.learner, a.hidden, xtr.shape[1], int(max(ytr.max(), yte.max())) + 1)
    accs = []
    for ids in groups_of(model_ids, a.group):
        models = torch_models(torch, dims, ids, a.seed)
        if api == "torch.func":
            params, buffers = stack_module_state(models)
            base = models[0]
            names = list(params)
            params = [params[k].detach().requires_grad_() for k in names]

            def fmodel(p, b, x):
                return functional_call(base, (dict(zip(names, p)), b), (x,))
        else:
            fmodel, params, buffers = combine_state_for_ensemble(models)
            params = [p.detach().requires_grad_() for p in params]

        def loss_fn(p, b, x, y):
            return F.cross_entropy(fmodel(p, b, x), y)

        grads_of = vmap(grad(loss_fn))
        opt = torch.optim.Adam(params, lr=a.lr)
        order = epoch_orders(torch, subs, ids, a.epochs, a.seed)
        for e in range(a.epochs):
            for b in stacked_batches(torch, order, ids, e, a.batch_size):
                gs = grads_of(params, buffers, xtr[b], ytr[b])
                for p, g in zip(params, gs):
                    p.grad = g
                opt.step()
        with torch.no_grad():
            _train_logits = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, xtr)
            te = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, xte)
            accs += (te.argmax(2) == yte).float().mean(1).tolist()
    return accs, api


def torch_bmm(torch, a, data, subs, model_ids):
    """--group models at once, by hand: weights [G, in, out], x [G, B, in], torch.baddbmm."""
    F = torch.nn.functional
    xtr, ytr, xte, yte = data
    dims = dims_of(a.learner, a.hidden, xtr.shape[1], int(max(ytr.max(), yte.max())) + 1)
    accs = []

    def forward(ws, bs, x):
        for i, (w, b) in enumerate(zip(ws, bs)):
            x = torch.baddbmm(b.unsqueeze(1), x, w)
            if i + 1 < len(ws):
                x = F.relu(x)
        return x

    for ids in groups_of(model_ids, a.group):
        models = torch_models(torch, dims, ids, a.seed)
        lin = [[l for l in mod if isinstance(l, torch.nn.Linear)] for mod in models]
        ws = [torch.stack([lin[j][i].weight.detach().t() for j in range(len(ids))]).contiguous().requires_grad_()
              for i in range(len(dims) - 1)]
        bs = [torch.stack([lin[j][i].bias.detach() for j in range(len(ids))]).requires_grad_()
              for i in range(len(dims) - 1)]
        opt = torch.optim.Adam(ws + bs, lr=a.lr)
        order = epoch_orders(torch, subs, ids, a.epochs, a.seed)
        classes = dims[-1]
        for e in range(a.epochs):
            for b in stacked_batches(torch, order, ids, e, a.batch_size):
                logits = forward(ws, bs, xtr[b])  # [G, B, classes]
                # sum over models of each model's mean loss: model j's gradient is its own
                loss = F.cross_entropy(logits.reshape(-1, classes), ytr[b].reshape(-1), reduction="sum") / b.shape[1]
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
        with torch.no_grad():
            g = len(ids)
            _train_logits = forward(ws, bs, xtr.unsqueeze(0).expand(g, -1, -1))
            te = forward(ws, bs, xte.unsqueeze(0).expand(g, -1, -1))
            accs += (te.argmax(2) == yte).float().mean(1).tolist()
    return accs


# ----------------------------------------------------------------------------------------------------------------
# scikit-learn

def sklearn_run(a, data, subs, model_ids):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.neural_network import MLPClassifier
    xtr, ytr, xte, yte = data
    accs = []
    for m in model_ids:
        if a.framework == "sklearn-mlp":
            clf = MLPClassifier(hidden_layer_sizes=tuple(a.hidden) if a.learner == "mlp" else (), activation="relu",
                                solver="adam", alpha=0.0, batch_size=a.batch_size, learning_rate_init=a.lr,
                                max_iter=a.epochs, shuffle=True, tol=0.0, n_iter_no_change=10 ** 9,
                                early_stopping=False, random_state=a.seed * 1_000_000 + m)
        elif a.framework == "sklearn-sgd":
            clf = SGDClassifier(loss="log_loss", penalty=None, alpha=0.0, learning_rate="constant", eta0=a.lr,
                                max_iter=a.epochs, tol=None, shuffle=True, random_state=a.seed * 1_000_000 + m,
                                n_jobs=a.threads)
        else:
            clf = LogisticRegression(penalty=None, solver="lbfgs", multi_class="multinomial", max_iter=a.epochs)
        s = subs[m]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(xtr[s], ytr[s])
        _train_scores = clf.decision_function(xtr) if a.framework != "sklearn-mlp" else clf.predict_proba(xtr)
        accs.append(float((clf.predict(xte) == yte).mean()))
    return accs


# ----------------------------------------------------------------------------------------------------------------
# driver

def set_threads(threads, uses_torch):
    from threadpoolctl import threadpool_limits
    threadpool_limits(threads)  # BLAS (OpenBLAS) and OpenMP pools in this process
    if uses_torch:
        import torch
        torch.set_num_threads(threads)


def prepare(a):
    """Everything before the clock starts: threads, imports, data (as tensors for torch), subsets."""
    uses_torch = a.framework.startswith("torch")
    set_threads(a.threads, uses_torch)
    xtr, ytr, xte, yte = load_data(a.data)
    subs = subsets(a.models, xtr.shape[0], a.fraction, a.seed, a.masks)
    if uses_torch:
        import torch
        data = tuple(torch.from_numpy(np.ascontiguousarray(v)) for v in (xtr, ytr, xte, yte))
    else:
        import sklearn  # noqa: F401  (imported before the clock)
        data = (xtr, ytr, xte, yte)
    return data, subs


def train(a, data, subs, model_ids):
    """Test accuracies of model_ids (in order), and a note on the API used."""
    if a.framework.startswith("torch"):
        import torch
        if a.framework == "torch-loop":
            return torch_loop(torch, a, data, subs, model_ids), ""
        if a.framework == "torch-vmap":
            accs, api = torch_vmap(torch, a, data, subs, model_ids)
            return accs, api
        return torch_bmm(torch, a, data, subs, model_ids), ""
    return sklearn_run(a, data, subs, model_ids), ""


def worker(a, rank, barrier, queue):
    data, subs = prepare(a)
    ids = list(range(rank, a.models, a.procs))
    barrier.wait()
    t0 = time.time()
    accs, note = train(a, data, subs, ids)
    queue.put((rank, ids, accs, note, t0, time.time()))


def run(a):
    if a.procs == 1:
        data, subs = prepare(a)
        t0 = time.perf_counter()
        accs, note = train(a, data, subs, list(range(a.models)))
        seconds = time.perf_counter() - t0
    else:
        import multiprocessing as mp
        ctx = mp.get_context("spawn")
        barrier, queue = ctx.Barrier(a.procs + 1), ctx.Queue()
        procs = [ctx.Process(target=worker, args=(a, r, barrier, queue)) for r in range(a.procs)]
        for p in procs:
            p.start()
        barrier.wait()
        t0 = time.time()
        parts = [queue.get() for _ in procs]
        seconds = max(p[5] for p in parts) - t0
        for p in procs:
            p.join()
        accs_by_model = {}
        for _, ids, part_accs, note, _, _ in parts:
            accs_by_model.update(zip(ids, part_accs))
        accs = [accs_by_model[m] for m in range(a.models)]
    return seconds, accs, note


def library_versions():
    import threadpoolctl
    out = {"numpy": np.__version__}
    try:
        import torch
        out["torch"] = torch.__version__
    except ImportError:
        pass
    try:
        import sklearn
        out["sklearn"] = sklearn.__version__
    except ImportError:
        pass
    out["blas"] = ", ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture') or i.get('threading_layer')})"
                            for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas")
    return out


def peak(threads, seconds):
    """Best float32 torch.mm GFLOP/s over square sizes 1024–4096."""
    import torch
    set_threads(threads, True)
    best, sizes = 0.0, {}
    for n in (1024, 2048, 3072, 4096):
        x, y, z = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
        torch.mm(x, y, out=z)
        end = time.perf_counter() + seconds
        rate = 0.0
        while time.perf_counter() < end:
            t = time.perf_counter()
            torch.mm(x, y, out=z)
            rate = max(rate, 2 * n ** 3 / (time.perf_counter() - t) / 1e9)
        sizes[n] = round(rate, 1)
        best = max(best, rate)
    return {"peak_gflops": best, "by_size": sizes, "threads": threads, **library_versions()}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", help="folder written by `memscope data --export-embedded`")
    p.add_argument("--learner", choices=["mlp", "logistic"], default="mlp")
    p.add_argument("--framework", choices=FRAMEWORKS, default="torch-loop")
    p.add_argument("--models", type=int, default=16)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--hidden", default="256", help="MLP hidden widths, comma-separated")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--fraction", type=float, default=0.7)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--masks", help="a Memscope run folder whose models/m*/mask.npy give the subsets")
    p.add_argument("--threads", type=int, default=2, help="threads per process (torch and BLAS)")
    p.add_argument("--procs", type=int, default=1, help="worker processes, models split round-robin")
    p.add_argument("--group", type=int, default=16, help="models per vmap/bmm ensemble")
    p.add_argument("--peak", action="store_true", help="only measure float32 torch.mm GFLOP/s")
    p.add_argument("--peak-seconds", type=float, default=2.0, help="seconds per matrix size for --peak")
    a = p.parse_args()
    if a.peak:
        print(json.dumps(peak(a.threads, a.peak_seconds)))
        return
    if not a.data:
        p.error("--data is required")
    a.hidden = [int(h) for h in a.hidden.split(",") if h.strip()]
    if a.framework in ("sklearn-sgd", "sklearn-lr") and a.learner != "logistic":
        p.error(f"{a.framework} is a logistic-regression baseline: use --learner logistic")
    seconds, accs, note = run(a)
    xtr = read_idx(os.path.join(a.data, TRAIN_IMAGES))
    n, d = xtr.shape[0], int(np.prod(xtr.shape[1:]))
    k = read_idx(os.path.join(a.data, TEST_LABELS)).shape[0]
    params = parameter_count(dims_of(a.learner, a.hidden, d, 10))
    print(json.dumps({
        "framework": a.framework, "learner": a.learner, "models": a.models, "epochs": a.epochs,
        "threads": a.threads, "procs": a.procs, "group": a.group if a.framework in ("torch-vmap", "torch-bmm") else None,
        "seconds": seconds, "models_per_min": 60 * a.models / seconds,
        "mean_test_accuracy": float(np.mean(accs)), "test_accuracies": accs,
        "params": params, "n": n, "k": k, "subset": len(subsets(1, n, a.fraction, a.seed, a.masks)[0]),
        "masks": bool(a.masks), "api": note, **library_versions(),
    }))


if __name__ == "__main__":
    sys.exit(main())
