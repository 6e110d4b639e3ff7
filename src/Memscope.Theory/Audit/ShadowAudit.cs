using System.Diagnostics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Memscope.Core;
using Memscope.Core.Information;
using Memscope.Core.Random;
using Memscope.Core.Statistics;
using Memscope.Theory.Problems;
using Memscope.Theory.Sweep;

namespace Memscope.Theory.Audit;

/// <summary>Settings of one audit at one n.</summary>
public sealed record AuditSettings
{
    public required int N { get; init; }
    /// <summary>Simulated training sets (θ, X_{1:n}); a fraction <see cref="HoldoutFraction"/> of them evaluates the attack.</summary>
    public int Runs { get; init; } = 60;
    public double HoldoutFraction { get; init; } = 0.4;
    public ulong Seed { get; init; } = 1;
    /// <summary>Target error the built-in learners size themselves for.</summary>
    public double Alpha { get; init; } = 0.05;
    public double Confidence { get; init; } = 0.95;
    /// <summary>Test points per run when a learner's error is estimated by sampling.</summary>
    public int TestPoints { get; init; } = 1000;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public double Ridge { get; init; } = 1e-6;

    public int HeldOutRuns => Math.Max(4, (int)Math.Round(Runs * HoldoutFraction));
    public int ShadowRuns => Runs - HeldOutRuns;

    public void Validate()
    {
        UsageException.Require(N >= 1, $"--n must be ≥ 1, got {N}");
        UsageException.Require(Runs >= 10, $"--runs must be ≥ 10 (shadow runs to fit the attack plus held-out runs to test it), got {Runs}");
        UsageException.Require(HoldoutFraction > 0 && HoldoutFraction < 1, $"the held-out fraction must be in (0, 1), got {HoldoutFraction}");
        UsageException.Require(ShadowRuns >= 2, $"--runs {Runs} leaves fewer than 2 shadow runs; raise --runs");
        UsageException.Require(Alpha > 0 && Alpha < 0.5, $"--alpha must be in (0, 1/2), got {Alpha}");
        UsageException.Require(Confidence > 0.5 && Confidence < 1, $"confidence must be in (1/2, 1), got {Confidence}");
        UsageException.Require(TestPoints >= 10, $"test points must be ≥ 10, got {TestPoints}");
        UsageException.Require(Threads >= 1, $"--threads must be ≥ 1, got {Threads}");
    }
}

/// <summary>One group of cells (i, j) that share an attack model and whose MSE or bit error rate is pooled.</summary>
public sealed record AuditGroup
{
    public required string Name { get; init; }
    /// <summary>Cells (i, j) per run in this group, on average over the held-out runs.</summary>
    public required double CellsPerRun { get; init; }
    /// <summary>MSE (Gaussian) or bit error rate (Boolean) of the best guess from θ alone: 1 − λ², (1−λ)/2 or ½.</summary>
    public required double Baseline { get; init; }
    /// <summary>Held-out MSE or bit error rate of the attack, and its one-sided upper confidence bound.</summary>
    public required double Estimate { get; init; }
    public required double Upper { get; init; }
    public required string Estimator { get; init; }
    public required double Bits { get; init; }
    public required double BitsLow { get; init; }
    public required double[] Coefficients { get; init; }
}

