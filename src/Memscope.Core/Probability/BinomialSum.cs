namespace Memscope.Core.Probability;

/// <summary>
/// Exact tails of K = c + Bin(n₁, p₁) + Bin(n₂, p₂) for a constant shift c: the law of a ±1 linear rule's
/// agreement count on Boolean test points. Computed as Σ_k Pr[K₁ = k]·Pr[K₂ ≥ s − k] over the windows of
/// non-negligible mass, which costs O(n) rather than the O(n²) of a full convolution.
/// </summary>
public static class BinomialSum
{
    /// <summary>Pr[c + Bin(n₁,p₁) + Bin(n₂,p₂) ≥ s].</summary>
    public static double Sf(int s, int c, int n1, double p1, int n2, double p2)
    {
        var w1 = new BinomialPmfWindow(n1, p1);
        var w2 = new BinomialPmfWindow(n2, p2);
        return Sf(s - c, w1, w2);
    }

    /// <summary>Pr[c + Bin(n₁,p₁) + Bin(n₂,p₂) ≤ s].</summary>
    public static double Cdf(int s, int c, int n1, double p1, int n2, double p2)
    {
        var w1 = new BinomialPmfWindow(n1, p1);
        var w2 = new BinomialPmfWindow(n2, p2);
        return Cdf(s - c, w1, w2);
    }

    /// <summary>Pr[K₁ + K₂ ≥ s] for precomputed windows.</summary>
    public static double Sf(int s, BinomialPmfWindow w1, BinomialPmfWindow w2)
    {
        double acc = 0;
        for (int k = w1.Lo; k <= w1.Hi; k++) acc += w1.Pmf(k) * w2.Sf(s - k);
        return Math.Clamp(acc, 0, 1);
    }

    /// <summary>Pr[K₁ + K₂ ≤ s] for precomputed windows.</summary>
    public static double Cdf(int s, BinomialPmfWindow w1, BinomialPmfWindow w2)
    {
        double acc = 0;
        for (int k = w1.Lo; k <= w1.Hi; k++) acc += w1.Pmf(k) * w2.Cdf(s - k);
        return Math.Clamp(acc, 0, 1);
    }
}
