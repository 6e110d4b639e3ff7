using Memscope.Facts.Training;

namespace Memscope.Facts.Experiments;

/// <summary>One training run as recorded in results.json.</summary>
public sealed record FactRunRecord
{
    public required string Experiment { get; init; }
    public required string Arm { get; init; }
    /// <summary>Distinct facts in the training distribution (capacity runs), else the universe size.</summary>
    public required int M { get; init; }
    public required double Alpha { get; init; }
    public int? DatasetSize { get; init; }
    public int? Keep { get; init; }
    public required ulong Seed { get; init; }
    public required long Parameters { get; init; }
    public required int K { get; init; }
    public required double FrequencyWeightedAccuracy { get; init; }
    public required double LossBits { get; init; }
    public required double BitsPerParameter { get; init; }
    public required int Steps { get; init; }
    public required long Sequences { get; init; }
    public required long DistinctFactsTrained { get; init; }
    /// <summary>Sequences scored by forward passes only (C4's selection); 0 for the other arms.</summary>
    public long ScoredSequences { get; init; }
    /// <summary>Training FLOPs (6·P per token) plus selection FLOPs (2·P per scored token), to compare arms at equal compute.</summary>
    public double Flops { get; init; }
    public required double Seconds { get; init; }
    public required double TokensPerSecond { get; init; }
    public required IReadOnlyList<TrainingPoint> Trajectory { get; init; }
    /// <summary>Exact-recall accuracy by frequency-rank bin (bins of doubling width: ranks 1, 2–3, 4–7, …).</summary>
    public double[]? AccuracyByRankBin { get; init; }
}
