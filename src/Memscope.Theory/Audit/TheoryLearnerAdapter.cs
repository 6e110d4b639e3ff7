using Memscope.Core.Random;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Audit;

/// <summary>
/// A built-in learner of <c>memscope tradeoff</c> as an audit target: its output is its weight vector w (one feature per
/// coordinate), its error is exact, and its memorization is known exactly (<see cref="TheoryLearner.Memorization"/>).
/// </summary>
public sealed class TheoryLearnerAdapter<T>(TheoryLearner<T> learner, int n, double alpha) : ILearner
{
    public TheoryLearner<T> Learner { get; } = learner;
    public LearnerPlan Plan { get; } = learner.Plan(n, alpha);
    public string Name => Learner.Name;

    public MemorizationValue ExactMemorization => Learner.Memorization(Plan);

    /// <summary>The typed path the audit uses (no conversion of the draw).</summary>
    public LearnerOutput Train(Draw<T> draw, Rng rng)
    {
        var w = new double[draw.D];
        double err = Learner.Fit(Plan, draw, rng, w);
        return new LearnerOutput { Features = w, ExactError = err };
    }

    public LearnerOutput Train(AuditTrainingSet data, Rng rng) =>
        throw new NotSupportedException("built-in learners are trained on the typed draw; ShadowAudit calls Train(Draw<T>, Rng)");
}
