using Memscope.Core;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Audit;

/// <summary>The built-in learners of <c>memscope tradeoff</c> as audit targets (exact memorization known).</summary>
public static class AuditLearners
{
    public static bool IsTheoryLearner(string name) => LearnerCatalog.AllNames.Contains(name);

    public static ILearner Create(ClusteringProblem problem, string name, int n, double alpha, LearnerSettings? settings = null) => problem switch
    {
        ClusteringProblem<double> g => Wrap(g, name, n, alpha, settings),
        ClusteringProblem<sbyte> b => Wrap(b, name, n, alpha, settings),
        _ => throw new InvalidOperationException(),
    };

    private static ILearner Wrap<T>(ClusteringProblem<T> problem, string name, int n, double alpha, LearnerSettings? settings)
    {
        UsageException.Require(!name.Contains(',') && name != "all", "audit takes one --learner name");
        return new TheoryLearnerAdapter<T>(LearnerCatalog.Create(problem, name, settings)[0], n, alpha);
    }
}
