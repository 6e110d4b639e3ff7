namespace Memscope.Influence.Lira;

/// <summary>
/// The LiRA scores (LiRA §IV). Every score is oriented so that larger means "member". φ is the target model's margin
/// on the example; μ/σ are fitted to the shadow models' margins that had the example IN or OUT.
/// </summary>
public enum LiraVariant
{
    /// <summary>Online: log N(φ; μ_in, σ_in²) − log N(φ; μ_out, σ_out²), per-example σ.</summary>
    Online,

    /// <summary>Online with the pooled σ_in and σ_out shared by all examples.</summary>
    OnlineFixedVariance,

    /// <summary>
    /// Offline, as in the paper (the default offline attack): the one-sided test of whether φ is unusually HIGH
    /// against N(μ_out, σ_out²), score Φ((φ − μ_out)/σ_out). Stored as its argument z = (φ − μ_out)/σ_out
    /// (see <see cref="LiraScore.OfflineOneSided"/>).
    /// </summary>
    OfflineOneSided,

    /// <summary><see cref="OfflineOneSided"/> with the pooled σ_out.</summary>
    OfflineOneSidedFixedVariance,

    /// <summary>
    /// Offline, as in the released reference code: −log N(φ; μ_out, σ_out²), a two-sided density test that also calls
    /// margins far BELOW the OUT distribution members, which costs power when IN margins sit above OUT margins.
    /// </summary>
    OfflineTwoSidedDensity,

    /// <summary><see cref="OfflineTwoSidedDensity"/> with the pooled σ_out.</summary>
    OfflineTwoSidedDensityFixedVariance,
}

/// <summary>Names and groupings of <see cref="LiraVariant"/>.</summary>
public static class LiraVariants
{
    /// <summary>Every variant, in declaration order.</summary>
    public static IReadOnlyList<LiraVariant> All { get; } = Enum.GetValues<LiraVariant>();

    /// <summary>The offline attack to use when none is named: the paper's one-sided test.</summary>
    public const LiraVariant DefaultOffline = LiraVariant.OfflineOneSided;

    /// <summary>Whether the variant uses the pooled (fixed) variances.</summary>
    public static bool IsFixedVariance(this LiraVariant v) =>
        v is LiraVariant.OnlineFixedVariance or LiraVariant.OfflineOneSidedFixedVariance or LiraVariant.OfflineTwoSidedDensityFixedVariance;

    /// <summary>Snake-case name for files and tables, e.g. "offline_two_sided_density_fixed_variance".</summary>
    public static string ToName(this LiraVariant v) => v switch
    {
        LiraVariant.Online => "online",
        LiraVariant.OnlineFixedVariance => "online_fixed_variance",
        LiraVariant.OfflineOneSided => "offline",
        LiraVariant.OfflineOneSidedFixedVariance => "offline_fixed_variance",
        LiraVariant.OfflineTwoSidedDensity => "offline_two_sided_density",
        LiraVariant.OfflineTwoSidedDensityFixedVariance => "offline_two_sided_density_fixed_variance",
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };
}
