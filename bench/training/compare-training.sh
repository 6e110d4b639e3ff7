#!/usr/bin/env bash
# Models trained per minute: `memscope fz train` next to PyTorch (loop, vmap and bmm ensembles) and scikit-learn, in
# one run, at equal epochs, on the same subsets, with each row's mean test accuracy and whether it is within ±0.5
# percentage points of Memscope's; plus the measured float32 matmul peak and every row's nominal FLOP/s as a fraction
# of it.
#
#   bash bench/training/compare-training.sh
#
# Environment (defaults in brackets): ROUNDS [2] (every configuration runs once per round; the table keeps each
# one's fastest round and lists all rounds below it), MLP_MODELS [16], LOGISTIC_MODELS [32], EPOCHS [10], GROUP [8]
# (models per vmap/bmm ensemble), ENSEMBLE [8] (Memscope's `--ensemble G` in its extra logistic row; the other Memscope
# rows use --ensemble 1, one model per call), LBFGS_ITERS [16] (LogisticRegression's max_iter, chosen so its accuracy matches;
# see bench/README.md), SKIP_SLOW=1 (leaves out the PyTorch and sklearn rows with 2 threads in one process, the
# slowest), QUICK=1 (smoke test: 4 models, 2 epochs, 1 round unless ROUNDS is set), KEEP=1 (keep the temporary folder), CORETYPE
# [auto] (OpenBLAS kernels, see (b)), IDLE_WAIT [120] (seconds to wait, before each round, for other work to stop),
# RUN_TIMEOUT [90] (seconds after which one Python run is stopped).
#
# What it does:
#  (a) installs, with apt-get, python3-torch and python3-sklearn if Debian's /usr/bin/python3 cannot import them,
#      and libopenblas0-openmp if it is missing (apt-get update only if an install fails). Debian's PyTorch and
#      NumPy link libblas.so.3; with only the reference BLAS (libblas3) a 2-thread float32 torch.mm runs at ~6
#      GFLOP/s, so the Python side is run with LD_LIBRARY_PATH pointing at OpenBLAS (OpenMP build, whose threads
#      torch.set_num_threads controls). Installing libopenblas0-openmp also makes OpenBLAS the system's default
#      libblas.so.3 alternative;
#  (b) on CPUs with AVX-512 it runs Python with OPENBLAS_CORETYPE=SKYLAKEX (AVX-512 kernels), overriding the
#      environment's value (this machine's environment sets OPENBLAS_CORETYPE=Haswell, i.e. AVX2 kernels at half
#      the speed); CORETYPE=inherit keeps the environment's, CORETYPE=Haswell (etc.) forces one;
#  (c) builds src/Memscope.Cli in Release and exports the embedded Fashion-MNIST subset (5,000 / 1,000) as IDX;
#  (d) per round: waits (up to IDLE_WAIT) for other work to stop, measures the matmul peak (torch.mm, float32,
#      2 threads, 1024–4096), then per learner runs `memscope fz train --threads 2` into a fresh folder (time:
#      run.json's "train" timing, which includes loading LibTorch) and every Python configuration
#      (bench/training/torch_sklearn_rates.py, one fresh process each, training on the subsets of round 1's Memscope
#      run), in an order that rotates from round to round;
#  (e) `memscope fz scores` on round 1's Memscope runs for Memscope's mean test accuracy, and prints the table.
set -euo pipefail

cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
CLI_DLL=src/Memscope.Cli/bin/Release/net10.0/memscope.dll
RATES=bench/training/torch_sklearn_rates.py
MLP_MODELS=${MLP_MODELS:-16}
LOGISTIC_MODELS=${LOGISTIC_MODELS:-32}
EPOCHS=${EPOCHS:-10}
GROUP=${GROUP:-8}
ENSEMBLE=${ENSEMBLE:-8}
LBFGS_ITERS=${LBFGS_ITERS:-16}
SKIP_SLOW=${SKIP_SLOW:-0}
if [ "${QUICK:-0}" = 1 ]; then ROUNDS=${ROUNDS:-1}; MLP_MODELS=4; LOGISTIC_MODELS=4; EPOCHS=2; GROUP=2; LBFGS_ITERS=4; fi
ROUNDS=${ROUNDS:-2}
START=$(date +%s)

# (a) Python packages and OpenBLAS.
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
apt_install() {
    echo "installing $* with apt-get ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y "$@" >&2; then
        $SUDO apt-get update >&2
        $SUDO apt-get install -y "$@" >&2
    fi
}
if ! "$PY" -c 'import torch, sklearn, numpy, threadpoolctl' 2>/dev/null; then
    apt_install python3-torch python3-sklearn
    "$PY" -c 'import torch, sklearn, numpy, threadpoolctl' || { echo "torch/sklearn still not importable by $PY" >&2; exit 1; }
