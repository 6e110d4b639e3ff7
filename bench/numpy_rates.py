#!/usr/bin/python3
"""Single-thread throughput of NumPy's Generator (PCG64) for the kernels of `memscope bench`, in ns per value.

Each kernel fills a vector of d values per call into preallocated arrays where NumPy allows it, and is timed for a
fixed budget after a warm-up. Where several reasonable NumPy idioms exist (Bernoulli and uniform signs), each is
timed and the fastest is reported, with its name. Run pinned to one core (bench/compare-numpy.sh uses taskset -c 0)
and with the BLAS/OpenMP thread pools set to one thread.

  /usr/bin/python3 bench/numpy_rates.py [--d 10000] [--seconds 1] [--json]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

P = 0.65  # Pr[+1] of the Bernoulli signs, as in memscope bench


def measure(budget_s, d, kernel):
    """ns per value of kernel() (which produces d values), over budget_s seconds after 20 warm-up calls."""
    for _ in range(20):
        kernel()
    reps = 0
    start = time.perf_counter_ns()
    deadline = start + int(budget_s * 1e9)
    now = start
    while now < deadline:
        kernel()
        reps += 1
        now = time.perf_counter_ns()
    return (now - start) / (reps * d)


def kernels(d):
    """kernel name -> {idiom: zero-argument callable producing d values}."""
    rng = np.random.default_rng(1)
    dbl = np.empty(d, dtype=np.float64)
    u = np.empty(d, dtype=np.float64)
    mask = np.empty(d, dtype=np.bool_)
    signs = np.empty(d, dtype=np.int8)
    nbytes = (d + 7) // 8

    def bernoulli_where():
        return np.where(rng.random(d) < P, 1, -1).astype(np.int8)

    def bernoulli_inplace():
        rng.random(out=u)
        np.less(u, P, out=mask)
        np.multiply(mask, 2, out=signs, casting="unsafe")
        np.subtract(signs, 1, out=signs)
        return signs

    def uniform_sign_integers():
        s = rng.integers(0, 2, size=d, dtype=np.int8)
        s *= 2
        s -= 1
        return s

    def uniform_sign_bits():
        bits = np.unpackbits(np.frombuffer(rng.bytes(nbytes), dtype=np.uint8), count=d).view(np.int8)
        bits *= 2
        bits -= 1
        return bits

    return {
        "normal": {"rng.standard_normal(out=buf)": lambda: rng.standard_normal(out=dbl)},
        "uniform": {"rng.random(out=buf)": lambda: rng.random(out=dbl)},
        "bernoulli_sign": {
            "np.where(rng.random(d) < p, 1, -1).astype(int8)": bernoulli_where,
            "rng.random(out=u); less/multiply/subtract in place": bernoulli_inplace,
        },
        "uniform_sign": {
            "rng.integers(0, 2, d, int8)*2-1": uniform_sign_integers,
            "unpackbits(rng.bytes(d/8))*2-1": uniform_sign_bits,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=10_000, help="vector dimension")
    ap.add_argument("--seconds", type=float, default=1.0, help="time budget per idiom")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args()
    if args.d < 1 or not args.seconds > 0:
        ap.error("--d must be >= 1 and --seconds > 0")

    out = {"d": args.d, "numpy_version": np.__version__, "idioms": {}, "all_idioms_ns_per_value": {}}
    for name, idioms in kernels(args.d).items():
        timed = {idiom: round(measure(args.seconds, args.d, fn), 3) for idiom, fn in idioms.items()}
        best = min(timed, key=timed.get)
        out[f"{name}_ns_per_value"] = timed[best]
        out["idioms"][name] = best
        out["all_idioms_ns_per_value"][name] = timed

    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for name in kernels(1):
            ns = out[f"{name}_ns_per_value"]
            print(f"{name + '_ns_per_value':<30} {ns:8.3f} ns  ({1e3 / ns:8.1f} M values/s per core, d = {args.d})  [{out['idioms'][name]}]")


if __name__ == "__main__":
    main()
