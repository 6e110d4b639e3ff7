using MathNet.Numerics;

namespace Memscope.Core.Probability;

/// <summary>Standard normal CDF and survival function, accurate in both tails (via erfc).</summary>
public static class NormalTails
{
    /// <summary>Φ(x) = Pr[Z ≤ x].</summary>
    public static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    /// <summary>1 − Φ(x) = Pr[Z &gt; x], without cancellation for large x.</summary>
    public static double Sf(double x) => 0.5 * SpecialFunctions.Erfc(x / Math.Sqrt(2));

    /// <summary>Φ⁻¹(p).</summary>
    public static double InvCdf(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
}