/// <summary>The outcome of one audit (one learner, one n).</summary>
public sealed record AuditResult
{
    public required string Learner { get; init; }
    public required int N { get; init; }
    public required int ShadowRuns { get; init; }
    public required int HeldOutRuns { get; init; }
    /// <summary>"mse" (Gaussian) or "ber" (Boolean problems).</summary>
    public required string Metric { get; init; }
    /// <summary>Σ over groups of the certificate at the point estimate.</summary>
    public required double CertifiedBits { get; init; }
    /// <summary>The certificate with each group's MSE / bit error rate replaced by its upper confidence bound (Bonferroni over groups).</summary>
    public required double CertifiedBitsLow { get; init; }
    public required double Confidence { get; init; }
    public required Interval LearnerError { get; init; }
    public required bool ErrorExact { get; init; }
    /// <summary>FKL's lower bound for every learner whose error is at most the upper end of <see cref="LearnerError"/>.</summary>
    public required double TheoryLowerBoundBits { get; init; }
    public required double TheoryAlpha { get; init; }
    public double? ExactBits { get; init; }
    public string? ExactMethod { get; init; }
    public required IReadOnlyList<AuditGroup> Groups { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>
/// Attack-certified memorization of a black-box learner (a shadow reconstruction attack).
/// X_1..X_n are independent given θ, so mem = I(A; X_{1:n} | θ) ≥ Σ_i I(A; X_i | θ) = Σ_i [h(X_i|θ) − h(X_i|A,θ)], and for
/// any reconstruction g(A, θ):
/// <list type="bullet">
/// <item>Gaussian: h(X_ij | A, θ) ≤ ½·log2(2πe·MSE_ij), so mem ≥ Σ_ij ½·log2((1−λ²)/MSE_ij);</item>
/// <item>Boolean (Fano): H(X_ij | A, θ) ≤ H2(ber_ij), so mem ≥ Σ_ij [H(X_ij|θ) − H2(min(ber_ij, ½))].</item>
/// </list>
/// Cells are pooled into groups (sample 1 vs the others; coordinates where the learner's output is zero vs the rest; for
/// the sparse problem only coordinates outside S, where H(X_ij|θ) = 1). Within a group the per-cell terms are concave in
/// the MSE / error rate, so by Jensen the group's pooled MSE gives a valid (smaller) certificate; each term is also ≥ 0.
/// The attack per group is a ridge regression from the per-coordinate features (the learner's parameters for coordinate
/// j, θ_j, and for ±1 data their products with θ_j) to X_ij, fitted on shadow runs and evaluated on held-out runs.
/// The held-out MSE / error rate is estimated either directly or as baseline + paired difference to the θ-only guess (a
/// control variate: far smaller variance when the attack gains little per cell), whichever has the smaller standard
/// error; the upper bound is a Student-t bound over held-out runs at level 1 − (1−confidence)/groups.
/// </summary>
public static class ShadowAudit
{
    // Two groupings of the cells, both evaluated, the better one reported (the confidence level is split over all six
    // groups, so both certificates hold at once): 0–3 = (sample 1 | samples 2..n) × (output ≠ 0 | output = 0 on
    // coordinate j), for learners that treat sample 1 specially; 4–5 = (output ≠ 0 | output = 0) pooled over samples.
    private const int Groups = 6;

    public static AuditResult Run(ClusteringProblem problem, ILearner learner, AuditSettings s, Action<int, int>? progress = null) => problem switch
    {
        ClusteringProblem<double> g => Run(g, learner, s, progress),
        ClusteringProblem<sbyte> b => Run(b, learner, s, progress),
        _ => throw new InvalidOperationException(),
    };

    private sealed class RunStats(int p)
    {
        public readonly double[][] Xtx = Enumerable.Range(0, Groups).Select(_ => new double[p * p]).ToArray();
        public readonly double[][] Xty = Enumerable.Range(0, Groups).Select(_ => new double[p]).ToArray();
        public readonly double[] Diff = new double[Groups], Loss = new double[Groups], Cells = new double[Groups];
        // ±1 data: cross-entropy (bits) of the soft guess q(x) = (1 + ŷ·x)/2, and its paired difference to the θ-only law
        public readonly double[] LogLoss = new double[Groups], LogDiff = new double[Groups];
        public double Error;
        public bool ErrorExact;
    }

    public static AuditResult Run<T>(ClusteringProblem<T> problem, ILearner learner, AuditSettings s, Action<int, int>? progress = null)
    {
        s.Validate();
        var sw = Stopwatch.StartNew();
        bool gaussian = problem is GaussianClustering;
        bool sparse = problem is SparseHypercube;
        double lambda = problem.Parameter;
        int d = problem.D, n = s.N;
        int total = s.Runs, shadow = s.ShadowRuns;
        var stats = new RunStats?[total];
        int k = -1;
        int done = 0;
        var gate = new object();
        Matrix<double>?[] beta = new Matrix<double>?[Groups];
        var options = new ParallelOptions { MaxDegreeOfParallelism = learner.ParallelSafe ? s.Threads : 1 };

        // pass 1: shadow runs (fit), pass 2: held-out runs (evaluate); every run is trained exactly once
        for (int pass = 0; pass < 2; pass++)
        {
            int from = pass == 0 ? 0 : shadow, to = pass == 0 ? shadow : total;
            Parallel.For(from, to, options, r =>
            {
                var draw = problem.SampleDraw(new Rng(s.Seed, "audit-draw", (ulong)r), n);
                var lrng = new Rng(s.Seed, "audit-learner", (ulong)r);
                LearnerOutput output = learner is TheoryLearnerAdapter<T> typed
                    ? typed.Train(draw, lrng)
                    : learner.Train(new AuditTrainingSet(problem, n, ProblemSampling.ToDouble(draw.X), s.Alpha), lrng);
                int kk = output.FeaturesPerCoordinate;
                if (kk < 1 || output.Features.Length != d * kk)
                    throw new InvalidOperationException($"learner '{learner.Name}' returned {output.Features.Length} features, expected d·K = {d}·{kk}");
                lock (gate)
                {
                    if (k < 0) k = kk;
                    else if (k != kk) throw new InvalidOperationException($"learner '{learner.Name}' changed its features per coordinate from {k} to {kk}");
                }
                int p = gaussian ? kk + 2 : 2 * kk + 2;
                var st = new RunStats(p) { Error = output.ExactError ?? SampledError(problem, draw, output, s, r), ErrorExact = output.ExactError.HasValue };
                Accumulate(draw, output, st, pass == 0 ? null : beta, gaussian, sparse, lambda);
                stats[r] = st;
                if (progress is not null) lock (gate) progress(++done, total);
            });
            if (pass == 0) beta = FitGroups(stats, shadow, gaussian ? k + 2 : 2 * k + 2, s.Ridge);
        }

        // certificate from the held-out runs
        int m = total - shadow;
        var held = stats.Skip(shadow).Select(x => x!).ToArray();
        int active = Enumerable.Range(0, Groups).Count(g => held.Sum(h => h.Cells[g]) > 0);
        // Bonferroni over every group and, for ±1 data, over both bounds (Fano and cross-entropy)
        double q = StudentT.InvCDF(0, 1, m - 1, 1 - (1 - s.Confidence) / Math.Max(1, active * (gaussian ? 1 : 2)));
        double baseline = gaussian ? 1 - lambda * lambda : sparse ? 0.5 : (1 - lambda) / 2;
        double entropy = gaussian ? double.NaN : sparse ? 1 : InfoMeasures.H2((1 - lambda) / 2);
        var all = new List<(int G, AuditGroup Group)>();
        for (int g = 0; g < Groups; g++)
        {
            double cells = held.Sum(h => h.Cells[g]);
            if (cells == 0) continue;
            var (rc, sec) = Ratio(held, h => h.Diff[g], h => h.Cells[g]);
            var (rd, sed) = Ratio(held, h => h.Loss[g], h => h.Cells[g]);
            bool control = sec <= sed;
            double est = control ? baseline + rc : rd, up = est + q * (control ? sec : sed);
            double PerCell(double e) => gaussian
                ? Math.Max(0, 0.5 * Math.Log2(baseline / Math.Max(e, 1e-12 * baseline)))
                : Math.Max(0, entropy - InfoMeasures.H2(Math.Clamp(e, 0, 0.5)));
            double perRun = cells / m;
            if (!gaussian)
            {
                // Gibbs: H(X_ij | A, θ) ≤ E[−log2 q(X_ij | A, θ)] for any predictive law q; no Jensen step needed
                var (rl, sel) = Ratio(held, h => h.LogDiff[g], h => h.Cells[g]);
                var (rm, sem) = Ratio(held, h => h.LogLoss[g], h => h.Cells[g]);
                bool lc = sel <= sem;
                double ce = lc ? entropy + rl : rm, ceUp = ce + q * (lc ? sel : sem);
                if (perRun * Math.Max(0, entropy - ceUp) > perRun * PerCell(up))
                {
                    all.Add((g, new AuditGroup
                    {
                        Name = GroupName(g, n), CellsPerRun = perRun, Baseline = entropy, Estimate = ce, Upper = ceUp,
                        Estimator = "cross-entropy (bits) of the soft guess, " + (lc ? "baseline + paired difference" : "direct"),
                        Bits = perRun * Math.Max(0, entropy - ce), BitsLow = perRun * Math.Max(0, entropy - ceUp),
                        Coefficients = beta[g]?.Column(0).ToArray() ?? [],
                    }));
                    continue;
                }
            }
            all.Add((g, new AuditGroup
            {
                Name = GroupName(g, n),
                CellsPerRun = perRun,
                Baseline = baseline,
                Estimate = est,
                Upper = up,
                Estimator = (gaussian ? "MSE, " : "bit error rate (Fano), ") + (control ? "baseline + paired difference" : "direct"),
                Bits = perRun * PerCell(est),
                BitsLow = perRun * PerCell(up),
                Coefficients = beta[g]?.Column(0).ToArray() ?? [],
            }));
        }
        var split = all.Where(x => x.G < 4).Select(x => x.Group).ToList();
        var pooled = all.Where(x => x.G >= 4).Select(x => x.Group).ToList();
        var groups = pooled.Sum(x => x.BitsLow) >= split.Sum(x => x.BitsLow) ? pooled : split;
        var errors = stats.Select(x => x!.Error).ToArray();
        bool exactErrors = stats.All(x => x!.ErrorExact);
        var err = MeanInterval.StudentT(errors, s.Confidence, 0, 1);
        double theoryAlpha = err.Hi;
        if (!exactErrors)
        {
            // sampled errors: also a Clopper–Pearson bound on the pooled test points, so that 0 observed errors do not read as α = 0
            long wrong = (long)Math.Round(errors.Sum() * s.TestPoints);
            theoryAlpha = Math.Max(theoryAlpha, BernoulliInterval.ClopperPearson(wrong, (long)errors.Length * s.TestPoints, s.Confidence).Hi);
        }
        double theory = theoryAlpha < 0.5 ? problem.LowerBound(n, Math.Max(theoryAlpha, 1e-12)).LowerBoundBits : 0;
        var exact = learner is TheoryLearnerAdapter<T> a ? a.ExactMemorization : null;
        return new AuditResult
        {
            Learner = learner.Name,
            N = n,
            ShadowRuns = shadow,
            HeldOutRuns = m,
            Metric = gaussian ? "mse" : "ber",
            CertifiedBits = groups.Sum(x => x.Bits),
            CertifiedBitsLow = groups.Sum(x => x.BitsLow),
            Confidence = s.Confidence,
            LearnerError = err,
            ErrorExact = exactErrors,
            TheoryLowerBoundBits = theory,
            TheoryAlpha = theoryAlpha,
            ExactBits = exact?.Bits,
            ExactMethod = exact?.Method,
            Groups = groups,
            Seconds = sw.Elapsed.TotalSeconds,
        };
    }

    private static string GroupName(int g, int n) =>
        (g < 2 ? "sample 1" : g < 4 ? $"samples 2..{n}" : $"samples 1..{n}") + ", " + (g % 2 == 0 ? "output ≠ 0" : "output = 0");

    /// <summary>Ratio estimator Σe/Σc over runs and its standard error (delta method).</summary>
    private static (double R, double Se) Ratio(RunStats[] runs, Func<RunStats, double> e, Func<RunStats, double> c)
    {
        int m = runs.Length;
        double se = 0, sc = 0;
        foreach (var r in runs) { se += e(r); sc += c(r); }
        double ratio = se / sc, cbar = sc / m, ss = 0;
        foreach (var r in runs) { double z = e(r) - ratio * c(r); ss += z * z; }
        return (ratio, Math.Sqrt(ss / (m * (m - 1.0))) / cbar);
    }

    private static double SampledError<T>(ClusteringProblem<T> problem, Draw<T> draw, LearnerOutput output, AuditSettings s, int run)
    {
        if (output.Classify is null) throw new InvalidOperationException("a learner must return ExactError or Classify");
        var rng = new Rng(s.Seed, "audit-test", (ulong)run);
        var x = new T[s.TestPoints * problem.D];
        var labels = new byte[s.TestPoints];
        problem.SampleTest(rng, draw.Theta, s.TestPoints, x, labels);
        var predicted = output.Classify(ProblemSampling.ToDouble(x), s.TestPoints);
        int wrong = 0;
        for (int i = 0; i < s.TestPoints; i++) if (predicted[i] != (labels[i] == 1)) wrong++;
        return (double)wrong / s.TestPoints;
    }

    /// <summary>Per-cell features φ_ij: Gaussian [F_j, θ_j, 1]; ±1 data [F_j, θ_j, F_j·θ_j, 1].</summary>
    private static bool Features(ReadOnlySpan<double> f, double theta, bool gaussian, Span<double> phi)
    {
        int k = f.Length;
        bool zero = true;
        for (int a = 0; a < k; a++) { phi[a] = f[a]; if (f[a] != 0) zero = false; }
        phi[k] = theta;
        if (gaussian) phi[k + 1] = 1;
        else
        {
            for (int a = 0; a < k; a++) phi[k + 1 + a] = f[a] * theta;
            phi[2 * k + 1] = 1;
        }
        return zero;
    }

    private static void Accumulate<T>(Draw<T> draw, LearnerOutput output, RunStats st, Matrix<double>?[]? beta, bool gaussian, bool sparse, double lambda)
    {
        int d = draw.D, n = draw.N, k = output.FeaturesPerCoordinate;
        int p = gaussian ? k + 2 : 2 * k + 2;
        Span<double> phi = stackalloc double[p];
        var theta = ProblemSampling.ToDouble(draw.Theta);
        var xs = ProblemSampling.ToDouble(draw.X);
        var coef = beta?.Select(b => b?.Column(0).ToArray()).ToArray();
        for (int j = 0; j < d; j++)
        {
            double th = theta[j];
            if (sparse && th != 0) continue; // X_ij = θ_j is known: H(X_ij | θ) = 0
            bool zero = Features(output.Features.AsSpan(j * k, k), th, gaussian, phi);
            for (int i = 0; i < n; i++)
            {
                double x = xs[i * d + j];
                double y = gaussian ? x - lambda * th : x;
                if (coef is null)
                {
                    int g = (i == 0 ? 0 : 2) + (zero ? 1 : 0);
                    var a = st.Xtx[g]; var b = st.Xty[g];
                    for (int u = 0; u < p; u++)
                    {
                        double pu = phi[u];
                        if (pu == 0) continue;
                        b[u] += pu * y;
                        for (int v = u; v < p; v++) a[u * p + v] += pu * phi[v];
                    }
                    st.Cells[g]++;
                }
                else foreach (int g in (ReadOnlySpan<int>)[(i == 0 ? 0 : 2) + (zero ? 1 : 0), 4 + (zero ? 1 : 0)])
                {
                    var c = coef[g];
                    double yhat = 0;
                    if (c is not null) for (int u = 0; u < p; u++) yhat += c[u] * phi[u];
                    if (gaussian)
                    {
                        double loss = (y - yhat) * (y - yhat);
                        st.Loss[g] += loss;
                        st.Diff[g] += loss - y * y;
                    }
                    else
                    {
                        double baseGuess = th != 0 ? th : 1;
                        double guess = yhat > 0 ? 1 : yhat < 0 ? -1 : baseGuess;
                        double loss = guess != x ? 1 : 0;
                        st.Loss[g] += loss;
                        st.Diff[g] += loss - (baseGuess != x ? 1 : 0);
                        double qx = Math.Clamp((1 + yhat * x) / 2, 1e-3, 1 - 1e-3);
                        double q0 = th == 0 ? 0.5 : (x == th ? (1 + lambda) / 2 : (1 - lambda) / 2);
                        double ll = -Math.Log2(qx);
                        st.LogLoss[g] += ll;
                        st.LogDiff[g] += ll + Math.Log2(q0);
                    }
                    st.Cells[g]++;
                }
            }
        }
    }

    private static Matrix<double>?[] FitGroups(RunStats?[] stats, int shadow, int p, double ridge)
    {
        var beta = new Matrix<double>?[Groups];
        for (int g = 0; g < Groups; g++)
        {
            var a = Matrix<double>.Build.Dense(p, p);
            var b = Matrix<double>.Build.Dense(p, 1);
            double cells = 0;
            int[] parts = g < 4 ? [g] : [g - 4, g - 2]; // pooled = sample 1 + samples 2..n
            for (int r = 0; r < shadow; r++)
            {
                var st = stats[r]!;
                foreach (int h in parts)
                {
                    cells += st.Cells[h];
                    for (int u = 0; u < p; u++)
                    {
                        b[u, 0] += st.Xty[h][u];
                        for (int v = u; v < p; v++) a[u, v] += st.Xtx[h][u * p + v];
                    }
                }
            }
            if (cells == 0) continue;
            double trace = 0;
            for (int u = 0; u < p; u++) { for (int v = 0; v < u; v++) a[u, v] = a[v, u]; trace += a[u, u]; }
            double reg = ridge * Math.Max(trace / p, 1e-300);
            for (int u = 0; u < p; u++) a[u, u] += reg + (a[u, u] == 0 ? 1 : 0); // a constant-zero feature gets coefficient 0
            beta[g] = a.Svd(true).Solve(b);
        }
        return beta;
    }

    /// <summary>An audit at each n of a grid (one line of the certified-vs-n plot).</summary>
    public static IReadOnlyList<AuditResult> Sweep(ClusteringProblem problem, Func<int, ILearner> learnerFor, AuditSettings s, IReadOnlyList<int> ns,
        IProgress<WorkProgress>? progress = null)
    {
        var results = new List<AuditResult>();
        long total = (long)ns.Count * s.Runs, before = 0;
        foreach (int n in ns)
        {
            long b = before;
            results.Add(Run(problem, learnerFor(n), s with { N = n }, (done, _) => progress?.Report(new WorkProgress(b + done, total, $"n = {n}"))));
            before += s.Runs;
        }
        return results;
    }
}
