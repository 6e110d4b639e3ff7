using Memscope.Core;
using Memscope.Facts.Model;
using Memscope.Facts.Training;

namespace Memscope.Facts.Experiments;

/// <summary>
/// The experiment sizes (ref. §4, CPU scale). <c>quick</c> runs all three experiments in minutes on 2 cores;
/// <c>full</c> follows the reference plan (U = 16,384, L = 2, d = 32, 4,000 steps of 512).
/// </summary>
public sealed record FactsPreset
{
    public required string Name { get; init; }
    public required int Universe { get; init; }
    public required int Layers { get; init; }
    public required int Width { get; init; }
    public required int Heads { get; init; }
    public required TrainSettings Train { get; init; }
    public required int[] CapacityM { get; init; }
    public required double[] SkewAlphas { get; init; }
    /// <summary>Sizes n of the fixed data sets of experiment B (drawn once, trained on for the same steps).</summary>
    public required int[] FixedDatasetSizes { get; init; }
    public required double[] PruneAlphas { get; init; }
    public required int Seeds { get; init; }
    /// <summary>Exposure cap of arm C3.</summary>
    public required int ExposureCap { get; init; }

    public GptConfig Model(int vocab, int context) => new(Layers, Width, Heads, vocab, context);

    public static FactsPreset Quick => new()
    {
        Name = "quick", Universe = 4096, Layers = 2, Width = 24, Heads = 4,
        // 3,000 steps: at 1,500 the same model recalled 316 of 1,000 uniform facts, at 3,000 it recalled 843 (under-training)
        Train = new TrainSettings { Steps = 3000, BatchSize = 256, LearningRate = 3e-3, WarmupSteps = 150, EvalEvery = 500 },
        CapacityM = [250, 500, 1000, 2000, 4000],
        SkewAlphas = [0, 0.5, 1.0, 1.25],
        FixedDatasetSizes = [20_000, 100_000],
        PruneAlphas = [1.0],
        Seeds = 3,
        ExposureCap = 600,
    };

    public static FactsPreset Full => new()
    {
        Name = "full", Universe = 16384, Layers = 2, Width = 32, Heads = 4,
        Train = new TrainSettings { Steps = 4000, BatchSize = 512, LearningRate = 3e-3, WarmupSteps = 200, EvalEvery = 250 },
        CapacityM = [500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000],
        SkewAlphas = [0, 0.5, 1.0, 1.25],
        FixedDatasetSizes = [20_000, 50_000, 200_000, 1_000_000],
        PruneAlphas = [1.0, 0.0],
        Seeds = 3,
        ExposureCap = 1000,
    };

    public static FactsPreset ByName(string name) => name switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new UsageException($"--preset must be quick or full, got '{name}'"),
    };
}
