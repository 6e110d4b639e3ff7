using MathNet.Numerics.Distributions;
using Memscope.Core;
using Memscope.Core.Probability;
using Memscope.Influence.Estimators;
using Memscope.Influence.Lira;

namespace Memscope.Influence.Tests;

/// <summary>
/// LiRA (LiRA §IV) on synthetic margins with known IN/OUT distributions, and the ROC metrics against brute force.
/// Expected values come from the Gaussian model of the data, never from the attack's own output.
/// </summary>
public sealed class LiraTests
{
    private static readonly double SqrtTwoPi = Math.Sqrt(2 * Math.PI);

    [Fact]
    public void OnlineAndOfflineReachTheTrueLikelihoodRatioAuc()
    {
        // IN ~ N(o_i + 2, 1), OUT ~ N(o_i, 1) with per-example offsets o_i ~ N(0, 3²). The true likelihood ratio is
        // increasing in φ − o_i, so its AUC is P[N(2,1) > N(0,1)] = Φ(2/√2). With equal spreads the offline one-sided
        // test ranks by the same quantity; the two-sided density test ranks by |φ − o_i| and reaches only
        // P[|N(2,1)| > |N(0,1)|] = ∫ (2Φ(|x|) − 1) φ(x − 2) dx.
        const int shadows = 128, targets = 8, n = 1000;
        var (o, offsets) = Synthetic(shadows + targets, n, seed: 1, shiftIn: _ => 2.0, sdIn: 1, sdOut: 1);
        var r = LiraAttack.Run(o, new LiraOptions { Targets = targets });
        Assert.Equal(targets * n, r.Pairs);
        Assert.Equal(0, r.SkippedExamples);

        double ideal = NormalTails.Cdf(2 / Math.Sqrt(2));
        Assert.Equal(0.9214, ideal, 4);
        var trueScores = new double[r.Pairs];
        for (int q = 0; q < r.Pairs; q++) trueScores[q] = o.TrainMargin![r.PairTarget[q] * n + r.PairExample[q]] - offsets[r.PairExample[q]];
        var trueRoc = RocCurve.Compute(trueScores, r.PairIsMember);
        double se = HanleyMcNeilSe(ideal, r.Members, r.NonMembers);
        Assert.InRange(trueRoc.Auc, ideal - 4 * se, ideal + 4 * se);

        // The attacks estimate μ, σ from 64 IN and 64 OUT shadows per example (μ error σ/8), which costs a little
        // power; on the same pairs the sampling noise of the pairs cancels, so 0.02 is all that is allowed.
        double online = r[LiraVariant.Online].Auc, offline = r[LiraVariant.OfflineOneSided].Auc;
        Assert.InRange(online, trueRoc.Auc - 0.02, trueRoc.Auc + 4 * se);
        Assert.InRange(offline, trueRoc.Auc - 0.02, trueRoc.Auc + 4 * se);
        Assert.True(online >= offline - 2 * se, $"online AUC {online:F4} < offline {offline:F4}");

        double twoSidedIdeal = TwoSidedAuc(2.0);
        Assert.InRange(twoSidedIdeal, 0.85, 0.86);
        double twoSided = r[LiraVariant.OfflineTwoSidedDensity].Auc;
        double se2 = HanleyMcNeilSe(twoSidedIdeal, r.Members, r.NonMembers);
        Assert.InRange(twoSided, twoSidedIdeal - 4 * se2 - 0.02, twoSidedIdeal + 4 * se2);
        Assert.True(offline > twoSided + 0.04, $"one-sided {offline:F4} vs two-sided {twoSided:F4}");

        // Fixed variance is right here too (the spreads really are shared).
        Assert.InRange(r.PooledStdIn, 0.97, 1.03);
        Assert.InRange(r.PooledStdOut, 0.97, 1.03);
        Assert.InRange(r[LiraVariant.OnlineFixedVariance].Auc, trueRoc.Auc - 0.02, trueRoc.Auc + 4 * se);

        foreach (var m in r.Metrics)
        {
            Assert.True(m.RocFpr.Length <= 2000);
            Assert.Equal((0.0, 0.0), (m.RocFpr[0], m.RocTpr[0]));
            Assert.Equal((1.0, 1.0), (m.RocFpr[^1], m.RocTpr[^1]));
            Assert.InRange(m.TprAtFpr0_1Percent, 0, m.TprAtFpr1Percent);
        }
        // At 1% FPR the true LR flags P[N(0,1) > Φ⁻¹(0.99)] of non-members and catches Φ(2 − Φ⁻¹(0.99)) ≈ 0.372 of
        // members. With N ≈ 4000 negatives the budget is ~40 false positives; ±2·√40 of them moves the threshold's
        // quantile within [0.0069, 0.0131], i.e. the TPR within [0.32, 0.41], plus ±0.015 binomial noise on the TPR.
        double idealTpr = NormalTails.Cdf(2 - NormalTails.InvCdf(0.99));
        Assert.Equal(0.372, idealTpr, 3);
        Assert.InRange(trueRoc.TprAtFpr(0.01), 0.30, 0.43);
    }

