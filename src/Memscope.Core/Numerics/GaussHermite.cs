using MathNet.Numerics.LinearAlgebra;

namespace Memscope.Core.Numerics;

/// <summary>
/// Gauss–Hermite quadrature for expectations under the standard normal:
/// E[f(Z)] ≈ Σ_i w_i f(z_i), Z ~ N(0, 1), exact for polynomials of degree ≤ 2m−1.
/// Nodes and weights come from the Golub–Welsch eigenproblem of the probabilists' Hermite Jacobi matrix
/// (diagonal 0, off-diagonal √k).
/// </summary>
public sealed class GaussHermite
{
    private static readonly Dictionary<int, GaussHermite> Cache = new();
    public double[] Nodes { get; }
    public double[] Weights { get; }

    private GaussHermite(int m)
    {
        var jacobi = Matrix<double>.Build.Dense(m, m);
        for (int k = 1; k < m; k++)
        {
            jacobi[k, k - 1] = Math.Sqrt(k);
            jacobi[k - 1, k] = Math.Sqrt(k);
        }
        var evd = jacobi.Evd(Symmetricity.Symmetric);
        Nodes = new double[m];
        Weights = new double[m];
        var order = Enumerable.Range(0, m).OrderBy(i => evd.EigenValues[i].Real).ToArray();
        for (int j = 0; j < m; j++)
        {
            int i = order[j];
            Nodes[j] = evd.EigenValues[i].Real;
            double v0 = evd.EigenVectors[0, i];
            Weights[j] = v0 * v0; // the weight function N(0,1) has total mass 1
        }
    }

    /// <summary>The m-point rule (cached; thread-safe).</summary>
    public static GaussHermite Rule(int m)
    {
        if (m < 1 || m > 400) throw new ArgumentOutOfRangeException(nameof(m), "number of nodes must be in [1, 400]");
        lock (Cache)
        {
            if (!Cache.TryGetValue(m, out var rule)) Cache[m] = rule = new GaussHermite(m);
            return rule;
        }
    }

    /// <summary>E[f(Z)] for Z ~ N(0, 1).</summary>
    public double ExpectStandardNormal(Func<double, double> f)
    {
        double s = 0;
        for (int i = 0; i < Nodes.Length; i++) s += Weights[i] * f(Nodes[i]);
        return s;
    }
}
