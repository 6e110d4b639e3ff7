using MathNet.Numerics.Distributions;
using Memscope.Core.Probability;

namespace Memscope.Influence.Lira;

/// <summary>The LiRA test statistics for one target margin φ (LiRA §IV); larger always means "member".</summary>
public static class LiraScore
{
    /// <summary>Online likelihood ratio: log N(φ; μ_in, σ_in²) − log N(φ; μ_out, σ_out²).</summary>
    public static double Online(double phi, double muIn, double sigmaIn, double muOut, double sigmaOut) =>
        Normal.PDFLn(muIn, sigmaIn, phi) - Normal.PDFLn(muOut, sigmaOut, phi);

    /// <summary>
    /// Offline one-sided test (the paper's offline attack) as z = (φ − μ_out)/σ_out. The paper's score is Φ(z)
    /// (<see cref="OneSidedProbability"/>); Φ is strictly increasing, so ranks, ROC, AUC and TPR at any FPR are the
    /// same, but Φ(z) rounds to exactly 1 in double precision for z &gt; 8.3 and would tie the most confident members
    /// with each other, exactly in the low-FPR region LiRA is judged on.
    /// </summary>
    public static double OfflineOneSided(double phi, double muOut, double sigmaOut) => (phi - muOut) / sigmaOut;

    /// <summary>Φ(z), the paper's offline score, from <see cref="OfflineOneSided"/>'s z.</summary>
    public static double OneSidedProbability(double z) => NormalTails.Cdf(z);

    /// <summary>
    /// Offline two-sided density test of the reference code: −log N(φ; μ_out, σ_out²). It is large whenever φ is far
    /// from μ_out in EITHER direction, so unusually low margins of non-members also look like membership.
    /// </summary>
    public static double OfflineTwoSidedDensity(double phi, double muOut, double sigmaOut) => -Normal.PDFLn(muOut, sigmaOut, phi);
}
