using Memscope.Core;
using Memscope.Influence.Estimators;

namespace Memscope.Influence.Tests;

/// <summary>
/// FZ memorization and influence (FZ eq. 1, Algorithm 1) against explicit loops over models, hand-computed values,
/// and synthetic outputs with planted structure.
/// </summary>
public sealed class EstimatorTests
{
    // 6 models × 4 train × 3 test, by hand. Every training example is IN exactly 3 models.
    private static readonly int[,] TinyMask =
    {
        { 1, 0, 1, 0 },
        { 1, 1, 0, 0 },
        { 0, 1, 1, 0 },
        { 0, 0, 1, 1 },
        { 1, 0, 0, 1 },
        { 0, 1, 0, 1 },
    };

    private static readonly int[,] TinyTrainCorrect =
    {
        { 1, 0, 1, 1 },
        { 1, 1, 0, 0 },
        { 0, 1, 1, 1 },
        { 1, 0, 1, 1 },
        { 1, 0, 0, 1 },
        { 0, 1, 1, 0 },
    };

    private static readonly int[,] TinyTestCorrect =
    {
        { 1, 0, 1 },
        { 1, 1, 0 },
        { 0, 1, 1 },
        { 0, 0, 1 },
        { 1, 1, 0 },
        { 0, 1, 1 },
    };

    [Fact]
    public void TinyCaseMatchesHandValuesAndBruteForce()
    {
        var o = new ModelOutputs(6, 4, 3, Flatten(TinyMask), Flatten(TinyTrainCorrect), Flatten(TinyTestCorrect));

        var mem = MemorizationEstimator.Estimate(o);
        // By hand: i0 is IN models {0,1,4} (correct 1,1,1) and OUT {2,3,5} (correct 0,1,0): 1 − 1/3.
        Assert.Equal(2.0 / 3, mem.Memorization[0], 15);
        Assert.Equal(1.0, mem.Memorization[1], 15);
        Assert.Equal(2.0 / 3, mem.Memorization[2], 15);
        Assert.Equal(0.0, mem.Memorization[3], 15);
        Assert.Equal(Math.Sqrt(0 + (1.0 / 3) * (2.0 / 3) / 3), mem.StdError[0], 15);
        Assert.Equal([3, 3, 3, 3], mem.InCount);
        Assert.Equal([3, 3, 3, 3], mem.OutCount);
        Assert.Equal(0, mem.UndefinedCount);

        var infl = Dense(new InfluenceEstimator(o), 2);
        // By hand: test 0 is right exactly on i0's IN models; test 2 on one of its IN and all of its OUT models.
        Assert.Equal(1.0, infl[0, 0], 15);
        Assert.Equal(0.0, infl[0, 1], 15);
        Assert.Equal(1.0 / 3 - 1.0, infl[0, 2], 15);
        Assert.Equal(1.0 - 1.0 / 3, infl[1, 1], 15);

        AssertMatchesBruteForce(o, null, mem, infl);

        // Labels: train [0, 1, 0, 2], test [0, 1, 1]. mem ≥ 0.25 for i0, i1, i2; same-class infl ≥ 0.15 only for
        // (0, 0) = 1 and (1, 1) = 2/3 (infl(1, 2) = 0, infl(2, 0) = −1/3).
        var pairs = new InfluenceEstimator(o).FindHighInfluencePairs([0, 1, 0, 2], [0, 1, 1]);
        Assert.Equal([(0, 0), (1, 1)], pairs.Pairs.Select(p => (p.Train, p.Test)).ToArray());
        Assert.Equal(3, pairs.CandidateTrainCount);
        Assert.Equal(2.0 / 3, pairs.Pairs[1].Influence, 15);
    }