    [Fact]
    public void OnlineBeatsOfflineWhenTheInShiftVariesAcrossExamples()
    {
        // Half the examples are not memorized at all (IN = OUT = N(o_i, 1)), half strongly (IN = N(o_i + 4, 1)).
        // Offline ranks by z = φ − μ_out and cannot tell the two halves apart:
        //   AUC = ½·½ + ½·Φ(4/√2) ≈ 0.749.
        // The likelihood ratio is ≈ 0 on the first half and 4z − 8 on the second (members N(8, 16), non-members
        // N(−8, 16)), so AUC = ¼·[Φ(16/√32) + 2·Φ(2) + ½] ≈ 0.863.
        const int shadows = 128, targets = 4, n = 2000;
        var (o, _) = Synthetic(shadows + targets, n, seed: 2, shiftIn: i => i % 2 == 0 ? 0.0 : 4.0, sdIn: 1, sdOut: 1);
        var r = LiraAttack.Run(o, new LiraOptions { Targets = targets });
        double offlineIdeal = 0.25 + 0.5 * NormalTails.Cdf(4 / Math.Sqrt(2));
        double onlineIdeal = 0.25 * (NormalTails.Cdf(16 / Math.Sqrt(32)) + 2 * NormalTails.Cdf(2) + 0.5);
        double se = HanleyMcNeilSe(offlineIdeal, r.Members, r.NonMembers);
        Assert.InRange(r[LiraVariant.OfflineOneSided].Auc, offlineIdeal - 4 * se - 0.02, offlineIdeal + 4 * se + 0.02);
        Assert.InRange(r[LiraVariant.Online].Auc, onlineIdeal - 4 * se - 0.03, onlineIdeal + 4 * se + 0.01);
        Assert.True(r[LiraVariant.Online].Auc > r[LiraVariant.OfflineOneSided].Auc + 0.05);
    }

