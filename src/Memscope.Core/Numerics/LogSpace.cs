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
        return x > -0.6931471805599453 ? Math.Log(-double.ExpM1(x)) : double.LogP1(-Math.Exp(x));
    }
}