    [Theory]
    [InlineData(40, 1)]   // 36 included: one bitset word
    [InlineData(80, 2)]   // 71 included: two words, the second partly used
    [InlineData(150, 3)]  // 133 included: the general word loop
    public void RandomOutputsMatchBruteForceForEveryBlockSize(int models, int seed)
    {
        var o = RandomOutputs(models, 37, 23, seed, inFraction: 0.7);
        var included = Enumerable.Range(0, models).Select(m => m % 9 != 4).ToArray();
        var mem = MemorizationEstimator.Estimate(o, included);
        var est = new InfluenceEstimator(o, included);

        var reference = Dense(est, 64);
        AssertMatchesBruteForce(o, included, mem, reference);
        foreach (int block in new[] { 1, 3, 64, 1000 })
        {
            var firsts = new List<(int First, int Rows)>();
            var dense = new double[o.TrainCount, o.TestCount];
            est.VisitBlocks(b =>
            {
                firsts.Add((b.FirstTrain, b.Rows));
                for (int r = 0; r < b.Rows; r++)
                    for (int j = 0; j < b.TestCount; j++) dense[b.FirstTrain + r, j] = b[r, j];
            }, block);
            int expectedBlocks = (o.TrainCount + Math.Min(block, o.TrainCount) - 1) / Math.Min(block, o.TrainCount);
            Assert.Equal(expectedBlocks, firsts.Count);
            Assert.Equal(Enumerable.Range(0, expectedBlocks).Select(q => q * Math.Min(block, o.TrainCount)), firsts.Select(f => f.First));
            Assert.Equal(o.TrainCount, firsts.Sum(f => f.Rows));
            for (int i = 0; i < o.TrainCount; i++)
                for (int j = 0; j < o.TestCount; j++)
                    Assert.Equal(reference[i, j], dense[i, j]); // bit-identical, not just close
        }

        // Pairs with permissive thresholds, so there are many: the brute-force selection in (train, test) order.
        var rng = new Random(seed);
        var trainLabels = Enumerable.Range(0, o.TrainCount).Select(_ => rng.Next(3)).ToArray();
        var testLabels = Enumerable.Range(0, o.TestCount).Select(_ => rng.Next(3)).ToArray();
        var bruteMem = BruteMem(o, included);
        var expected = new List<(int, int)>();
        for (int i = 0; i < o.TrainCount; i++)
            for (int j = 0; j < o.TestCount; j++)
                if (bruteMem[i] >= 0.0 && trainLabels[i] == testLabels[j] && BruteInfl(o, included, i, j) >= 0.05)
                    expected.Add((i, j));
        Assert.True(expected.Count > 20, $"only {expected.Count} pairs; the check needs more");
        foreach (int block in new[] { 1, 3, 64 })
        {
            var got = est.FindHighInfluencePairs(trainLabels, testLabels, memThreshold: 0.0, inflThreshold: 0.05, blockRows: block);
            Assert.Equal(expected, got.Pairs.Select(p => (p.Train, p.Test)));
            Assert.All(got.Pairs, p => Assert.Equal(trainLabels[p.Train], p.Label));
        }
    }

    [Fact]
    public void PlantedMemorizationAndInfluenceAreRecovered()
    {
        const int t = 2000, n = 40, k = 16;
        var rng = new Random(11);
        var mask = new bool[t * n];
        var trainCorrect = new bool[t * n];
        var testCorrect = new bool[t * k];
        for (int m = 0; m < t; m++)
        {
            for (int i = 0; i < n; i++)
            {
                mask[m * n + i] = rng.NextDouble() < 0.7;
                // Examples 0..7 are right exactly when IN (mem = 1); the rest are right 90% of the time either way.
                trainCorrect[m * n + i] = i < 8 ? mask[m * n + i] : rng.NextDouble() < 0.9;
            }
            for (int j = 0; j < k; j++) testCorrect[m * k + j] = rng.NextDouble() < 0.6;
            testCorrect[m * k + 5] = mask[m * n + 3];   // test 5 follows train 3 (same class)
            testCorrect[m * k + 9] = mask[m * n + 3];   // test 9 follows train 3 too, but is of another class
            testCorrect[m * k + 12] = mask[m * n + 20]; // test 12 follows train 20, which is not memorized
        }
        var o = new ModelOutputs(t, n, k, mask, trainCorrect, testCorrect);
        var trainLabels = Enumerable.Range(0, n).Select(i => i % 4).ToArray();
        var testLabels = Enumerable.Range(0, k).Select(j => j % 4).ToArray();
        testLabels[5] = trainLabels[3];
        testLabels[9] = (trainLabels[3] + 1) % 4;
        testLabels[12] = trainLabels[20];

        var mem = MemorizationEstimator.Estimate(o);
        for (int i = 0; i < 8; i++) Assert.Equal(1.0, mem.Memorization[i]);
        for (int i = 8; i < n; i++) Assert.InRange(mem.Memorization[i], -0.1, 0.1); // SE ≈ 0.015

        var est = new InfluenceEstimator(o);
        var row3 = new double[k];
        est.ComputeRow(3, row3);
        Assert.Equal(1.0, row3[5]);
        Assert.Equal(1.0, row3[9]);
        var row20 = new double[k];
        est.ComputeRow(20, row20);
        Assert.Equal(1.0, row20[12]);

        var result = est.FindHighInfluencePairs(trainLabels, testLabels);
        var pair = Assert.Single(result.Pairs);
        Assert.Equal((3, 5, trainLabels[3], 1.0, 1.0), (pair.Train, pair.Test, pair.Label, pair.Memorization, pair.Influence));
        Assert.Equal(8, result.CandidateTrainCount);
        Assert.Equal(0, result.ModelsExcluded);
    }

