using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// A learner's configuration at sample size n, fixed before it sees data: which coordinates it keeps, its threshold,
/// its quantizer or noise. Learners know Ψ, P_0 and the problem parameter, as in FKL.
/// </summary>
public sealed record LearnerPlan
{
    public required int N { get; init; }
    /// <summary>Coordinates the classifier uses (ℓ, t, or d).</summary>
    public required int CoordsKept { get; init; }
    /// <summary>Threshold of the linear rule h(x) = 1{⟨w, x⟩ ≥ t}. For the sparse learner: the fraction π_n/2 of |Ŝ^ℓ|.</summary>
    public required double Threshold { get; init; }
    /// <summary>The error the plan was sized for (by a Gaussian approximation); the measured error is exact.</summary>
    public required double TargetError { get; init; }
    public int? QuantizerBits { get; init; }
    public double? ClipRange { get; init; }
    public double? NoiseVariance { get; init; }
    /// <summary>Set when the plan cannot reach the target (e.g. ℓ capped at d).</summary>
    public string? Note { get; init; }
}

/// <summary>mem_n = I(A(X_{1:n}); X_{1:n} | θ) of a learner in bits, how it was computed, and its standard error (0 when exact).</summary>
public sealed record MemorizationValue(double Bits, double StdError, string Method);

/// <summary>A learner for one clustering problem: plan, exact memorization, and per-draw exact test error.</summary>
public abstract class TheoryLearner
{
    /// <summary>CLI name (quantized-mean, majority, majority-full, sparse-constant, store-one, noisy-mean).</summary>
    public abstract string Name { get; }
    public abstract ClusteringProblem Problem { get; }
    public abstract LearnerPlan Plan(int n, double alpha);
    public abstract MemorizationValue Memorization(LearnerPlan plan);

    /// <summary>z* = Φ⁻¹(1 − α/2): the learners size themselves for error α/2 to leave room for draw-to-draw spread.</summary>
    protected static double TargetZ(double alpha) => NormalTails.InvCdf(1 - alpha / 2);
}

/// <summary>A learner over draws with element type <typeparamref name="T"/>.</summary>
public abstract class TheoryLearner<T> : TheoryLearner
{
    /// <summary>
    /// Fits on one draw (θ, X_{1:n}) and returns the exact test error of the learned classifier for that θ.
    /// <paramref name="rng"/> is the learner's own stream (for its internal randomness, e.g. noise).
    /// </summary>
    public double TrialError(LearnerPlan plan, Draw<T> draw, Rng rng) => Fit(plan, draw, rng, null);

    /// <summary>
    /// Fits on one draw and returns the exact test error, as <see cref="TrialError"/>. When <paramref name="output"/> is
    /// given (length d) it receives the learner's output: the weight vector w of h(x) = 1{⟨w, x⟩ ≥ t}, 0 on the
    /// coordinates the classifier ignores (what <c>memscope audit</c> attacks).
    /// </summary>
    public abstract double Fit(LearnerPlan plan, Draw<T> draw, Rng rng, double[]? output);

    protected static void Export(ReadOnlySpan<double> w, double[]? output)
    {
        if (output is null) return;
        Array.Clear(output);
        w.CopyTo(output);
    }

    protected static void Export(ReadOnlySpan<sbyte> w, double[]? output)
    {
        if (output is null) return;
        Array.Clear(output);
        for (int j = 0; j < w.Length; j++) output[j] = w[j];
    }
}
