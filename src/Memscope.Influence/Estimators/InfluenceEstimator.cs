using System.Buffers;
using System.Numerics;
using Memscope.Core;

namespace Memscope.Influence.Estimators;

/// <summary>
/// FZ influence (FZ eq. 1, the influence half; estimated as in FZ Algorithm 1):
/// infl(i, j) = P[test j correct | i IN] − P[test j correct | i OUT], masked means over the included models.
/// <para>
/// The n × k matrix is never held whole. The constructor packs, per training example i, the set of included
/// models that had i IN, and per test example j the set of included models that got j right, as bitsets of
/// W = ⌈T/64⌉ words. Then counts_in[i, j] = Σ_m mask[m, i]·testCorrect[m, j] = popcount(in_i ∧ correct_j), and
/// counts_out[i, j] = total_j − counts_in[i, j], so one 0/1 "GEMM" per block costs W AND+POPCNT per entry. Rows are
/// produced in blocks of B training examples (rows of a block in parallel) into one reused B × k buffer.
/// Memory: 8·W·(n + k) bytes of bitsets + 4·(n + k) bytes of counts + 8·B·k bytes of block buffer, independent of
/// the n·k output (for n = 60,000, k = 10,000, T = 100, B = 256: about 1.1 MB + 0.3 MB + 20 MB).
/// Measured against float row accumulation with TensorPrimitives.Add over the same blocks, the bitset kernel was
/// 3.6× faster at T = 100 (0.60 s against 2.17 s for 60,000 × 10,000 on two cores), and the gap grows with T.
/// </para>
/// </summary>
public sealed class InfluenceEstimator
{
    /// <summary>Default number of training examples per block.</summary>
    public const int DefaultBlockRows = 256;

    private readonly ModelOutputs outputs;
    private readonly bool[]? included;
    private readonly int words;
    private readonly ulong[] trainBits; // [n × words]: bit b ⇔ the b-th included model had i IN
    private readonly ulong[] testBits;  // [k × words]: bit b ⇔ the b-th included model got j right
    private readonly int[] testTotals;  // Σ over included models of testCorrect[m, j]
    private readonly int[] inCount;

    /// <summary>Packs the included models' (null: all) masks and test correctness into bitsets.</summary>
    public InfluenceEstimator(ModelOutputs outputs, bool[]? included = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        UsageException.Require(outputs.TestCorrect is not null && outputs.TestCount > 0,
            "influence needs test correctness, and the model outputs have none");
        this.outputs = outputs;
        this.included = included;
        var selection = ModelSelection.From(outputs, included);
        ModelsUsed = selection.Used.Length;
        ModelsExcluded = selection.Excluded;
        int n = outputs.TrainCount, k = outputs.TestCount;
        words = (ModelsUsed + 63) >> 6;
        trainBits = new ulong[(long)n * words <= Array.MaxLength ? n * words : throw new UsageException("too many training examples × models to pack")];
        testBits = new ulong[k * words];
        testTotals = new int[k];
        inCount = new int[n];
        var testCorrect = outputs.TestCorrect!;
        for (int b = 0; b < ModelsUsed; b++)
        {
            int m = selection.Used[b], w = b >> 6;
            ulong bit = 1UL << (b & 63);
            var mask = outputs.Mask.AsSpan(m * n, n);
            for (int i = 0; i < n; i++)
                if (mask[i]) { trainBits[i * words + w] |= bit; inCount[i]++; }
            var hit = testCorrect.AsSpan(m * k, k);
            for (int j = 0; j < k; j++)
                if (hit[j]) { testBits[j * words + w] |= bit; testTotals[j]++; }
        }
        for (int i = 0; i < n; i++)
            if (inCount[i] == 0 || inCount[i] == ModelsUsed) UndefinedTrainCount++;
    }

    /// <summary>Number of models the estimates use.</summary>
    public int ModelsUsed { get; }

    /// <summary>Number of models left out by the included-model list.</summary>
    public int ModelsExcluded { get; }

    /// <summary>n, the number of training examples (rows).</summary>
    public int TrainCount => outputs.TrainCount;

    /// <summary>k, the number of test examples (columns).</summary>
    public int TestCount => outputs.TestCount;

    /// <summary>Training examples with no IN or no OUT model; their influence rows are NaN.</summary>
    public int UndefinedTrainCount { get; }

    /// <summary>Upper bound on parallel row computations within a block; −1 (default) lets the runtime choose.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>n_in(i): included models that had training example i IN.</summary>
    public int InCount(int train) => inCount[train];

    /// <summary>n_out(i): included models that had training example i OUT.</summary>
    public int OutCount(int train) => ModelsUsed - inCount[train];

    /// <summary>Writes infl(i, ·) for one training example into <paramref name="destination"/> (k values).</summary>
    public void ComputeRow(int train, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(train);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(train, TrainCount);
        if (destination.Length < TestCount) throw new ArgumentException($"destination needs {TestCount} values", nameof(destination));
        RowKernel(train, destination[..TestCount]);
    }

    /// <summary>
    /// Streams the whole influence matrix to <paramref name="visit"/> in blocks of <paramref name="blockRows"/>
    /// consecutive training examples (the last block may be shorter). Memory stays at one blockRows × k buffer.
    /// </summary>
    public void VisitBlocks(InfluenceBlockVisitor visit, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(visit);
        int k = TestCount, n = TrainCount;
        var buffer = AllocateBlock(blockRows, n);
        int b = buffer.Length / k;
        for (int start = 0; start < n; start += b)
        {
            int rows = Math.Min(b, n - start);
            int first = start;
            ComputeBlock(r => first + r, rows, buffer);
            visit(new InfluenceBlock(start, rows, k, buffer.AsSpan(0, rows * k)));
        }
    }