    [Fact]
    public void FixedVariancePoolsInAndOutSpreadsSeparately()
    {
        // σ_in = 0.5, σ_out = 2: the pooled OUT spread must be ≈ 2 (not the IN spread 0.5) and vice versa.
        const int shadows = 64, targets = 3, n = 400;
        var (o, _) = Synthetic(shadows + targets, n, seed: 3, shiftIn: _ => 2.0, sdIn: 0.5, sdOut: 2.0);
        var r = LiraAttack.Run(o, new LiraOptions { Targets = targets });
        // Relative SE of a pooled σ with ~n·(32 − 1) degrees of freedom is about 1/√(2·12,000) ≈ 0.6%.
        Assert.InRange(r.PooledStdOut, 1.9, 2.1);
        Assert.InRange(r.PooledStdIn, 0.475, 0.525);

        // Recompute the fits and every score from the definitions with explicit loops.
        var shadowModels = Enumerable.Range(0, shadows).ToArray();
        Assert.Equal(shadowModels, r.ShadowModels);
        Assert.Equal([64, 65, 66], r.TargetModels);
        var muIn = new double[n]; var muOut = new double[n]; var sdIn = new double[n]; var sdOut = new double[n];
        double ssIn = 0, ssOut = 0; long dfIn = 0, dfOut = 0;
        for (int i = 0; i < n; i++)
        {
            var ins = shadowModels.Where(m => o.Mask[m * n + i]).Select(m => (double)o.TrainMargin![m * n + i]).ToArray();
            var outs = shadowModels.Where(m => !o.Mask[m * n + i]).Select(m => (double)o.TrainMargin![m * n + i]).ToArray();
            muIn[i] = ins.Average(); muOut[i] = outs.Average();
            double si = ins.Sum(x => (x - muIn[i]) * (x - muIn[i])), so = outs.Sum(x => (x - muOut[i]) * (x - muOut[i]));
            sdIn[i] = Math.Sqrt(si / (ins.Length - 1)); sdOut[i] = Math.Sqrt(so / (outs.Length - 1));
            ssIn += si; ssOut += so; dfIn += ins.Length - 1; dfOut += outs.Length - 1;
        }
        double pIn = Math.Sqrt(ssIn / dfIn), pOut = Math.Sqrt(ssOut / dfOut);
        Assert.Equal(pIn, r.PooledStdIn, 10);
        Assert.Equal(pOut, r.PooledStdOut, 10);
        for (int q = 0; q < r.Pairs; q++)
        {
            int t = r.PairTarget[q], i = r.PairExample[q];
            double phi = o.TrainMargin![t * n + i];
            Assert.Equal(o.Mask[t * n + i], r.PairIsMember[q]);
            Assert.Equal(LogN(phi, muIn[i], sdIn[i]) - LogN(phi, muOut[i], sdOut[i]), r.Scores(LiraVariant.Online)[q], 9);
            Assert.Equal(LogN(phi, muIn[i], pIn) - LogN(phi, muOut[i], pOut), r.Scores(LiraVariant.OnlineFixedVariance)[q], 9);
            Assert.Equal((phi - muOut[i]) / sdOut[i], r.Scores(LiraVariant.OfflineOneSided)[q], 9);
            Assert.Equal((phi - muOut[i]) / pOut, r.Scores(LiraVariant.OfflineOneSidedFixedVariance)[q], 9);
            Assert.Equal(-LogN(phi, muOut[i], sdOut[i]), r.Scores(LiraVariant.OfflineTwoSidedDensity)[q], 9);
            Assert.Equal(-LogN(phi, muOut[i], pOut), r.Scores(LiraVariant.OfflineTwoSidedDensityFixedVariance)[q], 9);
        }
        // The paper's offline score is Φ(z); it is the CDF of the stored z.
        Assert.Equal(0.975, LiraScore.OneSidedProbability(1.959963984540054), 12);
    }

    [Fact]
    public void RandomScoresHaveAucOneHalf()
    {
        var rng = new Random(4);
        const int count = 10_000;
        var scores = Enumerable.Range(0, count).Select(_ => rng.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, count).Select(_ => rng.Next(2) == 1).ToArray();
        var roc = RocCurve.Compute(scores, labels);
        double se = Math.Sqrt((roc.Positives + roc.Negatives + 1) / (12.0 * roc.Positives * roc.Negatives));
        Assert.InRange(roc.Auc, 0.5 - 4 * se, 0.5 + 4 * se);

        // LiRA on margins that ignore membership: every variant is at chance.
        const int n = 5000;
        var (o, _) = Synthetic(33, n, seed: 5, shiftIn: _ => 0.0, sdIn: 1, sdOut: 1);
        var r = LiraAttack.Run(o);
        double se2 = Math.Sqrt((r.Pairs + 1) / (12.0 * r.Members * r.NonMembers));
        foreach (var m in r.Metrics) Assert.InRange(m.Auc, 0.5 - 4 * se2, 0.5 + 4 * se2);
    }