fi
MULTIARCH=$("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH") or "")')
OPENBLAS_DIR=/usr/lib/$MULTIARCH/openblas-openmp
if [ ! -e "$OPENBLAS_DIR/libblas.so.3" ]; then
    apt_install libopenblas0-openmp
fi
PY_ENV=(env "LD_LIBRARY_PATH=$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")

# (b) OpenBLAS kernels: CORETYPE=auto (default) picks SKYLAKEX on AVX-512 CPUs, and otherwise leaves
# OPENBLAS_CORETYPE as the environment has it; CORETYPE=inherit keeps the environment's OPENBLAS_CORETYPE; any other value is used as is.
CORETYPE=${CORETYPE:-auto}
if [ "$CORETYPE" = auto ]; then
    if grep -qw avx512f /proc/cpuinfo; then PY_ENV+=("OPENBLAS_CORETYPE=SKYLAKEX"); fi
elif [ "$CORETYPE" != inherit ]; then
    PY_ENV+=("OPENBLAS_CORETYPE=$CORETYPE")
fi

# Other work on the machine slows every row, and wrecks the rows with 2 OpenMP threads in one process (their
# threads meet at a barrier after every operator). Before each round, wait up to IDLE_WAIT seconds [300] for the
# CPUs to be at most 15% busy over 2 s; the table says how busy the machine was. A Python run that takes longer than
# RUN_TIMEOUT seconds [90] is stopped and counted as taking RUN_TIMEOUT (shown as "> RUN_TIMEOUT s").
RUN_TIMEOUT=${RUN_TIMEOUT:-90}
IDLE_WAIT=${IDLE_WAIT:-120}
busy_percent() {
    local a b
    a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
    local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
cpu_jiffies() {  # "machine busy jiffies, jiffies used by this script's finished children"
    local a st
    a=($(head -1 /proc/stat))
    st=($(sed 's/.*) //' /proc/$$/stat))  # fields after the command name: cutime, cstime are 14th and 15th
    echo "$(( a[1] + a[2] + a[3] + a[6] + a[7] + a[8] )) $(( st[13] + st[14] ))"
}
wait_idle() {  # prints the busy percentage it started at
    local waited=0 busy
    busy=$(busy_percent)
    while [ "$busy" -gt 15 ] && [ "$waited" -lt "$IDLE_WAIT" ]; do
        echo "  machine ${busy}% busy; waiting for it to be idle (${waited}/${IDLE_WAIT} s) ..." >&2
        sleep 8; waited=$(( waited + 10 ))
        busy=$(busy_percent)
    done
    echo "$busy"
}

# (c) The CLI, the data.
echo "building src/Memscope.Cli (Release) ..." >&2
dotnet build -c Release src/Memscope.Cli -nologo -v q >&2
TMP=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi
dotnet "$CLI_DLL" data --export-embedded "$TMP/data" >&2
RESULTS=$TMP/results.jsonl
: > "$RESULTS"

memscope_run() {  # learner models round [keep|ensemble]   ("keep": with MEMSCOPE_MKL_VENDOR_CHECK=keep, MKL's default path;
                  # "ensemble": --ensemble $ENSEMBLE, logistic only; otherwise --ensemble 1)
    local learner=$1 models=$2 round=$3 variant=${4:-} dir framework=memscope envs=() group=1
    dir=$TMP/memscope-$1-$3
    if [ "$variant" = keep ]; then dir=$TMP/memscope-keep-$1-$3; framework=memscope-keep; envs=(MEMSCOPE_MKL_VENDOR_CHECK=keep); fi
    if [ "$variant" = ensemble ]; then dir=$TMP/memscope-ensemble-$1-$3; framework=memscope-ensemble; group=$ENSEMBLE; fi
    echo "  ${envs[*]:+${envs[*]} }memscope fz train --learner $learner --models $models --epochs $EPOCHS --threads 2 --ensemble $group" >&2
    env "${envs[@]}" dotnet "$CLI_DLL" fz train --train embedded --test embedded --learner "$learner" --models "$models" \
        --epochs "$EPOCHS" --threads 2 --ensemble "$group" --out "$dir" >&2
    "$PY" - "$dir" "$learner" "$models" "$EPOCHS" "$round" "$framework" >> "$RESULTS" <<'PYEOF'
import glob, json, sys
d, learner, models, epochs, rnd, fw = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
run = json.load(open(f"{d}/run.json"))
per_model = [json.load(open(f))["seconds"] for f in glob.glob(f"{d}/models/*/model.json")]
print(json.dumps({"framework": fw, "mkl": run["options"].get("mklVendorOverride"), "ensemble": run["options"].get("ensemble", 1),
                  "learner": learner, "models": models, "epochs": epochs, "threads": 2,
                  "procs": 1, "seconds": run["timingsSeconds"].get("trainModels", run["timingsSeconds"]["train"]),
                  "seconds_with_setup": run["timingsSeconds"]["train"], "sum_model_seconds": sum(per_model),
                  "round": rnd, "dir": d}))
PYEOF
}

python_run() {  # learner models round framework [args...]
    local learner=$1 models=$2 round=$3 framework=$4
    shift 4
    echo "  $RATES --learner $learner --framework $framework $*" >&2
    local rc=0
    timeout "$RUN_TIMEOUT" "${PY_ENV[@]}" "$PY" "$RATES" --data "$TMP/data" --masks "$TMP/memscope-$learner-1" \
        --learner "$learner" --framework "$framework" --models "$models" --epochs "$EPOCHS" "$@" > "$TMP/run.json" || rc=$?
    if [ "$rc" = 124 ]; then
        echo "    stopped after RUN_TIMEOUT = $RUN_TIMEOUT s" >&2
        "$PY" -c 'import json, sys
a = sys.argv
print(json.dumps({"framework": a[1], "learner": a[2], "models": int(a[3]), "epochs": int(a[4]), "round": int(a[5]),
                  "threads": int(a[6]), "procs": int(a[7]), "group": int(a[8]), "seconds": float(a[9]), "timeout": True}))' \
            "$framework" "$learner" "$models" "$(arg_of --epochs "$EPOCHS" "$@")" "$round" "$(arg_of --threads 2 "$@")" \
            "$(arg_of --procs 1 "$@")" "$(arg_of --group "$GROUP" "$@")" "$RUN_TIMEOUT" >> "$RESULTS"
    elif [ "$rc" != 0 ]; then
        echo "$RATES failed (exit $rc)" >&2; exit "$rc"
    else
        "$PY" -c 'import json, sys; r = json.load(open(sys.argv[2])); r["round"] = int(sys.argv[1]); print(json.dumps(r))' "$round" "$TMP/run.json" >> "$RESULTS"
    fi
}

arg_of() {  # NAME DEFAULT ARGS...: the value after the last NAME in ARGS, else DEFAULT
    local name=$1 value=$2
    shift 2
    while [ $# -gt 0 ]; do
        if [ "$1" = "$name" ] && [ $# -gt 1 ]; then value=$2; shift; fi
        shift
    done
    echo "$value"
}

# (d) The rounds.
for r in $(seq 1 "$ROUNDS"); do
    BUSY=$(wait_idle)
    read -r J0 C0 < <(cpu_jiffies); T0=$(date +%s)
    echo "round $r/$ROUNDS: machine ${BUSY}% busy before the round; matmul peak ..." >&2
    "${PY_ENV[@]}" "$PY" "$RATES" --peak --threads 2 --peak-seconds 1.5 > "$TMP/peak.json"
    # Round 1 runs Memscope first (the Python rows train on its subsets); later rounds rotate the order of the
    # configurations and of the learners, so that no configuration always runs right after another one.
    if [ $(( r % 2 )) = 1 ]; then LEARNERS="mlp logistic"; else LEARNERS="logistic mlp"; fi
    for learner in $LEARNERS; do
        if [ "$learner" = mlp ]; then M=$MLP_MODELS; else M=$LOGISTIC_MODELS; fi
        CONFIGS=(memscope memscope-keep
                 "torch-loop --threads 2" "torch-loop --threads 1 --procs 2"
                 "torch-vmap --threads 2 --group $GROUP" "torch-vmap --threads 1 --procs 2 --group $GROUP"
                 "torch-bmm --threads 2 --group $GROUP" "torch-bmm --threads 1 --procs 2 --group $GROUP"
                 "sklearn-mlp --threads 2" "sklearn-mlp --threads 1 --procs 2")
        if [ "$learner" = logistic ]; then
            CONFIGS+=(memscope-ensemble "sklearn-sgd --threads 1 --procs 2" "sklearn-lr --threads 1 --procs 2 --epochs $LBFGS_ITERS")
        fi
        echo "round $r/$ROUNDS: $learner, $M models, $EPOCHS epochs ..." >&2
        N=${#CONFIGS[@]}
        for i in $(seq 0 $(( N - 1 ))); do
            C=${CONFIGS[$(( (i + 3 * (r - 1)) % N ))]}
            if [ "$C" = memscope ]; then
                memscope_run "$learner" "$M" "$r"
            elif [ "$C" = memscope-keep ]; then
                memscope_run "$learner" "$M" "$r" keep
            elif [ "$C" = memscope-ensemble ]; then
                memscope_run "$learner" "$M" "$r" ensemble
            elif [ "$SKIP_SLOW" = 1 ] && [[ "$C" == *"--threads 2"* ]]; then
                continue
            else
                # shellcheck disable=SC2086  # C is a list of arguments
                python_run "$learner" "$M" "$r" $C
            fi
        done
    done
    read -r J1 C1 < <(cpu_jiffies); T1=$(date +%s)
    # Other work during the round: machine busy time not spent by this script's processes, per CPU-second.
    "$PY" -c 'import json, os, sys
r = json.load(open(sys.argv[1])); a = [int(v) for v in sys.argv[2:]]
rnd, busy, j0, c0, j1, c1, t0, t1 = a
cpus, hz = os.cpu_count(), os.sysconf("SC_CLK_TCK")
r.update(framework="peak", round=rnd, busy_before=busy,
         other_work=max(0.0, ((j1 - j0) - (c1 - c0)) / hz / (cpus * max(1, t1 - t0))))
print(json.dumps(r))' "$TMP/peak.json" "$r" "$BUSY" "$J0" "$C0" "$J1" "$C1" "$T0" "$T1" >> "$RESULTS"
done

# (e) Memscope's accuracy, the table.
for learner in mlp logistic; do
    dotnet "$CLI_DLL" fz scores "$TMP/memscope-$learner-1" >&2
    dotnet "$CLI_DLL" fz scores "$TMP/memscope-keep-$learner-1" >&2
done
dotnet "$CLI_DLL" fz scores "$TMP/memscope-ensemble-logistic-1" >&2
"$PY" - "$RESULTS" "$TMP" "$(( $(date +%s) - START ))" <<'PYEOF'
import json, sys
from collections import defaultdict
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tmp, elapsed = sys.argv[2], int(sys.argv[3])
peaks = [r for r in rows if r["framework"] == "peak"]
peak = max(p["peak_gflops"] for p in peaks)
runs = [r for r in rows if r["framework"] != "peak"]
acc_ms = {l: json.load(open(f"{tmp}/memscope-{l}-1/scores.json"))["meanTestAccuracy"] for l in ("mlp", "logistic")}
acc_keep = {l: json.load(open(f"{tmp}/memscope-keep-{l}-1/scores.json"))["meanTestAccuracy"] for l in ("mlp", "logistic")}
acc_ens = {"logistic": json.load(open(f"{tmp}/memscope-ensemble-logistic-1/scores.json"))["meanTestAccuracy"]}
for r in runs:
    if r["framework"] in ("memscope", "memscope-keep", "memscope-ensemble"):
        r["mean_test_accuracy"] = {"memscope": acc_ms, "memscope-keep": acc_keep, "memscope-ensemble": acc_ens}[r["framework"]][r["learner"]]
        r["params"] = 784 * 256 + 256 + 256 * 10 + 10 if r["learner"] == "mlp" else 784 * 10 + 10
        r["n"], r["k"], r["subset"] = next(((x["n"], x["k"], x["subset"]) for x in runs if "n" in x), (5000, 1000, 3500))

def label(r):
    f, par = r["framework"], ("2 threads" if r["procs"] == 1 else f"{r['procs']} proc × {r['threads']} thread")
    if f == "memscope":
        return f"Memscope fz train, --threads 2 --ensemble 1 (MKL vendor override {r.get('mkl')})"
    if f == "memscope-keep":
        return "Memscope fz train, --threads 2 --ensemble 1, MEMSCOPE_MKL_VENDOR_CHECK=keep"
    if f == "memscope-ensemble":
        return f"Memscope fz train, --threads 2 --ensemble {r.get('ensemble')} (MKL vendor override {r.get('mkl')})"
    names = {"torch-loop": "PyTorch, one model at a time", "torch-vmap": f"PyTorch vmap ensembles of {r.get('group')}",
             "torch-bmm": f"PyTorch bmm ensembles of {r.get('group')}", "sklearn-mlp": "sklearn MLPClassifier (adam)",
             "sklearn-sgd": "sklearn SGDClassifier (log loss)", "sklearn-lr": "sklearn LogisticRegression (lbfgs)"}
    return f"{names[f]}, {par}"

groups = defaultdict(list)
for r in runs:
    groups[(r["learner"], label(r))].append(r)
model_name = {"mlp": "MLP 784-256-10", "logistic": "logistic 784-10"}
print(f"Training throughput, embedded Fashion-MNIST subset (n = {runs[0].get('n', 5000)}, k = {runs[0].get('k', 1000)}), "
      f"subsets of {runs[0].get('subset', 3500)}, Adam lr 1e-3, batch 128; best of {max(r['round'] for r in runs)} round(s)")
lib = peaks[0]
per_round = ", ".join("%.0f" % p["peak_gflops"] for p in peaks)
busy = ", ".join("%d%% / %.0f%%" % (p["busy_before"], 100 * p["other_work"]) for p in peaks)
print(f"PyTorch {lib.get('torch')}, scikit-learn {lib.get('sklearn')}, NumPy {lib.get('numpy')}, BLAS: {lib.get('blas')}")
print(f"float32 matmul peak (torch.mm, 2 threads, best of sizes 1024-4096 and rounds): {peak:.0f} GFLOP/s  "
      f"(per round: {per_round})")
print(f"Other work on the machine, per round (CPUs busy just before it / share of the 2 CPUs used by others during it): {busy}")
print()
hdr = ["framework", "model", "epochs", "models/min", "mean test acc", "within ±0.5 pt of Memscope", "GFLOP/s (fraction of peak)"]
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join(["---"] * len(hdr)) + "|")
order = ["memscope", "memscope-keep", "memscope-ensemble", "torch-loop", "torch-vmap", "torch-bmm", "sklearn-mlp", "sklearn-sgd", "sklearn-lr"]
for learner in ("mlp", "logistic"):
    keys = sorted((k for k in groups if k[0] == learner),
                  key=lambda k: (order.index(groups[k][0]["framework"]), groups[k][0]["procs"], k[1]))
    for k in keys:
        rs = groups[k]
        done = [r for r in rs if not r.get("timeout")]
        best = min(done or rs, key=lambda r: r["seconds"])
        rate = ("%.0f" if done else "< %.1f") % (60 * best["models"] / best["seconds"])
        acc = sum(r["mean_test_accuracy"] for r in done) / len(done) if done else float("nan")
        within = "yes" if abs(acc - acc_ms[learner]) <= 0.005 + 1e-12 else ("no" if done else "?")
        if best["framework"] == "memscope":
            within = "(reference)"
        f = best["framework"]
        ep = f"{best['epochs']} L-BFGS it." if f == "sklearn-lr" else str(best["epochs"])
        if f in ("sklearn-sgd", "sklearn-lr") or not best.get("params") or not done:
            flops = "–"
        else:
            p = best["params"]
            per_model = 6 * p * best["subset"] * best["epochs"] + 2 * p * (best["n"] + best["k"])
            g = best["models"] * per_model / best["seconds"] / 1e9
            flops = f"{g:.1f} ({100 * g / peak:.1f}%)"
        acc_text = f"{100 * acc:.2f}%" if done else "–"
        print(f"| {k[1]} | {model_name[learner]} | {ep} | {rate} | {acc_text} | {within} | {flops} |")
print()
print("Per round, models/min (seconds):")
for k in sorted(groups):
    rs = sorted(groups[k], key=lambda r: r["round"])
    print(f"  {model_name[k[0]]:<16} {k[1]:<54} " + "  ".join(
        (f"<{60 * r['models'] / r['seconds']:.1f} (> {r['seconds']:.0f})" if r.get("timeout") else f"{60 * r['models'] / r['seconds']:.0f} ({r['seconds']:.2f})") for r in rs))
for r in sorted((r for r in runs if r["framework"] in ("memscope", "memscope-keep", "memscope-ensemble")), key=lambda r: (r["framework"], r["learner"], r["round"])):
    print(f"  {label(r)} {r['learner']} round {r['round']}: first model to last result {r['seconds']:.2f} s; with setup (loading LibTorch, "
          f"data to tensors) {r.get('seconds_with_setup', r['seconds']):.2f} s; sum of per-model times / 2 threads {r['sum_model_seconds'] / 2:.2f} s")
counts = ", ".join(sorted({"%s: %d" % (model_name[r["learner"]], r["models"]) for r in runs}))
print(f"Models per framework: {counts}; whole script {elapsed // 60} min {elapsed % 60} s")
PYEOF
