using Memscope.Core;
using Memscope.Influence.Estimators;

namespace Memscope.Influence.Lira;

/// <summary>
/// LiRA (Carlini et al. 2022, §IV) on the models that were trained for FZ estimation: the last
/// <see cref="LiraOptions.Targets"/> included models are attacked, the other included models are shadows. For each
/// target t and each training example i with enough IN and OUT shadows, the membership label is mask[t, i] and the
/// target's margin φ = trainMargin[t, i] is scored by every <see cref="LiraVariant"/> against Gaussians fitted to the
/// shadows' margins on i. Metrics are computed over all (target, example) pairs together.
/// </summary>
public static class LiraAttack
{
    /// <summary>Runs every variant. <paramref name="included"/> marks usable models (null: all).</summary>
    public static LiraResult Run(ModelOutputs outputs, LiraOptions? options = null, bool[]? included = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        options ??= new LiraOptions();
        UsageException.Require(outputs.TrainMargin is not null, "LiRA needs train margins, and the model outputs have none");
        var selection = ModelSelection.From(outputs, included);
        options.Validate(selection.Used.Length);
        int shadowCount = selection.Used.Length - options.Targets;
        var shadowModels = selection.Used[..shadowCount];
        var targetModels = selection.Used[shadowCount..];
        var stats = ShadowStatistics.Fit(outputs, shadowModels, options.Center, options.MinShadowsPerSide);

        int n = outputs.TrainCount;
        var margin = outputs.TrainMargin!;
        int usable = n - stats.SkippedCount;
        UsageException.Require(usable > 0,
            $"no training example has {options.MinShadowsPerSide} IN and {options.MinShadowsPerSide} OUT shadows among {shadowCount}; train more models");
        int pairs = checked(targetModels.Length * usable);
        var pairTarget = new int[pairs];
        var pairExample = new int[pairs];
        var pairMember = new bool[pairs];
        var scores = LiraVariants.All.ToDictionary(v => v, _ => new double[pairs]);
        var online = scores[LiraVariant.Online];
        var onlineFixed = scores[LiraVariant.OnlineFixedVariance];
        var oneSided = scores[LiraVariant.OfflineOneSided];
        var oneSidedFixed = scores[LiraVariant.OfflineOneSidedFixedVariance];
        var twoSided = scores[LiraVariant.OfflineTwoSidedDensity];
        var twoSidedFixed = scores[LiraVariant.OfflineTwoSidedDensityFixedVariance];
        double sIn = stats.PooledStdIn, sOut = stats.PooledStdOut;

        int q = 0;
        foreach (int t in targetModels)
        {
            for (int i = 0; i < n; i++)
            {
                if (!stats.Usable[i]) continue;
                double phi = margin[t * n + i];
                UsageException.Require(double.IsFinite(phi), $"target model {t} has margin {phi} on training example {i}; exclude that model");
                double muIn = stats.CenterIn[i], muOut = stats.CenterOut[i];
                double sdIn = stats.StdIn[i], sdOut = stats.StdOut[i];
                pairTarget[q] = t;
                pairExample[q] = i;
                pairMember[q] = outputs.Mask[t * n + i];
                online[q] = LiraScore.Online(phi, muIn, sdIn, muOut, sdOut);
                onlineFixed[q] = LiraScore.Online(phi, muIn, sIn, muOut, sOut);
                oneSided[q] = LiraScore.OfflineOneSided(phi, muOut, sdOut);
                oneSidedFixed[q] = LiraScore.OfflineOneSided(phi, muOut, sOut);
                twoSided[q] = LiraScore.OfflineTwoSidedDensity(phi, muOut, sdOut);
                twoSidedFixed[q] = LiraScore.OfflineTwoSidedDensity(phi, muOut, sOut);
                q++;
            }
        }

        var metrics = new Dictionary<LiraVariant, LiraVariantMetrics>();
        foreach (var v in LiraVariants.All)
        {
            var roc = RocCurve.Compute(scores[v], pairMember);
            var (fpr, tpr) = roc.Downsample(options.RocPoints);
            metrics[v] = new LiraVariantMetrics(v, roc.Auc, roc.TprAtFpr(0.001), roc.TprAtFpr(0.01), fpr, tpr);
        }
        return new LiraResult(targetModels, shadowModels, selection.Excluded, stats, pairTarget, pairExample, pairMember, scores, metrics);
    }
}