    [Fact]
    public void AucWithTiesMatchesPairCounting()
    {
        // By hand: positives {3, 2}, negatives {2, 1}: pairs (3,2) 1, (3,1) 1, (2,2) ½, (2,1) 1 → 3.5/4.
        var hand = RocCurve.Compute([3, 2, 2, 1], [true, true, false, false]);
        Assert.Equal(0.875, hand.Auc, 15);
        Assert.Equal([0, 0, 0.5, 1], hand.Fpr);
        Assert.Equal([0, 0.5, 1, 1], hand.Tpr);

        var rng = new Random(6);
        foreach (int count in new[] { 12, 57, 400 })
        {
            var scores = Enumerable.Range(0, count).Select(_ => (double)rng.Next(5)).ToArray(); // heavy ties
            var labels = Enumerable.Range(0, count).Select(q => q < 2 ? q == 0 : rng.Next(3) == 0).ToArray();
            double wins = 0; long pairs = 0;
            for (int a = 0; a < count; a++)
                for (int b = 0; b < count; b++)
                    if (labels[a] && !labels[b])
                    {
                        pairs++;
                        wins += scores[a] > scores[b] ? 1 : scores[a] == scores[b] ? 0.5 : 0;
                    }
            var roc = RocCurve.Compute(scores, labels);
            Assert.Equal(wins / pairs, roc.Auc, 14);
            // The trapezoid area of the tie-correct curve is the same number.
            double area = 0;
            for (int v = 1; v < roc.Fpr.Length; v++) area += (roc.Fpr[v] - roc.Fpr[v - 1]) * (roc.Tpr[v] + roc.Tpr[v - 1]) / 2;
            Assert.Equal(wins / pairs, area, 12);
        }
    }

    [Fact]
    public void TprAtFixedFprTakesTheBestThresholdWithinTheBudget()
    {
        // Negatives 0..9; positives 20, 8.5, 5 (tied with a negative).
        var scores = new double[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 8.5, 5 };
        var labels = scores.Select((_, q) => q >= 10).ToArray();
        var roc = RocCurve.Compute(scores, labels);
        Assert.Equal(1.0 / 3, roc.TprAtFpr(0), 15);     // only the threshold above 9
        Assert.Equal(1.0 / 3, roc.TprAtFpr(0.09), 15);
        Assert.Equal(2.0 / 3, roc.TprAtFpr(0.1), 15);   // one false positive (9) buys 8.5
        Assert.Equal(2.0 / 3, roc.TprAtFpr(0.45), 15);  // the tie at 5 costs a fifth false positive
        Assert.Equal(1.0, roc.TprAtFpr(0.5), 15);
    }

    [Fact]
    public void DownsampledRocKeepsTheLowFprEnd()
    {
        var rng = new Random(7);
        const int count = 200_000;
        var labels = Enumerable.Range(0, count).Select(_ => rng.Next(2) == 1).ToArray();
        var scores = labels.Select(l => Normal.Sample(rng, l ? 1.0 : 0.0, 1.0)).ToArray();
        var roc = RocCurve.Compute(scores, labels);
        Assert.True(roc.Fpr.Length > 100_000);
        var (fpr, tpr) = roc.Downsample(2000);
        Assert.InRange(fpr.Length, 1000, 2000);
        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        for (int v = 1; v < fpr.Length; v++) Assert.True(fpr[v] >= fpr[v - 1] && tpr[v] >= tpr[v - 1]);
        // Every false-positive count up to 50 keeps its best TPR, and every kept point is a true vertex.
        var kept = fpr.Zip(tpr).ToHashSet();
        for (long fp = 0; fp <= 50; fp++)
        {
            double f = fp / (double)roc.Negatives;
            double best = roc.Fpr.Zip(roc.Tpr).Where(p => p.First == f).Max(p => p.Second);
            Assert.Contains((f, best), kept);
        }
        var all = roc.Fpr.Zip(roc.Tpr).ToHashSet();
        Assert.All(kept, p => Assert.Contains(p, all));
        // TPR at 0.1% FPR read off the kept points equals the full curve's.
        double budget = 0.001;
        Assert.Equal(roc.TprAtFpr(budget), fpr.Zip(tpr).Where(p => p.First <= budget).Max(p => p.Second));
    }

