namespace Memscope.Influence.Estimators;

/// <summary>
/// Per-training-example FZ memorization estimates (FZ eq. 1 subsampled, FZ Algorithm 1). All arrays have one entry
/// per training example. An example with no IN model or no OUT model (<see cref="InCount"/> or
/// <see cref="OutCount"/> is 0) has NaN in <see cref="Memorization"/> and <see cref="StdError"/> and is flagged in
/// <see cref="Undefined"/>.
/// </summary>
public sealed record MemorizationResult(
    double[] Memorization,
    double[] StdError,
    double[] InAccuracy,
    double[] OutAccuracy,
    int[] InCount,
    int[] OutCount,
    bool[] Undefined,
    int UndefinedCount,
    int ModelsUsed,
    int ModelsExcluded)
{
    /// <summary>Number of training examples.</summary>
    public int Count => Memorization.Length;
}