    [Fact]
    public void ExcludedModelsAreIgnoredAndCounted()
    {
        var full = RandomOutputs(12, 15, 9, seed: 5, inFraction: 0.5);
        var included = new bool[12];
        Array.Fill(included, true);
        included[3] = included[7] = included[11] = false;
        // Garbage in the excluded rows: everything IN and wrong. If they leaked in, every estimate would move.
        foreach (int m in new[] { 3, 7, 11 })
        {
            Array.Fill(full.Mask, true, m * 15, 15);
            Array.Fill(full.TrainCorrect!, false, m * 15, 15);
            Array.Fill(full.TestCorrect!, false, m * 9, 9);
        }
        var kept = Enumerable.Range(0, 12).Where(m => included[m]).ToArray();
        var sub = new ModelOutputs(kept.Length, 15, 9,
            Rows(full.Mask, kept, 15), Rows(full.TrainCorrect!, kept, 15), Rows(full.TestCorrect!, kept, 9));

        var memFull = MemorizationEstimator.Estimate(full, included);
        var memSub = MemorizationEstimator.Estimate(sub);
        Assert.Equal(3, memFull.ModelsExcluded);
        Assert.Equal(9, memFull.ModelsUsed);
        Assert.Equal(0, memSub.ModelsExcluded);
        Assert.Equal(memSub.Memorization, memFull.Memorization);
        Assert.Equal(memSub.InCount, memFull.InCount);
        Assert.Equal(memSub.OutCount, memFull.OutCount);

        var estFull = new InfluenceEstimator(full, included);
        Assert.Equal(3, estFull.ModelsExcluded);
        Assert.Equal(9, estFull.ModelsUsed);
        var a = Dense(estFull, 4);
        var b = Dense(new InfluenceEstimator(sub), 4);
        Assert.Equal(b.Cast<double>(), a.Cast<double>());
        AssertMatchesBruteForce(full, included, memFull, a);

        var all = MemorizationEstimator.Estimate(full);
        Assert.NotEqual(memSub.InCount, all.InCount); // the garbage rows do matter when not excluded

        Assert.Throws<UsageException>(() => MemorizationEstimator.Estimate(full, new bool[12]));
        Assert.Throws<UsageException>(() => new InfluenceEstimator(full, new bool[11]));
    }

    [Fact]
    public void ExamplesWithoutInOrOutModelsAreNaNAndFlagged()
    {
        var o = RandomOutputs(10, 6, 4, seed: 9, inFraction: 0.5);
        for (int m = 0; m < 10; m++)
        {
            o.Mask[m * 6 + 1] = false; // example 1: never IN (n_in = 0)
            o.Mask[m * 6 + 4] = true;  // example 4: always IN (n_out = 0)
            o.Mask[m * 6 + 0] = m < 5; // example 0: defined
        }
        var mem = MemorizationEstimator.Estimate(o);
        Assert.Equal(2, mem.UndefinedCount);
        Assert.True(mem.Undefined[1] && mem.Undefined[4]);
        Assert.False(mem.Undefined[0]);
        Assert.Equal((0, 10), (mem.InCount[1], mem.OutCount[1]));
        Assert.Equal((10, 0), (mem.InCount[4], mem.OutCount[4]));
        Assert.True(double.IsNaN(mem.Memorization[1]) && double.IsNaN(mem.Memorization[4]));
        Assert.True(double.IsNaN(mem.StdError[1]) && double.IsNaN(mem.StdError[4]));
        Assert.False(double.IsNaN(mem.Memorization[0]));

        var est = new InfluenceEstimator(o);
        Assert.Equal(2, est.UndefinedTrainCount);
        var infl = Dense(est, 4);
        for (int j = 0; j < 4; j++)
        {
            Assert.True(double.IsNaN(infl[1, j]));
            Assert.True(double.IsNaN(infl[4, j]));
            Assert.False(double.IsNaN(infl[0, j]));
        }
        // Even with thresholds that admit everything, undefined examples produce no pairs.
        var pairs = est.FindHighInfluencePairs(new int[6], new int[4], memThreshold: -2, inflThreshold: -2);
        Assert.Equal(4 * 4, pairs.Pairs.Count);
        Assert.DoesNotContain(pairs.Pairs, p => p.Train is 1 or 4);
    }

