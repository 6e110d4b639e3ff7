using Memscope.Core;

namespace Memscope.Influence.Estimators;

/// <summary>
/// FZ memorization (FZ eq. 1, estimated as in FZ Algorithm 1):
/// mem(i) = P[model correct on i | i IN] − P[model correct on i | i OUT], each probability the masked mean of the
/// 0/1 train correctness over the models that had i IN (n_in of them) or OUT (n_out).
/// </summary>
public static class MemorizationEstimator
{
    /// <summary>
    /// Estimates mem(i) for every training example from the included models (null: all). The standard error is the
    /// unpooled two-sample Wald error sqrt(p_in(1−p_in)/n_in + p_out(1−p_out)/n_out), treating the models as
    /// independent draws; it is 0 when both rates are 0 or 1, so read it together with n_in and n_out.
    /// </summary>
    public static MemorizationResult Estimate(ModelOutputs outputs, bool[]? included = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        UsageException.Require(outputs.TrainCorrect is not null, "memorization needs train correctness, and the model outputs have none");
        var correct = outputs.TrainCorrect!;
        var selection = ModelSelection.From(outputs, included);
        int n = outputs.TrainCount;
        var inCount = new int[n];
        var outCount = new int[n];
        var inHits = new int[n];
        var outHits = new int[n];
        foreach (int m in selection.Used)
        {
            var mask = outputs.Mask.AsSpan(m * n, n);
            var hit = correct.AsSpan(m * n, n);
            for (int i = 0; i < n; i++)
            {
                int c = hit[i] ? 1 : 0;
                if (mask[i]) { inCount[i]++; inHits[i] += c; }
                else { outCount[i]++; outHits[i] += c; }
            }
        }

        var mem = new double[n];
        var se = new double[n];
        var pIn = new double[n];
        var pOut = new double[n];
        var undefined = new bool[n];
        int undefinedCount = 0;
        for (int i = 0; i < n; i++)
        {
            pIn[i] = inCount[i] > 0 ? inHits[i] / (double)inCount[i] : double.NaN;
            pOut[i] = outCount[i] > 0 ? outHits[i] / (double)outCount[i] : double.NaN;
            if (inCount[i] == 0 || outCount[i] == 0)
            {
                mem[i] = se[i] = double.NaN;
                undefined[i] = true;
                undefinedCount++;
                continue;
            }
            mem[i] = pIn[i] - pOut[i];
            se[i] = Math.Sqrt(pIn[i] * (1 - pIn[i]) / inCount[i] + pOut[i] * (1 - pOut[i]) / outCount[i]);
        }
        return new MemorizationResult(mem, se, pIn, pOut, inCount, outCount, undefined, undefinedCount,
            selection.Used.Length, selection.Excluded);
    }
}
