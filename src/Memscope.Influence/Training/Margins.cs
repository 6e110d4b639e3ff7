using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>Correctness and the LiRA statistic from a row of logits.</summary>
public static class Margins
{
    /// <summary>
    /// φ = z_y − log Σ_{c≠y} e^{z_c}: the log-odds of the softmax probability of the true class (LiRA §4's
    /// logit scaling, computed stably without forming the probability).
    /// </summary>
    public static float LogitMargin(ReadOnlySpan<float> logits, int label)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < logits.Length; c++) if (c != label && logits[c] > max) max = logits[c];
        double s = 0;
        for (int c = 0; c < logits.Length; c++) if (c != label) s += Math.Exp(logits[c] - max);
        return (float)(logits[label] - (max + Math.Log(s)));
    }

    /// <summary>
    /// Correctness and <see cref="LogitMargin"/> on every example of <paramref name="x"/> ([n × d]), in chunks of 4,096
    /// rows: <paramref name="logitsT"/> maps a chunk given feature-major ([d × rows]) to its logits ([classes × rows]).
    /// </summary>
    public static (bool[] Correct, float[] Margin) Evaluate(Tensor x, int[] labels, int classes, Func<Tensor, Tensor> logitsT)
    {
        int n = labels.Length;
        var correct = new bool[n];
        var margin = new float[n];
        const int Chunk = 4096;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int len = Math.Min(Chunk, n - start);
            var logits = logitsT(x.narrow(0, start, len).t()).t().contiguous().cpu().data<float>().ToArray();
            for (int r = 0; r < len; r++)
            {
                var row = logits.AsSpan(r * classes, classes);
                int y = labels[start + r];
                correct[start + r] = ArgMax(row) == y;
                margin[start + r] = LogitMargin(row, y);
            }
        }
        return (correct, margin);
    }

    /// <summary>Predicted class = the first index of the largest logit (deterministic tie-breaking).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int c = 1; c < logits.Length; c++) if (logits[c] > logits[best]) best = c;
        return best;
    }
}
