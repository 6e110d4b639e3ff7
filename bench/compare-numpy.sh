#!/usr/bin/env bash
# Memscope's sampling kernels against NumPy's Generator, per core, side by side in one run.
#
#   bash bench/compare-numpy.sh
#
# Environment: D (vector dimension, default 10000), BUDGET (seconds per kernel, default 1),
# ROUNDS (alternating memscope/NumPy rounds, default 3; the table keeps each kernel's fastest round),
# FULL_JIT=1 (run memscope with DOTNET_TC_QuickJit=0: methods are fully optimized on first call instead of going
# through tier-0 code; `memscope bench` warms up for only 20 calls, so by default its normal kernel is measured mostly
# before TensorPrimitives' code has tiered up — see bench/README.md).
#
# Installs python3-numpy with apt if /usr/bin/python3 cannot import numpy, builds the CLI in Release, runs
# `memscope bench --json` and bench/numpy_rates.py pinned to CPU 0 (taskset, if available) with one thread each,
# and prints kernel, ns/value for both, and ratio = numpy_ns / memscope_ns (> 1: Memscope faster).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=/usr/bin/python3
D=${D:-10000}
BUDGET=${BUDGET:-1}
ROUNDS=${ROUNDS:-3}
FULL_JIT=${FULL_JIT:-0}
CLI_DLL=src/Memscope.Cli/bin/Release/net10.0/memscope.dll

# (a) NumPy for the system Python.
if ! "$PY" -c 'import numpy' 2>/dev/null; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
    echo "installing python3-numpy with apt ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y python3-numpy >&2; then
        $SUDO apt-get update >&2
        $SUDO apt-get install -y python3-numpy >&2
    fi
    "$PY" -c 'import numpy' || { echo "numpy still not importable by $PY" >&2; exit 1; }
fi

# (b) The CLI, in Release.
echo "building src/Memscope.Cli (Release) ..." >&2
dotnet build -c Release src/Memscope.Cli -nologo -v q >&2

# (c) Both benchmarks on one core, single-threaded.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1 VECLIB_MAXIMUM_THREADS=1
PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
    PIN=(taskset -c 0)
    PINNED="CPU 0 (taskset -c 0)"
else
    PINNED="not pinned (taskset unavailable)"
fi

MS_ENV=()
JIT_NOTE="memscope as shipped (tiered JIT)"
if [ "$FULL_JIT" = 1 ]; then
    MS_ENV=(env DOTNET_TC_QuickJit=0)
    JIT_NOTE="memscope with DOTNET_TC_QuickJit=0"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS: memscope bench, then numpy_rates.py (d = $D, ${BUDGET} s per kernel) ..." >&2
    "${MS_ENV[@]}" "${PIN[@]}" dotnet "$CLI_DLL" bench --json --d "$D" --seconds "$BUDGET" > "$TMP/memscope.$r.json"
    "${PIN[@]}" "$PY" bench/numpy_rates.py --json --d "$D" --seconds "$BUDGET" > "$TMP/numpy.$r.json"
done

# (d) The table.
"$PY" - "$TMP" "$ROUNDS" "$PINNED" "$JIT_NOTE" <<'PYEOF'
import json, sys
tmp, rounds, pinned, jit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
load = lambda who: [json.load(open(f"{tmp}/{who}.{r}.json")) for r in range(1, rounds + 1)]
ms, npy = load("memscope"), load("numpy")
kernels = ["normal", "uniform", "bernoulli_sign", "uniform_sign"]
print(f"Sampling kernels, d = {ms[0]['d']}, ns per value per core, best of {rounds} round(s); {pinned}")
print(f"{jit}; NumPy {npy[0]['numpy_version']} (PCG64), single thread")
print(f"{'kernel':<16} {'memscope ns/value':>18} {'numpy ns/value':>15} {'ratio numpy/memscope':>21}")
for k in kernels:
    m = min(x[f"{k}_ns_per_value"] for x in ms)
    n = min(x[f"{k}_ns_per_value"] for x in npy)
    print(f"{k:<16} {m:>18.3f} {n:>15.3f} {n / m:>21.2f}")
print("ratio > 1: Memscope faster. NumPy idioms (fastest of those tried):")
for k in kernels:
    best = min(npy, key=lambda x: x[f"{k}_ns_per_value"])
    print(f"  {k:<16} {best['idioms'][k]}")
if rounds > 1:
    print("per round (memscope / numpy ns/value):")
    for k in kernels:
        pairs = "  ".join(f"{a[f'{k}_ns_per_value']:.3f}/{b[f'{k}_ns_per_value']:.3f}" for a, b in zip(ms, npy))
        print(f"  {k:<16} {pairs}")
PYEOF
