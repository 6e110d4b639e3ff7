using Memscope.Core;

namespace Memscope.Facts.Training;

/// <summary>AdamW with linear warm-up then cosine decay to 10% of the peak rate; loss on the value tokens only.</summary>
public sealed record TrainSettings
{
    public int Steps { get; init; } = 2000;
    public int BatchSize { get; init; } = 512;
    public double LearningRate { get; init; } = 3e-3;
    public int WarmupSteps { get; init; } = 200;
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>Evaluate K and the other metrics every this many steps (and at the end).</summary>
    public int EvalEvery { get; init; } = 250;
    public ulong Seed { get; init; } = 1;

    public void Validate()
    {
        UsageException.Require(Steps >= 1, $"steps must be ≥ 1, got {Steps}");
        UsageException.Require(BatchSize >= 1, $"batch size must be ≥ 1, got {BatchSize}");
        UsageException.Require(LearningRate > 0, $"learning rate must be > 0, got {LearningRate}");
        UsageException.Require(WarmupSteps >= 0 && WarmupSteps < Steps, $"warm-up ({WarmupSteps}) must be in [0, steps)");
        UsageException.Require(EvalEvery >= 1, $"eval interval must be ≥ 1, got {EvalEvery}");
    }

    /// <summary>Learning rate at step s (0-based): linear warm-up, then cosine from the peak to 10% of it.</summary>
    public double RateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = (step - WarmupSteps) / (double)Math.Max(1, Steps - WarmupSteps);
        return LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
