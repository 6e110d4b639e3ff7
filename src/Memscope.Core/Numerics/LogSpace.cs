namespace Memscope.Core.Numerics;

/// <summary>Helpers for arithmetic on natural logarithms of probabilities.</summary>
public static class LogSpace
{
    /// <summary>log(e^a + e^b) without overflow.</summary>
    public static double Add(double a, double b)
    {
        if (a == double.NegativeInfinity) return b;
        if (b == double.NegativeInfinity) return a;
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    /// <summary>log(1 − e^x) for x ≤ 0, accurate near both ends (Mächler 2012).</summary>
    public static double Log1mExp(double x)
    {
        if (x > 0) throw new ArgumentOutOfRangeException(nameof(x), "x must be ≤ 0");
        if (x == 0) return double.NegativeInfinity;
        return x > -0.6931471805599453 ? Math.Log(-ExpM1(x)) : Log1p(-Math.Exp(x));
    }

    /// <summary>
    /// log(1 + x), accurate for tiny |x| (Goldberg 1991: log(u)·x/(u − 1) with u = 1 + x). .NET's double.LogP1 is
    /// computed as Log(x + 1) and loses all precision for |x| below 1e-16.
    /// </summary>
    public static double Log1p(double x)
    {
        if (x < -1) throw new ArgumentOutOfRangeException(nameof(x), "x must be ≥ −1");
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return Math.Log(x);
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x − 1, accurate for tiny |x| (MathNet's ExponentialMinusOne).</summary>
    public static double ExpM1(double x) => MathNet.Numerics.SpecialFunctions.ExponentialMinusOne(x);
}
