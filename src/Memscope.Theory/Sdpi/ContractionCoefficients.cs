using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Memscope.Core.Numerics;
using Memscope.Core.Random;

namespace Memscope.Theory.Sdpi;

/// <summary>
/// SDPI constants of the channel A → B with input law P_A, from a joint P(A, B) (FKL Def 1; Polyanskiy–Wu ch. 33):
/// <list type="bullet">
/// <item>maximal correlation ρ_m = σ₂(P_AB/√(P_A P_B)), the second singular value (σ₁ = 1);</item>
/// <item>χ² contraction η_χ² = ρ_m², a lower bound on the KL one;</item>
/// <item>η_KL = sup_{Q ≠ P_A} D(Q_B ‖ P_B)/D(Q ‖ P_A), Q_B = Q·W, the SDPI constant: I(M;B) ≤ η_KL·I(M;A) for M − A − B.</item>
/// </list>
/// η_KL is found by search: exact 1-D search for binary A; multi-start Nelder–Mead on logits of Q otherwise, started from
/// every point mass, random Dirichlet laws and the χ² direction (Q → P_A along the top singular vector, where the ratio
/// tends to ρ_m²). The search only ever evaluates real laws Q, so the reported η_KL is a certified lower bound on the
/// true supremum (and equal to it up to search error).
/// </summary>
public static class ContractionCoefficients
{
    public static SdpiResult Compute(JointDistribution joint, ulong seed = 1, int starts = 0)
    {
        // drop zero-mass rows (Q ≪ P_A) and columns (never reached)
        var rows = Enumerable.Range(0, joint.Rows).Where(a => joint.MarginalA[a] > 0).ToArray();
        var cols = Enumerable.Range(0, joint.Cols).Where(b => joint.MarginalB[b] > 0).ToArray();
        int k = rows.Length, m = cols.Length;
        var pa = rows.Select(a => joint.MarginalA[a]).ToArray();
        var pb = cols.Select(b => joint.MarginalB[b]).ToArray();
        var w = new double[k, m]; // W(b | a)
        var mat = Matrix<double>.Build.Dense(k, m);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < m; j++)
            {
                double p = joint.P[rows[i], cols[j]];
                w[i, j] = p / pa[i];
                mat[i, j] = p / Math.Sqrt(pa[i] * pb[j]);
            }
        double rho = 0;
        double[]? u2 = null;
        if (k >= 2 && m >= 2)
        {
            var svd = mat.Svd(computeVectors: true);
            rho = Math.Min(1, svd.S.Count > 1 ? svd.S[1] : 0);
            u2 = svd.U.Column(1).ToArray();
        }
        var problem = new RatioProblem(pa, pb, w);
        var candidates = new List<(double Ratio, double[] Q, string How)>();
        // χ² direction: Q = P_A + t·√P_A ∘ u₂ (sums to 1 since u₂ ⊥ u₁ = √P_A); the ratio → ρ_m² as t → 0.
        if (u2 is not null && rho > 0)
        {
            double tMax = double.PositiveInfinity;
            for (int i = 0; i < k; i++) if (u2[i] != 0) tMax = Math.Min(tMax, Math.Sqrt(pa[i]) / Math.Abs(u2[i]));
            foreach (double sign in new[] { 1.0, -1.0 })
            {
                var q = new double[k];
                for (int i = 0; i < k; i++) q[i] = pa[i] + sign * 1e-6 * tMax * Math.Sqrt(pa[i]) * u2[i];
                candidates.Add((problem.Ratio(q), q, "chi-square direction (Q → P_A)"));
            }
        }
        string method;
        if (k == 1)
        {
            method = "trivial: A takes one value, every Q equals P_A";
        }
        else if (k == 2)
        {
            method = "exact 1-D search over Q(A = first value) (grid of 4,001 logits + golden-section refinement)";
            candidates.Add(problem.SearchBinary());
        }
        else
        {
            int nStarts = starts > 0 ? starts : 20 + 4 * k;
            method = $"multi-start Nelder–Mead on logits of Q ({k} point masses + {nStarts} random starts + χ² direction)";
            var rng = new Rng(seed, "sdpi-starts", 0);
            var inits = new List<double[]>();
            for (int i = 0; i < k; i++)
            {
                var q = new double[k];
                for (int j = 0; j < k; j++) q[j] = j == i ? 0.999 : 0.001 / (k - 1);
                inits.Add(q);
                var vertex = new double[k]; vertex[i] = 1;
                candidates.Add((problem.Ratio(vertex), vertex, "point mass"));
            }
            for (int s = 0; s < nStarts; s++)
            {
                var q = new double[k];
                double tot = 0;
                for (int j = 0; j < k; j++) { q[j] = -Math.Log(rng.NextDoubleNonZero()); tot += q[j]; }
                for (int j = 0; j < k; j++) q[j] /= tot;
                if (s % 2 == 1) for (int j = 0; j < k; j++) q[j] = 0.9 * pa[j] + 0.1 * q[j]; // near P_A
                inits.Add(q);
            }
            foreach (var q0 in inits) candidates.Add(problem.Climb(q0));
        }
        var best = candidates.Count == 0 ? (Ratio: 0.0, Q: pa, How: "none") : candidates.MaxBy(c => c.Ratio);
        var qFull = new double[joint.Rows];
        for (int i = 0; i < k; i++) qFull[rows[i]] = best.Q[i];
        return new SdpiResult
        {
            InputSize = joint.Rows,
            OutputSize = joint.Cols,
            MarginalA = joint.MarginalA,
            MarginalB = joint.MarginalB,
            MaximalCorrelation = rho,
            EtaKL = Math.Max(0, best.Ratio),
            AchievingQ = qFull,
            // the ratio tends to ρ_m² as Q → P_A; when nothing beats that, the supremum is the χ² limit
            AchievedInLimit = rho > 0 && best.Ratio <= rho * rho * (1 + 1e-6) + 1e-12,
            EtaKLMethod = method,
        };
    }

    /// <summary>Tensorization (Polyanskiy–Wu Thm 33.7): for a product of channels with independent inputs, η_KL and ρ_m are the max over the factors.</summary>
    public static (double EtaKL, double MaximalCorrelation) Product(IEnumerable<SdpiResult> factors)
    {
        var list = factors.ToList();
        return (list.Max(f => f.EtaKL), list.Max(f => f.MaximalCorrelation));
    }

    /// <summary>KL divergence D(q ‖ p) in bits, with terms p·[(1+r)ln(1+r) − r] (r = q/p − 1, each ≥ 0) so small divergences keep their digits.</summary>
    public static double KLBits(ReadOnlySpan<double> q, ReadOnlySpan<double> p)
    {
        double s = 0;
        for (int i = 0; i < q.Length; i++)
        {
            if (p[i] <= 0) { if (q[i] > 0) return double.PositiveInfinity; continue; }
            double r = q[i] / p[i] - 1;
            double term = Math.Abs(r) < 1e-3
                ? r * r * (0.5 - r * (1.0 / 6 - r * (1.0 / 12 - r / 20)))
                : (1 + r) * (r > -1 ? LogSpace.Log1p(r) : 0) - r;
            s += p[i] * term;
        }
        return Math.Max(0, s) / Math.Log(2);
    }

    private sealed class RatioProblem(double[] pa, double[] pb, double[,] w)
    {
        private readonly int _k = pa.Length, _m = pb.Length;

        public double Ratio(double[] q)
        {
            double da = KLBits(q, pa);
            if (!(da > 1e-300)) return 0;
            var qb = new double[_m];
            for (int i = 0; i < _k; i++) if (q[i] > 0) for (int j = 0; j < _m; j++) qb[j] += q[i] * w[i, j];
            return KLBits(qb, pb) / da;
        }

        // logits relative to P_A: Q_i ∝ P_A(i)·exp(z_i), z_0 = 0
        private double[] FromLogits(MathNet.Numerics.LinearAlgebra.Vector<double> z)
        {
            var q = new double[_k];
            double max = 0;
            for (int i = 1; i < _k; i++) max = Math.Max(max, z[i - 1]);
            double tot = 0;
            for (int i = 0; i < _k; i++) { q[i] = pa[i] * Math.Exp((i == 0 ? 0 : z[i - 1]) - max); tot += q[i]; }
            for (int i = 0; i < _k; i++) q[i] /= tot;
            return q;
        }

        public (double, double[], string) Climb(double[] q0)
        {
            var z0 = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(_k - 1, i => Math.Log(q0[i + 1] / pa[i + 1]) - Math.Log(q0[0] / pa[0]));
            var f = ObjectiveFunction.Value(z => -Ratio(FromLogits(z)));
            try
            {
                var r = new NelderMeadSimplex(1e-12, 4000).FindMinimum(f, z0);
                var q = FromLogits(r.MinimizingPoint);
                return (Ratio(q), q, "Nelder–Mead");
            }
            catch (MaximumIterationsException)
            {
                return (Ratio(q0), q0, "start");
            }
        }

        public (double, double[], string) SearchBinary()
        {
            double Eval(double x) => Ratio([1 / (1 + Math.Exp(-x)), 1 / (1 + Math.Exp(x))]);
            const int grid = 4001;
            double lo = -40, hi = 40, step = (hi - lo) / (grid - 1);
            int bestI = 0; double bestV = double.NegativeInfinity;
            for (int i = 0; i < grid; i++)
            {
                double v = Eval(lo + i * step);
                if (v > bestV) { bestV = v; bestI = i; }
            }
            // golden section on the bracketing cells
            double a = lo + Math.Max(0, bestI - 1) * step, b = lo + Math.Min(grid - 1, bestI + 1) * step;
            double g = (Math.Sqrt(5) - 1) / 2;
            double c = b - g * (b - a), d = a + g * (b - a), fc = Eval(c), fd = Eval(d);
            for (int it = 0; it < 200 && b - a > 1e-13; it++)
            {
                if (fc > fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = Eval(c); }
                else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = Eval(d); }
            }
            double xb = fc > fd ? c : d, vb = Math.Max(fc, fd);
            if (bestV > vb) { xb = lo + bestI * step; vb = bestV; }
            // the grid's end points stand for the point masses; evaluate them exactly
            var q = new[] { 1 / (1 + Math.Exp(-xb)), 1 / (1 + Math.Exp(xb)) };
            foreach (var vertex in new[] { new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 } })
            {
                double v = Ratio(vertex);
                if (v > vb) { vb = v; q = vertex; }
            }
            return (vb, q, "1-D search");
        }
    }
}

/// <summary>The SDPI constants of one joint law (see <see cref="ContractionCoefficients"/>).</summary>
public sealed record SdpiResult
{
    public required int InputSize { get; init; }
    public required int OutputSize { get; init; }
    public required double[] MarginalA { get; init; }
    public required double[] MarginalB { get; init; }
    /// <summary>ρ_m, the second singular value of P_AB/√(P_A P_B).</summary>
    public required double MaximalCorrelation { get; init; }
    /// <summary>η_χ² = ρ_m², a lower bound on η_KL.</summary>
    public double ChiSquareContraction => MaximalCorrelation * MaximalCorrelation;
    public required double EtaKL { get; init; }
    /// <summary>The input law Q (over all values of A) with the largest ratio found.</summary>
    public required double[] AchievingQ { get; init; }
    /// <summary>True when the supremum is approached as Q → P_A (then η_KL = ρ_m²) and <see cref="AchievingQ"/> is a point near P_A.</summary>
    public required bool AchievedInLimit { get; init; }
    public required string EtaKLMethod { get; init; }
}
