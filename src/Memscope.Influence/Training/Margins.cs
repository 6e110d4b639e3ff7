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

    /// <summary>Predicted class = the first index of the largest logit (deterministic tie-breaking).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int c = 1; c < logits.Length; c++) if (logits[c] > logits[best]) best = c;
        return best;
    }
}
