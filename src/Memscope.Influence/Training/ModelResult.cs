namespace Memscope.Influence.Training;

/// <summary>
/// What one trained model leaves behind: correctness and the LiRA statistic on every train and test example.
/// The margin is the logit-scaled true-class confidence φ = z_y − log Σ_{c≠y} e^{z_c} (LiRA §4).
/// An excluded model (non-finite loss) carries the reason and no arrays.
/// </summary>
public sealed record ModelResult
{
    public required int Model { get; init; }
    public bool[] TrainCorrect { get; init; } = [];
    public bool[] TestCorrect { get; init; } = [];
    public float[] TrainMargin { get; init; } = [];
    public float[] TestMargin { get; init; } = [];
    public double FinalLoss { get; init; }
    public string? ExcludedReason { get; init; }
    public bool Excluded => ExcludedReason is not null;
}
