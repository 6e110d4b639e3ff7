namespace Memscope.Core.Information;

/// <summary>
/// Information measures. Everything is in bits (log base 2) unless the name ends in "Nats".
/// </summary>
public static class InfoMeasures
{
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>Binary entropy H2(p) = p·log2(1/p) + (1−p)·log2(1/(1−p)), with 0·log 0 = 0.</summary>
    public static double H2(double p)
    {
        CheckProbability(p, nameof(p));
        if (p == 0 || p == 1) return 0;
        return -(p * Math.Log2(p) + (1 - p) * Math.Log2(1 - p));
    }

    /// <summary>
    /// H2 of a probability given by its natural logarithm, using H2(p) = p·(1 − ln p)/ln 2 + O(p²) for p &lt; 1e-8,
    /// which is accurate to double precision there (returns 0 only when the result itself underflows).
    /// </summary>
    public static double H2FromLog(double logP)
    {
        if (logP > 0) throw new ArgumentOutOfRangeException(nameof(logP), "log-probability must be ≤ 0");
        if (logP == double.NegativeInfinity) return 0;
        double p = Math.Exp(logP);
        if (p > 1e-8) return H2(Math.Min(p, 1));
        // −p log p − (1−p) log(1−p) with log(1−p) = −p − p²/2 − …; in nats: p(1 − logP) − p²/2 + O(p³).
        return p * (1 - logP) / Ln2;
    }

    /// <summary>Shannon entropy H(P) = Σ p_i·log2(1/p_i) of a probability vector (must sum to 1 within 1e-9).</summary>
    public static double Entropy(ReadOnlySpan<double> p)
    {
        double sum = 0, h = 0;
        foreach (double x in p)
        {
            CheckProbability(x, nameof(p));
            sum += x;
            if (x > 0) h -= x * Math.Log2(x);
        }
        if (Math.Abs(sum - 1) > 1e-9) throw new ArgumentException($"probabilities sum to {sum}, not 1", nameof(p));
        return h;
    }

    /// <summary>Kullback–Leibler divergence D(P‖Q) = Σ p_i·log2(p_i/q_i); +∞ when P is not absolutely continuous w.r.t. Q.</summary>
    public static double KL(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException($"P has {p.Length} outcomes but Q has {q.Length}");
        double d = 0;
        for (int i = 0; i < p.Length; i++)
        {
            CheckProbability(p[i], nameof(p));
            CheckProbability(q[i], nameof(q));
            if (p[i] == 0) continue;
            if (q[i] == 0) return double.PositiveInfinity;
            d += p[i] * Math.Log2(p[i] / q[i]);
        }
        return Math.Max(0, d);
    }

    /// <summary>Binary KL divergence d(p‖q) = D(Ber(p)‖Ber(q)) in bits.</summary>
    public static double BinaryKL(double p, double q)
    {
        CheckProbability(p, nameof(p));
        CheckProbability(q, nameof(q));
        double d = 0;
        if (p > 0) d += q == 0 ? double.PositiveInfinity : p * Math.Log2(p / q);
        if (p < 1) d += q == 1 ? double.PositiveInfinity : (1 - p) * Math.Log2((1 - p) / (1 - q));
        return Math.Max(0, d);
    }

    /// <summary>
    /// C_α = (1−2α)·log2((1−α)/α) = D(Ber(1−α)‖Ber(α)) in bits, for α ∈ (0, 1/2) (FKL Thm 7).
    /// It lower-bounds I(A; X) for any learner with error ≤ α.
    /// </summary>
    public static double CAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 0.5))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"α must be in (0, 1/2), got {alpha}");
        return (1 - 2 * alpha) * Math.Log2((1 - alpha) / alpha);
    }

    /// <summary>
    /// Mutual information of the scalar Gaussian channel Y = X + N with X ~ N(0, P), N ~ N(0, σ²):
    /// I(X; Y) = ½·log2(1 + P/σ²) bits.
    /// </summary>
    public static double GaussianChannelMI(double signalVariance, double noiseVariance)
    {
        if (!(signalVariance >= 0)) throw new ArgumentOutOfRangeException(nameof(signalVariance), "signal variance must be ≥ 0");
        if (!(noiseVariance > 0)) throw new ArgumentOutOfRangeException(nameof(noiseVariance), "noise variance must be > 0");
        return 0.5 * Math.Log2(1 + signalVariance / noiseVariance);
    }

    /// <summary>Mutual information of jointly Gaussian scalars with correlation r: I = −½·log2(1 − r²) bits.</summary>
    public static double GaussianCorrelationMI(double correlation)
    {
        if (!(Math.Abs(correlation) < 1)) throw new ArgumentOutOfRangeException(nameof(correlation), "|correlation| must be < 1");
        return -0.5 * Math.Log2(1 - correlation * correlation);
    }

    /// <summary>Converts nats to bits.</summary>
    public static double NatsToBits(double nats) => nats / Ln2;

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, $"probability must be in [0, 1], got {p}");
    }
}