    /// <summary>
    /// High-influence pairs (FZ §4): mem(i) ≥ <paramref name="memThreshold"/>, infl(i, j) ≥
    /// <paramref name="inflThreshold"/> and trainLabels[i] == testLabels[j], ordered by training index, then test
    /// index. Influence rows are computed (in blocks) only for training examples that pass the memorization threshold;
    /// examples without IN or OUT models never qualify.
    /// </summary>
    public HighInfluenceResult FindHighInfluencePairs(int[] trainLabels, int[] testLabels,
        double memThreshold = 0.25, double inflThreshold = 0.15, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        UsageException.Require(trainLabels.Length == TrainCount,
            $"{trainLabels.Length} training labels for {TrainCount} training examples");
        UsageException.Require(testLabels.Length == TestCount,
            $"{testLabels.Length} test labels for {TestCount} test examples");
        UsageException.Require(double.IsFinite(memThreshold), $"the memorization threshold must be a number, got {memThreshold}");
        UsageException.Require(double.IsFinite(inflThreshold), $"the influence threshold must be a number, got {inflThreshold}");

        var mem = MemorizationEstimator.Estimate(outputs, included);
        var candidates = new List<int>();
        for (int i = 0; i < TrainCount; i++)
            if (!mem.Undefined[i] && mem.Memorization[i] >= memThreshold) candidates.Add(i);

        var pairs = new List<InfluencePair>();
        int k = TestCount;
        if (candidates.Count > 0)
        {
            var buffer = AllocateBlock(blockRows, candidates.Count);
            int b = buffer.Length / k;
            for (int start = 0; start < candidates.Count; start += b)
            {
                int rows = Math.Min(b, candidates.Count - start);
                int first = start;
                ComputeBlock(r => candidates[first + r], rows, buffer);
                for (int r = 0; r < rows; r++)
                {
                    int i = candidates[start + r], label = trainLabels[i];
                    var row = buffer.AsSpan(r * k, k);
                    for (int j = 0; j < k; j++)
                        if (row[j] >= inflThreshold && testLabels[j] == label)
                            pairs.Add(new InfluencePair(i, j, label, mem.Memorization[i], row[j]));
                }
            }
        }
        return new HighInfluenceResult(pairs, mem, candidates.Count, memThreshold, inflThreshold, ModelsUsed, ModelsExcluded);
    }

    private double[] AllocateBlock(int blockRows, int maxRows)
    {
        UsageException.Require(blockRows >= 1, $"the influence block size must be ≥ 1 training example, got {blockRows}");
        int k = TestCount;
        long rows = Math.Min(blockRows, Math.Max(1, maxRows));
        UsageException.Require(rows * k <= Array.MaxLength,
            $"an influence block of {rows} × {k} values does not fit in one array; lower the block size");
        return new double[rows * k];
    }

    private void ComputeBlock(Func<int, int> trainOfRow, int rows, double[] buffer)
    {
        int k = TestCount;
        if (rows == 1)
        {
            RowKernel(trainOfRow(0), buffer.AsSpan(0, k));
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism };
        Parallel.For(0, rows, options, r => RowKernel(trainOfRow(r), buffer.AsSpan(r * k, k)));
    }

    /// <summary>
    /// infl(i, j) = c/n_in − (total_j − c)/n_out with c = popcount(in_i ∧ correct_j). The two quotients come from
    /// per-row tables of c/n_in and c'/n_out, so each value is exactly the difference of the two masked means.
    /// </summary>
    private void RowKernel(int i, Span<double> dest)
    {
        int nIn = inCount[i], nOut = ModelsUsed - nIn;
        if (nIn == 0 || nOut == 0)
        {
            dest.Fill(double.NaN);
            return;
        }
        int size = ModelsUsed + 1;
        var rented = ArrayPool<double>.Shared.Rent(2 * size);
        try
        {
            var inMean = rented.AsSpan(0, size);
            var outMean = rented.AsSpan(size, size);
            for (int c = 0; c < size; c++)
            {
                inMean[c] = c / (double)nIn;
                outMean[c] = c / (double)nOut;
            }
            int k = dest.Length;
            ReadOnlySpan<int> totals = testTotals;
            var mine = trainBits.AsSpan(i * words, words);
            switch (words)
            {
                case 1:
                {
                    ulong a0 = mine[0];
                    ReadOnlySpan<ulong> tb = testBits.AsSpan(0, k);
                    for (int j = 0; j < k; j++)
                    {
                        int c = BitOperations.PopCount(a0 & tb[j]);
                        dest[j] = inMean[c] - outMean[totals[j] - c];
                    }
                    break;
                }
                case 2:
                {
                    ulong a0 = mine[0], a1 = mine[1];
                    ReadOnlySpan<ulong> tb = testBits.AsSpan(0, 2 * k);
                    for (int j = 0; j < k; j++)
                    {
                        int c = BitOperations.PopCount(a0 & tb[2 * j]) + BitOperations.PopCount(a1 & tb[2 * j + 1]);
                        dest[j] = inMean[c] - outMean[totals[j] - c];
                    }
                    break;
                }
                default:
                {
                    for (int j = 0; j < k; j++)
                    {
                        var t = testBits.AsSpan(j * words, words);
                        int c = 0;
                        for (int w = 0; w < words; w++) c += BitOperations.PopCount(mine[w] & t[w]);
                        dest[j] = inMean[c] - outMean[totals[j] - c];
                    }
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
