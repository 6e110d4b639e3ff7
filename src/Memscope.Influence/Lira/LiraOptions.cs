using Memscope.Core;

namespace Memscope.Influence.Lira;

/// <summary>How LiRA centres the shadow margins of an example (LiRA §IV).</summary>
public enum LiraCenter
{
    /// <summary>The sample mean: the maximum-likelihood Gaussian fit.</summary>
    Mean,

    /// <summary>The sample median, as the reference code does (robust to a few diverged shadows).</summary>
    Median,
}

/// <summary>Settings for <see cref="LiraAttack.Run"/>.</summary>
public sealed record LiraOptions
{
    /// <summary>
    /// How many models act as targets: the last <c>Targets</c> included models by index. All other included models are
    /// shadows. The reference code attacks one target (its default).
    /// </summary>
    public int Targets { get; init; } = 1;

    /// <summary>
    /// An example is scored only when at least this many shadows had it IN and this many had it OUT (per-example σ
    /// needs 2); other examples are skipped and counted, for every variant alike so that variants stay comparable.
    /// </summary>
    public int MinShadowsPerSide { get; init; } = 2;

    /// <summary>Centre μ of each per-example Gaussian.</summary>
    public LiraCenter Center { get; init; } = LiraCenter.Mean;

    /// <summary>Most ROC points kept per variant in the result, for plotting.</summary>
    public int RocPoints { get; init; } = 2000;

    internal void Validate(int includedModels)
    {
        UsageException.Require(Targets >= 1, $"LiRA needs at least one target model, got {Targets}");
        UsageException.Require(MinShadowsPerSide >= 2,
            $"LiRA needs at least 2 IN and 2 OUT shadows per example to fit a spread, got a minimum of {MinShadowsPerSide}");
        UsageException.Require(includedModels - Targets >= 2 * MinShadowsPerSide,
            $"{includedModels} included models leave {includedModels - Targets} shadows after {Targets} targets; " +
            $"need at least {2 * MinShadowsPerSide} — train more models or use fewer targets");
        UsageException.Require(RocPoints >= 16, $"keep at least 16 ROC points, got {RocPoints}");
    }
}
