namespace Memscope.Core.Probability;

/// <summary>
/// The Binomial(n, p) pmf on the window of k where it is not negligible (mean ± 40σ + 20, clipped to [0, n]).
/// The window spans ≥ 40 standard deviations plus 20 on each side (Chernoff: mass outside ≪ 1e-80 for every n, p measured). Also holds the cumulative sums used for exact convolution tails.
/// </summary>
public sealed class BinomialPmfWindow
{
    public int N { get; }
    public double P { get; }
    /// <summary>First k in the window.</summary>
    public int Lo { get; }
    /// <summary>Last k in the window.</summary>
    public int Hi { get; }
    private readonly double[] _pmf;
    private readonly double[] _cdf; // Pr[X ≤ Lo + i]
    private readonly double[] _sf;  // Pr[X ≥ Lo + i]

    public BinomialPmfWindow(int n, double p)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be ≥ 0");
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), "p must be in [0, 1]");
        N = n; P = p;
        double mean = n * p, sd = Math.Sqrt(n * p * (1 - p));
        Lo = (int)Math.Max(0, Math.Floor(mean - 40 * sd - 20));
        Hi = (int)Math.Min(n, Math.Ceiling(mean + 40 * sd + 20));
        int len = Hi - Lo + 1;
        _pmf = new double[len];
        if (p == 0 || p == 1)
        {
            int k0 = p == 0 ? 0 : n;
            _pmf[k0 - Lo] = 1;
        }
        else
        {
            int mode = Math.Clamp((int)Math.Floor((n + 1) * p), Lo, Hi);
            double logMode = BinomialTails.LogPmf(mode, n, p);
            double r = p / (1 - p);
            _pmf[mode - Lo] = Math.Exp(logMode);
            for (int k = mode; k < Hi; k++)
                _pmf[k + 1 - Lo] = _pmf[k - Lo] * ((n - k) / (double)(k + 1)) * r;
            for (int k = mode; k > Lo; k--)
                _pmf[k - 1 - Lo] = _pmf[k - Lo] * (k / (double)(n - k + 1)) / r;
        }
        _cdf = new double[len];
        _sf = new double[len];
        double acc = 0;
        for (int i = 0; i < len; i++) { acc += _pmf[i]; _cdf[i] = acc; }
        acc = 0;
        for (int i = len - 1; i >= 0; i--) { acc += _pmf[i]; _sf[i] = acc; }
    }

    /// <summary>Pr[X = k].</summary>
    public double Pmf(int k) => k < Lo || k > Hi ? 0 : _pmf[k - Lo];

    /// <summary>Pr[X ≤ k].</summary>
    public double Cdf(int k) => k < Lo ? 0 : k >= Hi ? 1 : Math.Min(1, _cdf[k - Lo]);

    /// <summary>Pr[X ≥ k].</summary>
    public double Sf(int k) => k <= Lo ? 1 : k > Hi ? 0 : Math.Min(1, _sf[k - Lo]);
}