    [Fact]
    public void TargetsSkipsAndExclusionsAreCounted()
    {
        const int models = 20, n = 30;
        var (o, _) = Synthetic(models, n, seed: 8, shiftIn: _ => 1.0, sdIn: 1, sdOut: 1);
        // Example 0 is IN only one shadow, example 1 OUT of only one: both must be skipped.
        for (int m = 0; m < models; m++)
        {
            o.Mask[m * n + 0] = m == 4 || m >= 17;
            o.Mask[m * n + 1] = m != 2;
        }
        var included = Enumerable.Repeat(true, models).ToArray();
        included[19] = false;
        o.TrainMargin![19 * n + 5] = float.NaN; // a diverged model: harmless once excluded
        var r = LiraAttack.Run(o, new LiraOptions { Targets = 2 }, included);
        Assert.Equal([17, 18], r.TargetModels);
        Assert.Equal(Enumerable.Range(0, 17), r.ShadowModels);
        Assert.Equal(1, r.ModelsExcluded);
        Assert.Equal(2, r.SkippedExamples);
        Assert.Equal(2 * (n - 2), r.Pairs);
        Assert.DoesNotContain(0, r.PairExample);
        Assert.DoesNotContain(1, r.PairExample);
        for (int q = 0; q < r.Pairs; q++) Assert.Equal(o.Mask[r.PairTarget[q] * n + r.PairExample[q]], r.PairIsMember[q]);
        Assert.Equal(r.PairIsMember.Count(b => b), r.Members);

        var ex = Assert.Throws<UsageException>(() => LiraAttack.Run(o, new LiraOptions { Targets = 2 }));
        Assert.Contains("model 19", ex.Message);
        Assert.Throws<UsageException>(() => LiraAttack.Run(o, new LiraOptions { Targets = 16 }, included));
        var noMargins = new ModelOutputs(4, 3, 0, new bool[12], trainCorrect: new bool[12]);
        Assert.Throws<UsageException>(() => LiraAttack.Run(noMargins));
    }

    // ---- synthetic data and reference formulas ----

    /// <summary>
    /// Margins φ[m, i] = o_i + (IN ? shiftIn(i) + sdIn·Z : sdOut·Z), o_i ~ N(0, 3²), each model IN on a random half.
    /// </summary>
    private static (ModelOutputs Outputs, double[] Offsets) Synthetic(int models, int n, int seed,
        Func<int, double> shiftIn, double sdIn, double sdOut)
    {
        var rng = new Random(seed);
        var offsets = Enumerable.Range(0, n).Select(_ => Normal.Sample(rng, 0, 3)).ToArray();
        var mask = new bool[models * n];
        var margin = new float[models * n];
        for (int m = 0; m < models; m++)
            for (int i = 0; i < n; i++)
            {
                bool isIn = rng.Next(2) == 1;
                mask[m * n + i] = isIn;
                margin[m * n + i] = (float)(offsets[i] + (isIn ? shiftIn(i) + sdIn * Normal.Sample(rng, 0, 1) : sdOut * Normal.Sample(rng, 0, 1)));
            }
        return (new ModelOutputs(models, n, 0, mask, trainMargin: margin), offsets);
    }

    private static double LogN(double x, double mu, double sigma) =>
        -Math.Log(sigma * SqrtTwoPi) - (x - mu) * (x - mu) / (2 * sigma * sigma);

    /// <summary>Hanley &amp; McNeil (1982) standard error of an AUC estimate from P positives and N negatives.</summary>
    private static double HanleyMcNeilSe(double auc, long p, long n)
    {
        double q1 = auc / (2 - auc), q2 = 2 * auc * auc / (1 + auc);
        return Math.Sqrt((auc * (1 - auc) + (p - 1) * (q1 - auc * auc) + (n - 1) * (q2 - auc * auc)) / (p * (double)n));
    }

    /// <summary>P[|X| &gt; |Y|], X ~ N(d, 1), Y ~ N(0, 1), by the midpoint rule on [d − 12, d + 12].</summary>
    private static double TwoSidedAuc(double d)
    {
        const int steps = 200_000;
        double lo = d - 12, h = 24.0 / steps, s = 0;
        for (int q = 0; q < steps; q++)
        {
            double x = lo + (q + 0.5) * h;
            s += (2 * NormalTails.Cdf(Math.Abs(x)) - 1) * Math.Exp(-(x - d) * (x - d) / 2) / SqrtTwoPi * h;
        }
        return s;
    }
}
