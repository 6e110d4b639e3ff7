using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Audit;

/// <summary>
/// A learner that <c>memscope audit</c> (and <see cref="ShadowAudit"/>) can certify: given n positives from P_θ it returns
/// its output (parameters) and a classifier. Implement this to audit your own C# learner. The learner may draw fresh
/// null samples from P_0 (<see cref="AuditTrainingSet.SampleNull"/>), which is legitimate because P_0 is known.
/// </summary>
public interface ILearner
{
    /// <summary>Name shown in reports.</summary>
    string Name { get; }

    /// <summary>Trains on one training set. Use only <paramref name="rng"/> for randomness so audits are reproducible.</summary>
    LearnerOutput Train(AuditTrainingSet data, Rng rng);

    /// <summary>Whether several training sets may be processed at the same time on different threads.</summary>
    bool ParallelSafe => true;
}

/// <summary>One training set X_{1:n} (positives only, as in FKL §2), with access to the known null law P_0.</summary>
public sealed class AuditTrainingSet(ClusteringProblem problem, int n, double[] x, double alpha)
{
    public ClusteringProblem Problem { get; } = problem;
    public int N { get; } = n;
    public int D => Problem.D;
    /// <summary>X[i·d + j] is coordinate j of sample i; ±1 for the Boolean problems.</summary>
    public double[] X { get; } = x;
    /// <summary>The target error the audit was asked for (learners may size themselves for it).</summary>
    public double Alpha { get; } = alpha;
    public ReadOnlySpan<double> Sample(int i) => X.AsSpan(i * D, D);

    /// <summary>count fresh points from P_0, row-major (count·d).</summary>
    public double[] SampleNull(int count, Rng rng) => ProblemSampling.Null(Problem, count, rng);
}

/// <summary>
/// A trained learner's output. <see cref="Features"/> holds K numbers per coordinate j (row-major d × K): the
/// parameters the reconstruction attack reads, e.g. the weight w_j of a linear model or the column j of a first layer.
/// </summary>
public sealed record LearnerOutput
{
    public required double[] Features { get; init; }
    public int FeaturesPerCoordinate { get; init; } = 1;
    /// <summary>The exact test error for this θ when the learner can compute it; otherwise the audit estimates it with <see cref="Classify"/>.</summary>
    public double? ExactError { get; init; }
    /// <summary>Labels (true = "in the cluster") for count points stored row-major.</summary>
    public Func<double[], int, bool[]>? Classify { get; init; }
}

/// <summary>Sampling helpers that hide the element type (double for Gaussian, ±1 as double for Boolean).</summary>
public static class ProblemSampling
{
    public static double[] Null(ClusteringProblem problem, int count, Rng rng)
    {
        var dest = new double[count * problem.D];
        switch (problem)
        {
            case ClusteringProblem<double> g: g.SampleNull(rng, count, dest); break;
            case ClusteringProblem<sbyte> b:
                var s = new sbyte[dest.Length];
                b.SampleNull(rng, count, s);
                for (int i = 0; i < s.Length; i++) dest[i] = s[i];
                break;
            default: throw new InvalidOperationException();
        }
        return dest;
    }

    public static double[] ToDouble<T>(T[] values) => values switch
    {
        double[] d => (double[])d.Clone(),
        sbyte[] s => s.Select(v => (double)v).ToArray(),
        _ => throw new InvalidOperationException(),
    };
}
