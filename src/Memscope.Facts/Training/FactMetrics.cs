using Memscope.Facts.Model;
using static TorchSharp.torch;

namespace Memscope.Facts.Training;

/// <summary>
/// Metrics of fact memorization (ref. §4.3): K = facts whose value greedy decoding reproduces exactly;
/// frequency-weighted accuracy Σ p_i·1[fact i correct]; loss-based bits Σ_i max(0, H − CE_bits(v_i | k_i)).
/// </summary>
public sealed record FactMetrics(int FactsEvaluated, int K, double FrequencyWeightedAccuracy, double LossBits, bool[] Correct, double[] CrossEntropyBits)
{
    /// <summary>Evaluates the facts <paramref name="indices"/> (weights <paramref name="weights"/>, or uniform when null), batched.</summary>
    public static FactMetrics Evaluate(TinyGpt model, FactTokens facts, int[] indices, double[]? weights = null, int batch = 4096)
    {
        int n = indices.Length, T = facts.SequenceLength, vs = facts.ValueStart, vl = facts.ValueLength;
        var correct = new bool[n];
        var ce = new double[n];
        model.eval();
        using (no_grad())
        {
            for (int start = 0; start < n; start += batch)
            {
                using var scope = NewDisposeScope();
                int len = Math.Min(batch, n - start);
                var rows = new long[len * T];
                for (int r = 0; r < len; r++)
                {
                    var row = facts.Row(indices[start + r]);
                    for (int t = 0; t < T; t++) rows[r * T + t] = row[t];
                }
                var seq = tensor(rows, new long[] { len, T });
                // teacher-forced cross-entropy of the value tokens, in bits
                var logp = model.forward(seq.narrow(1, 0, vs + vl - 1), vs - 1, vl).log_softmax(-1);
                var target = seq.narrow(1, vs, vl).unsqueeze(-1);
                var nll = -logp.gather(-1, target).squeeze(-1).sum(1) / Math.Log(2);
                var nllArr = nll.data<float>().ToArray();
                // greedy decoding from [BOS] key [SEP]
                var prefix = seq.narrow(1, 0, vs);
                for (int t = 0; t < vl; t++)
                {
                    var next = model.forward(prefix, prefix.shape[1] - 1, 1).select(1, 0).argmax(-1).unsqueeze(1);
                    prefix = cat([prefix, next], 1);
                }
                var ok = prefix.narrow(1, vs, vl).eq(seq.narrow(1, vs, vl)).all(1).data<bool>().ToArray();
                for (int r = 0; r < len; r++) { correct[start + r] = ok[r]; ce[start + r] = nllArr[r]; }
            }
        }
        model.train();
        int k = correct.Count(c => c);
        double fw = 0, bits = 0;
        for (int i = 0; i < n; i++)
        {
            if (correct[i]) fw += weights?[i] ?? 1.0 / n;
            bits += Math.Max(0, facts.HBits - ce[i]);
        }
        return new FactMetrics(n, k, fw, bits, correct, ce);
    }
}
