using Memscope.Influence.Data;

namespace Memscope.Influence.Training;

/// <summary>
/// A learner for the FZ experiment: trains one model on the masked subset and reports its outputs on every train and
/// test example. Implementations must derive all randomness from (seed, model index) and run on the calling thread,
/// so that a model's result does not depend on grouping, sharding or thread count.
/// </summary>
public interface IFzLearner : IDisposable
{
    string Name { get; }
    ModelResult Train(int model, bool[] mask);
}

/// <summary>Creates learners by name.</summary>
public static class FzLearners
{
    public static IFzLearner Create(ModelConfig config, LabeledDataset train, LabeledDataset test, ulong seed, string device = "cpu")
    {
        config.Validate();
        return config.Learner switch
        {
            "knn1" => new NearestNeighbourLearner(train, test),
            _ => new TorchClassifierLearner(config, train, test, seed, device),
        };
    }
}
