using System.Globalization;
using Memscope.Core;

namespace Memscope.Theory.Sdpi;

/// <summary>
/// A joint law P(A = a, B = b) over finite alphabets, rows a (the channel's input) and columns b (its output).
/// Built from a CSV matrix, or from a channel P(B | A) and an input law P_A.
/// </summary>
public sealed class JointDistribution
{
    /// <summary>Tolerance on Σ P = 1 (and on each channel row summing to 1).</summary>
    public const double SumTolerance = 1e-6;

    public double[,] P { get; }
    public int Rows => P.GetLength(0);
    public int Cols => P.GetLength(1);
    public double[] MarginalA { get; }
    public double[] MarginalB { get; }

    public JointDistribution(double[,] p, string source = "joint", bool normalize = false)
    {
        int ra = p.GetLength(0), cb = p.GetLength(1);
        UsageException.Require(ra >= 1 && cb >= 1, $"{source}: the matrix is empty; give one CSV row per value of A");
        double sum = 0;
        for (int a = 0; a < ra; a++)
            for (int b = 0; b < cb; b++)
            {
                double v = p[a, b];
                UsageException.Require(double.IsFinite(v), $"{source}: entry ({a + 1}, {b + 1}) is {v}; probabilities must be finite numbers");
                UsageException.Require(v >= 0, $"{source}: entry ({a + 1}, {b + 1}) is negative ({v.ToString(CultureInfo.InvariantCulture)}); probabilities must be ≥ 0");
                sum += v;
            }
        UsageException.Require(sum > 0, $"{source}: all entries are 0; a joint law must have positive mass");
        if (!normalize)
            UsageException.Require(Math.Abs(sum - 1) <= SumTolerance,
                $"{source}: entries sum to {sum.ToString("G10", CultureInfo.InvariantCulture)}, not 1 (tolerance {SumTolerance:G}); fix the file or pass --normalize to divide by the sum");
        P = new double[ra, cb];
        MarginalA = new double[ra];
        MarginalB = new double[cb];
        for (int a = 0; a < ra; a++)
            for (int b = 0; b < cb; b++)
            {
                double v = p[a, b] / sum;
                P[a, b] = v;
                MarginalA[a] += v;
                MarginalB[b] += v;
            }
    }

    /// <summary>P(A = a, B = b) = P_A(a)·W(b | a): a channel (rows sum to 1) and an input law.</summary>
    public static JointDistribution FromChannel(double[,] channel, double[] input, string source = "channel")
    {
        int ra = channel.GetLength(0), cb = channel.GetLength(1);
        UsageException.Require(ra >= 1 && cb >= 1, $"{source}: the channel matrix is empty; give one CSV row P(B | A=a) per input a");
        UsageException.Require(input.Length == ra, $"{source}: the input law has {input.Length} entries but the channel has {ra} rows; give one probability per row");
        double inSum = 0;
        foreach (double q in input)
        {
            UsageException.Require(double.IsFinite(q) && q >= 0, $"--input: entries must be finite and ≥ 0, got {q.ToString(CultureInfo.InvariantCulture)}");
            inSum += q;
        }
        UsageException.Require(Math.Abs(inSum - 1) <= SumTolerance, $"--input: entries sum to {inSum.ToString("G10", CultureInfo.InvariantCulture)}, not 1");
        var p = new double[ra, cb];
        for (int a = 0; a < ra; a++)
        {
            double row = 0;
            for (int b = 0; b < cb; b++)
            {
                double w = channel[a, b];
                UsageException.Require(double.IsFinite(w) && w >= 0, $"{source}: entry ({a + 1}, {b + 1}) is {w.ToString(CultureInfo.InvariantCulture)}; transition probabilities must be ≥ 0");
                row += w;
                p[a, b] = input[a] * w;
            }
            UsageException.Require(Math.Abs(row - 1) <= SumTolerance, $"{source}: row {a + 1} sums to {row.ToString("G10", CultureInfo.InvariantCulture)}, not 1; each row is P(B | A=a)");
        }
        return new JointDistribution(p, source);
    }

    /// <summary>The joint of (B, A): rows and columns swapped.</summary>
    public JointDistribution Transpose()
    {
        var t = new double[Cols, Rows];
        for (int a = 0; a < Rows; a++) for (int b = 0; b < Cols; b++) t[b, a] = P[a, b];
        return new JointDistribution(t, "transpose", normalize: true);
    }

    /// <summary>The joint of the product channel with independent inputs: P((a1,a2),(b1,b2)) = P1(a1,b1)·P2(a2,b2).</summary>
    public static JointDistribution Product(JointDistribution x, JointDistribution y)
    {
        var p = new double[x.Rows * y.Rows, x.Cols * y.Cols];
        for (int a1 = 0; a1 < x.Rows; a1++) for (int a2 = 0; a2 < y.Rows; a2++)
            for (int b1 = 0; b1 < x.Cols; b1++) for (int b2 = 0; b2 < y.Cols; b2++)
                p[a1 * y.Rows + a2, b1 * y.Cols + b2] = x.P[a1, b1] * y.P[a2, b2];
        return new JointDistribution(p, "product", normalize: true);
    }

    /// <summary>Parses a CSV matrix (no header; comma, semicolon, tab or space separated; blank lines and # comments skipped).</summary>
    public static double[,] ParseMatrix(string text, string source)
    {
        var rows = new List<double[]>();
        var lines = text.Split('\n');
        for (int li = 0; li < lines.Length; li++)
        {
            string line = lines[li].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split([',', ';', '\t', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var row = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
                UsageException.Require(double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]),
                    $"{source}: line {li + 1}, column {c + 1}: '{cells[c]}' is not a number; the file is a CSV matrix of probabilities without header");
            if (rows.Count > 0)
                UsageException.Require(row.Length == rows[0].Length,
                    $"{source}: line {li + 1} has {row.Length} entries but the first row has {rows[0].Length}; every row needs one entry per value of B");
            rows.Add(row);
        }
        UsageException.Require(rows.Count > 0, $"{source}: no numbers found; the file must be a CSV matrix with one row per value of A");
        var m = new double[rows.Count, rows[0].Length];
        for (int a = 0; a < rows.Count; a++) for (int b = 0; b < rows[0].Length; b++) m[a, b] = rows[a][b];
        return m;
    }

    public static double[,] ReadMatrix(string path)
    {
        UsageException.Require(File.Exists(path), $"file '{path}' not found; give a CSV matrix of P(A=a, B=b), one row per a");
        return ParseMatrix(File.ReadAllText(path), path);
    }

    /// <summary>Parses an input law "0.5,0.5" or reads it from a file (one row or one column of numbers).</summary>
    public static double[] ParseVector(string textOrPath)
    {
        string text = File.Exists(textOrPath) ? File.ReadAllText(textOrPath) : textOrPath;
        var m = ParseMatrix(text, "--input");
        int r = m.GetLength(0), c = m.GetLength(1);
        UsageException.Require(r == 1 || c == 1, "--input: give the input law as one row (0.5,0.5) or one column of numbers");
        var v = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) v[i * c + j] = m[i, j];
        return v;
    }
}
