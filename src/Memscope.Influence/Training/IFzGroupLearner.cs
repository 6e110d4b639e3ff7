namespace Memscope.Influence.Training;

/// <summary>
/// A learner that trains several models in one call (an ensemble group). Each model's result must be exactly what
/// <see cref="IFzLearner.Train"/> gives for it alone, whatever the group's size and members, so that grouping, like
/// threads and shards, never changes a run's stored numbers.
/// </summary>
public interface IFzGroupLearner : IFzLearner
{
    /// <summary>The most models trained together (the <c>--ensemble</c> size G).</summary>
    int GroupSize { get; }

    /// <summary>Trains models[j] on masks[j] for every j, together; results in the same order.</summary>
    ModelResult[] TrainGroup(IReadOnlyList<int> models, IReadOnlyList<bool[]> masks);
}
