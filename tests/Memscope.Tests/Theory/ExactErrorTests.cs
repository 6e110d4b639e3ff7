using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Tests.Theory;

/// <summary>The exact error formulas against Monte Carlo over real test points drawn from the test mixture.</summary>
public class ExactErrorTests
{
    private const int TestPoints = 40_000;

    private static void AssertWithin(double exact, int wrong, int total)
    {
        double mc = wrong / (double)total;
        double sd = Math.Sqrt(exact * (1 - exact) / total);
        Assert.InRange(mc, exact - 5 * sd - 1e-9, exact + 5 * sd + 1e-9);
    }

    [Fact]
    public void GaussianLinearRule()
    {
        var g = new GaussianClustering(400, 0.35);
        var rng = new Rng(11, "exact-error/gaussian", 0);
        var draw = g.SampleDraw(rng, 3);
        var w = new double[g.D];
        for (int i = 0; i < 3; i++) for (int j = 0; j < g.D; j++) w[j] += draw.X[i * g.D + j] / 3;
        double t = 0.35 * 0.35 * g.D / 2;
        var x = new double[TestPoints * g.D];
        var y = new byte[TestPoints];
        g.SampleTest(rng, draw.Theta, TestPoints, x, y);
        int wrong = 0;
        for (int i = 0; i < TestPoints; i++)
        {
            double dot = 0;
            for (int j = 0; j < g.D; j++) dot += w[j] * x[i * g.D + j];
            if ((dot >= t ? 1 : 0) != y[i]) wrong++;
        }
        double exact = g.ExactError(draw.Theta, w, t);
        Assert.InRange(exact, 0.02, 0.4); // a non-trivial rule, so the check has power
        AssertWithin(exact, wrong, TestPoints);
    }

    [Theory]
    [InlineData("boolean")]
    [InlineData("sparse")]
    public void SignRule(string name)
    {
        ClusteringProblem<sbyte> p = name == "boolean" ? new BooleanClustering(300, 0.3) : new SparseHypercube(300, 0.08);
        var rng = new Rng(12, "exact-error/" + name, 0);
        var draw = p.SampleDraw(rng, 1);
        var w = draw.Sample(0).ToArray();
        for (int j = 0; j < 40; j++) w[j] = 0; // a partial support
        double t = name == "boolean" ? 10 : 6; // even, like m = 260: ⟨w, x⟩ = t occurs, so the tie rule (h = 1) is exercised
        var x = new sbyte[TestPoints * p.D];
        var y = new byte[TestPoints];
        p.SampleTest(rng, draw.Theta, TestPoints, x, y);
        int wrong = 0;
        for (int i = 0; i < TestPoints; i++)
        {
            int dot = 0;
            for (int j = 0; j < p.D; j++) dot += w[j] * x[i * p.D + j];
            if ((dot >= t ? 1 : 0) != y[i]) wrong++;
        }
        double exact = p is BooleanClustering b ? b.ExactError(draw.Theta, w, t) : ((SparseHypercube)p).ExactError(draw.Theta, w, t);
        Assert.InRange(exact, 0.02, 0.45);
        AssertWithin(exact, wrong, TestPoints);
    }
}
