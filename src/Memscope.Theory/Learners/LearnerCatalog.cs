using Memscope.Core;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>The learners by CLI name, and which problem each fits.</summary>
public static class LearnerCatalog
{
    public static readonly IReadOnlyDictionary<string, string[]> NamesByProblem = new Dictionary<string, string[]>
    {
        ["gaussian"] = ["quantized-mean", "noisy-mean", "store-one"],
        ["boolean"] = ["majority", "majority-full", "store-one"],
        ["sparse"] = ["sparse-constant", "store-one"],
    };

    public static string[] AllNames => ["quantized-mean", "majority", "majority-full", "sparse-constant", "store-one", "noisy-mean"];

    /// <summary>Learners for <paramref name="problem"/>: "all" or a comma-separated list of names.</summary>
    public static IReadOnlyList<TheoryLearner<T>> Create<T>(ClusteringProblem<T> problem, string spec, LearnerSettings? settings = null)
    {
        settings ??= new LearnerSettings();
        var fits = NamesByProblem[problem.Name];
        var names = spec == "all" ? fits : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        UsageException.Require(names.Length > 0, "--learner is empty; name one of " + string.Join(", ", fits) + " or 'all'");
        var result = new List<TheoryLearner<T>>();
        foreach (var name in names)
        {
            UsageException.Require(AllNames.Contains(name), $"unknown learner '{name}'; learners are {string.Join(", ", AllNames)}");
            UsageException.Require(fits.Contains(name), $"learner '{name}' does not fit the {problem.Name} problem; use one of {string.Join(", ", fits)}");
            TheoryLearner learner = (problem, name) switch
            {
                (GaussianClustering g, "quantized-mean") => new QuantizedMeanLearner(g, settings.QuantizerBits),
                (GaussianClustering g, "noisy-mean") => new NoisyMeanLearner(g, settings.NoiseVariance),
                (GaussianClustering g, "store-one") => new StoreOneGaussianLearner(g, settings.QuantizerBits),
                (BooleanClustering b, "majority") => new MajorityVoteLearner(b, full: false),
                (BooleanClustering b, "majority-full") => new MajorityVoteLearner(b, full: true),
                (SparseHypercube s, "sparse-constant") => new SparseConstantLearner(s),
                (ClusteringProblem<sbyte> p, "store-one") => new StoreOneSignLearner(p),
                _ => throw new UsageException($"learner '{name}' does not fit the {problem.Name} problem"),
            };
            result.Add((TheoryLearner<T>)learner);
        }
        return result;
    }
}

/// <summary>Optional overrides of the learners' automatic sizing.</summary>
public sealed record LearnerSettings
{
    /// <summary>Bits per coordinate for the Gaussian quantizers (default: automatic).</summary>
    public int? QuantizerBits { get; init; }
    /// <summary>Noise variance s² of the noisy mean (default: the largest that meets α/2).</summary>
    public double? NoiseVariance { get; init; }
}
