namespace Memscope.Influence.Lira;

/// <summary>
/// One LiRA variant's success over all (target, example) pairs: exact AUC, TPR at 0.1% and 1% FPR, and the ROC
/// curve downsampled for plotting (<see cref="RocCurve.Downsample"/>).
/// </summary>
public sealed record LiraVariantMetrics(
    LiraVariant Variant,
    double Auc,
    double TprAtFpr0_1Percent,
    double TprAtFpr1Percent,
    double[] RocFpr,
    double[] RocTpr);

/// <summary>
/// The outcome of <see cref="LiraAttack.Run"/>: which models were targets and shadows, how many examples were
/// skipped, the per-variant metrics, and every scored (target, example) pair with its membership and scores.
/// </summary>
public sealed class LiraResult
{
    private readonly Dictionary<LiraVariant, double[]> scores;
    private readonly Dictionary<LiraVariant, LiraVariantMetrics> metrics;

    internal LiraResult(int[] targetModels, int[] shadowModels, int modelsExcluded, ShadowStatistics shadows,
        int[] pairTarget, int[] pairExample, bool[] pairIsMember,
        Dictionary<LiraVariant, double[]> scores, Dictionary<LiraVariant, LiraVariantMetrics> metrics)
    {
        TargetModels = targetModels;
        ShadowModels = shadowModels;
        ModelsExcluded = modelsExcluded;
        Shadows = shadows;
        PairTarget = pairTarget;
        PairExample = pairExample;
        PairIsMember = pairIsMember;
        this.scores = scores;
        this.metrics = metrics;
        foreach (bool m in pairIsMember)
            if (m) Members++;
    }

    /// <summary>Indices of the target models (the last included ones).</summary>
    public int[] TargetModels { get; }

    /// <summary>Indices of the shadow models.</summary>
    public int[] ShadowModels { get; }

    /// <summary>Models left out by the included-model list (neither targets nor shadows).</summary>
    public int ModelsExcluded { get; }

    /// <summary>The shadow fits, including the pooled spreads.</summary>
    public ShadowStatistics Shadows { get; }

    /// <summary>Training examples skipped for having too few IN or OUT shadows (for every target).</summary>
    public int SkippedExamples => Shadows.SkippedCount;

    /// <summary>Fixed-variance σ_in, pooled from IN deviations.</summary>
    public double PooledStdIn => Shadows.PooledStdIn;

    /// <summary>Fixed-variance σ_out, pooled from OUT deviations.</summary>
    public double PooledStdOut => Shadows.PooledStdOut;

    /// <summary>Target model of each scored pair.</summary>
    public int[] PairTarget { get; }

    /// <summary>Training example of each scored pair.</summary>
    public int[] PairExample { get; }

    /// <summary>Membership label of each scored pair: mask[target, example].</summary>
    public bool[] PairIsMember { get; }

    /// <summary>Number of scored pairs.</summary>
    public int Pairs => PairIsMember.Length;

    /// <summary>Scored pairs whose example was IN the target.</summary>
    public int Members { get; }

    /// <summary>Scored pairs whose example was OUT of the target.</summary>
    public int NonMembers => Pairs - Members;

    /// <summary>Metrics of every variant, in <see cref="LiraVariants.All"/> order.</summary>
    public IReadOnlyList<LiraVariantMetrics> Metrics => LiraVariants.All.Select(v => metrics[v]).ToList();

    /// <summary>Metrics of one variant.</summary>
    public LiraVariantMetrics this[LiraVariant variant] => metrics[variant];

    /// <summary>Per-pair scores of one variant (larger ⇒ member), aligned with <see cref="PairTarget"/>.</summary>
    public double[] Scores(LiraVariant variant) => scores[variant];
}
