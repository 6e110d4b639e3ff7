namespace Memscope.Influence.Estimators;

/// <summary>
/// A high-influence pair (FZ §4): training example <see cref="Train"/> and test example <see cref="Test"/> of the
/// same class <see cref="Label"/>, with mem(Train) and infl(Train, Test) at or above the thresholds.
/// </summary>
public readonly record struct InfluencePair(int Train, int Test, int Label, double Memorization, double Influence);

/// <summary>
/// The outcome of <see cref="InfluenceEstimator.FindHighInfluencePairs"/>: the pairs ordered by training index, then
/// test index; the memorization estimates they were selected with; and how many training examples passed the
/// memorization threshold (only their influence rows were computed).
/// </summary>
public sealed record HighInfluenceResult(
    IReadOnlyList<InfluencePair> Pairs,
    MemorizationResult Memorization,
    int CandidateTrainCount,
    double MemThreshold,
    double InflThreshold,
    int ModelsUsed,
    int ModelsExcluded);