    [Fact]
    public void BadShapesAreOneLineUsageErrors()
    {
        Assert.Throws<UsageException>(() => new ModelOutputs(3, 4, 2, new bool[11]));
        Assert.Throws<UsageException>(() => new ModelOutputs(3, 4, 2, new bool[12], trainCorrect: new bool[13]));
        Assert.Throws<UsageException>(() => new ModelOutputs(3, 4, 2, new bool[12], testCorrect: new bool[7]));
        var noTest = new ModelOutputs(3, 4, 0, new bool[12], trainCorrect: new bool[12]);
        var ex = Assert.Throws<UsageException>(() => new InfluenceEstimator(noTest));
        Assert.DoesNotContain('\n', ex.Message);
        var o = RandomOutputs(4, 5, 3, seed: 1, inFraction: 0.5);
        Assert.Throws<UsageException>(() => new InfluenceEstimator(o).FindHighInfluencePairs(new int[4], new int[3]));
        Assert.Throws<UsageException>(() => new InfluenceEstimator(o).VisitBlocks(_ => { }, 0));
    }

    // ---- explicit loops over models: the definitions, written independently of the estimators ----

    private static double[] BruteMem(ModelOutputs o, bool[]? included)
    {
        var r = new double[o.TrainCount];
        for (int i = 0; i < o.TrainCount; i++)
        {
            double hitIn = 0, hitOut = 0;
            int nIn = 0, nOut = 0;
            for (int m = 0; m < o.Models; m++)
            {
                if (included is not null && !included[m]) continue;
                bool right = o.TrainCorrect![m * o.TrainCount + i];
                if (o.Mask[m * o.TrainCount + i]) { nIn++; if (right) hitIn++; }
                else { nOut++; if (right) hitOut++; }
            }
            r[i] = nIn == 0 || nOut == 0 ? double.NaN : hitIn / nIn - hitOut / nOut;
        }
        return r;
    }

    private static double BruteInfl(ModelOutputs o, bool[]? included, int i, int j)
    {
        double hitIn = 0, hitOut = 0;
        int nIn = 0, nOut = 0;
        for (int m = 0; m < o.Models; m++)
        {
            if (included is not null && !included[m]) continue;
            bool right = o.TestCorrect![m * o.TestCount + j];
            if (o.Mask[m * o.TrainCount + i]) { nIn++; if (right) hitIn++; }
            else { nOut++; if (right) hitOut++; }
        }
        return nIn == 0 || nOut == 0 ? double.NaN : hitIn / nIn - hitOut / nOut;
    }

    private static void AssertMatchesBruteForce(ModelOutputs o, bool[]? included, MemorizationResult mem, double[,] infl)
    {
        var bm = BruteMem(o, included);
        for (int i = 0; i < o.TrainCount; i++)
        {
            Assert.Equal(bm[i], mem.Memorization[i], 12);
            for (int j = 0; j < o.TestCount; j++)
                Assert.Equal(BruteInfl(o, included, i, j), infl[i, j], 12);
        }
    }

    private static double[,] Dense(InfluenceEstimator est, int blockRows)
    {
        var d = new double[est.TrainCount, est.TestCount];
        est.VisitBlocks(b =>
        {
            for (int r = 0; r < b.Rows; r++)
                for (int j = 0; j < b.TestCount; j++) d[b.FirstTrain + r, j] = b[r, j];
        }, blockRows);
        return d;
    }

    private static ModelOutputs RandomOutputs(int models, int n, int k, int seed, double inFraction)
    {
        var rng = new Random(seed);
        var mask = new bool[models * n];
        var trainCorrect = new bool[models * n];
        var testCorrect = new bool[models * k];
        var pTrain = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var pTest = Enumerable.Range(0, k).Select(_ => rng.NextDouble()).ToArray();
        for (int m = 0; m < models; m++)
        {
            for (int i = 0; i < n; i++)
            {
                mask[m * n + i] = rng.NextDouble() < inFraction;
                trainCorrect[m * n + i] = rng.NextDouble() < (mask[m * n + i] ? 0.5 + 0.5 * pTrain[i] : pTrain[i]);
            }
            for (int j = 0; j < k; j++) testCorrect[m * k + j] = rng.NextDouble() < pTest[j];
        }
        return new ModelOutputs(models, n, k, mask, trainCorrect, testCorrect);
    }

    private static bool[] Flatten(int[,] a)
    {
        var r = new bool[a.Length];
        int q = 0;
        foreach (int v in a) r[q++] = v != 0;
        return r;
    }

    private static bool[] Rows(bool[] a, int[] rows, int width) =>
        rows.SelectMany(m => a.Skip(m * width).Take(width)).ToArray();
}
