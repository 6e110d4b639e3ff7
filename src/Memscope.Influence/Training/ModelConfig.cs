using Memscope.Core;

namespace Memscope.Influence.Training;

/// <summary>The learner and its training hyper-parameters: part of the run's manifest.</summary>
public sealed record ModelConfig
{
    /// <summary>mlp, logistic or knn1.</summary>
    public required string Learner { get; init; }
    /// <summary>Hidden layer widths of the MLP (ignored by logistic and knn1).</summary>
    public int[] Hidden { get; init; } = [256];
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0;

    public static readonly string[] Learners = ["mlp", "logistic", "knn1"];

    public void Validate()
    {
        UsageException.Require(Learners.Contains(Learner), $"--learner must be one of {string.Join(", ", Learners)}, got '{Learner}'");
        UsageException.Require(Epochs >= 1, $"--epochs must be ≥ 1, got {Epochs}");
        UsageException.Require(BatchSize >= 1, $"--batch-size must be ≥ 1, got {BatchSize}");
        UsageException.Require(LearningRate > 0, $"--lr must be > 0, got {LearningRate}");
        UsageException.Require(Hidden.Length >= 1 && Hidden.All(h => h >= 1), "--hidden needs one or more positive widths, e.g. 256 or 512,128");
    }
}
