using Memscope.Core;
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
    /// <param name="ensemble">Models trained together (<c>--ensemble G</c>): G &gt; 1 needs the logistic learner on the
    /// CPU (<see cref="LogisticEnsembleLearner"/>); 1 is one model per call. Results do not depend on it.</param>
    public static IFzLearner Create(ModelConfig config, LabeledDataset train, LabeledDataset test, ulong seed, string device = "cpu", int ensemble = 1)
    {
        config.Validate();
        CheckEnsemble(config, ensemble);
        if (ensemble > 1) return new LogisticEnsembleLearner(config, train, test, seed, ensemble, device);
        return config.Learner switch
        {
            "knn1" => new NearestNeighbourLearner(train, test),
            _ => new TorchClassifierLearner(config, train, test, seed, device),
        };
    }

    /// <summary>The <c>--ensemble</c> rules: ≥ 1, and &gt; 1 only for the logistic learner (the MLP and knn1 train one model per call).</summary>
    public static void CheckEnsemble(ModelConfig config, int ensemble)
    {
        UsageException.Require(ensemble >= 1, $"--ensemble must be ≥ 1, got {ensemble}");
        UsageException.Require(ensemble == 1 || config.Learner == "logistic",
            $"--ensemble {ensemble}: batched ensembles are for --learner logistic only ({config.Learner} trains one model per thread); use --ensemble 1");
    }
}
