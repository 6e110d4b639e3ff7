using System.Diagnostics;
using Memscope.Core;
using Memscope.Facts.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Facts.Training;

/// <summary>One point of the metrics trajectory.</summary>
public sealed record TrainingPoint(int Step, long Sequences, int K, double FrequencyWeightedAccuracy, double LossBits, double TrainLoss);

/// <summary>A finished training run.</summary>
public sealed record FactRunResult(long Parameters, int Steps, long Sequences, FactMetrics Final, IReadOnlyList<TrainingPoint> Trajectory,
    double Seconds, double TokensPerSecond, long DistinctFactsTrained, long ScoredSequences);

/// <summary>
/// Trains a <see cref="TinyGpt"/> on batches chosen by a sampler, with cross-entropy on the value tokens only and
/// AdamW (warm-up + cosine), logging the metrics on the evaluation facts every <c>EvalEvery</c> steps.
/// </summary>
public static class FactTrainer
{
    /// <summary>Refuses a model that does not fit in memory before anything is allocated.</summary>
    public static void CheckMemory(GptConfig config, int batch, int concurrentModels = 1)
    {
        batch = Math.Max(batch, 4096); // evaluation batches are up to 4,096 sequences
        long activations = (long)batch * config.Context * config.Width * (16L * config.Layers + 4) * 4
                         + (long)batch * config.Context * config.VocabSize * 4 * 3
                         + (long)batch * config.Heads * config.Context * config.Context * config.Layers * 4 * 3;
        long need = (config.TrainingBytes + activations) * Math.Max(1, concurrentModels);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        UsageException.Require(need < available * 0.8,
            $"{Math.Max(1, concurrentModels)} model(s) with L={config.Layers}, d={config.Width} at batch {batch} need about {need / (1L << 20):N0} MiB but {available / (1L << 20):N0} MiB are available; lower --width, --layers or the batch size");
    }

    public static FactRunResult Train(GptConfig config, FactTokens facts, ISequenceSampler sampler, TrainSettings s,
        int[] evalFacts, double[]? evalWeights, IProgress<TrainingPoint>? progress = null)
    {
        s.Validate();
        CheckMemory(config, s.BatchSize);
        Memscope.Torch.TorchThreads.UseOnePerModel();   // one intra-op thread: a run's numbers do not depend on what else runs
        var sw = Stopwatch.StartNew();
        using var model = new TinyGpt(config, s.Seed);
        using var opt = new Memscope.Torch.FusedAdamW(model.parameters(), s.WeightDecay, 0.9, 0.95, 1e-8);
        var all = tensor(facts.Tokens.Select(t => (long)t).ToArray(), new long[] { facts.Count, facts.SequenceLength });
        int vs = facts.ValueStart, vl = facts.ValueLength, T = vs + vl;
        var trained = new bool[facts.Count];
        var batchIdx = new int[s.BatchSize];
        var trajectory = new List<TrainingPoint>();
        long sequences = 0;
        double lastLoss = double.NaN;

        float[] LossOf(int[] idx)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var seq = all.index_select(0, tensor(idx.Select(i => (long)i).ToArray()));
            var logp = model.forward(seq.narrow(1, 0, T - 1), vs - 1, vl).log_softmax(-1);
            var nll = -logp.gather(-1, seq.narrow(1, vs, vl).unsqueeze(-1)).squeeze(-1).mean(new long[] { 1 });
            return nll.data<float>().ToArray();
        }

        for (int step = 0; step < s.Steps; step++)
        {
            Array.Fill(batchIdx, -1);
            sampler.Fill(step, batchIdx, LossOf);
            foreach (int i in batchIdx)
            {
                if ((uint)i >= (uint)facts.Count)
                    throw new InvalidOperationException($"sampler {sampler.Arm} left a batch slot empty or out of range ({i}) at step {step + 1}");
                trained[i] = true;
            }
            using (var scope = NewDisposeScope())
            {
                var seq = all.index_select(0, tensor(batchIdx.Select(i => (long)i).ToArray()));
                var logits = model.forward(seq.narrow(1, 0, T - 1), vs - 1, vl);
                var loss = nn.functional.cross_entropy(logits.reshape(-1, config.VocabSize), seq.narrow(1, vs, vl).reshape(-1));
                opt.ZeroGrad();
                loss.backward();
                opt.Step(s.RateAt(step));
                lastLoss = loss.item<float>();
            }
            UsageException.Require(double.IsFinite(lastLoss), $"training loss became {lastLoss} at step {step + 1}; lower the learning rate");
            sequences += batchIdx.Length;
            if ((step + 1) % s.EvalEvery == 0 || step + 1 == s.Steps)
            {
                var m = FactMetrics.Evaluate(model, facts, evalFacts, evalWeights);
                var point = new TrainingPoint(step + 1, sequences, m.K, m.FrequencyWeightedAccuracy, m.LossBits, lastLoss);
                trajectory.Add(point);
                progress?.Report(point);
            }
        }
        var final = FactMetrics.Evaluate(model, facts, evalFacts, evalWeights);
        double seconds = sw.Elapsed.TotalSeconds;
        return new FactRunResult(config.ParameterCount, s.Steps, sequences, final, trajectory, seconds,
            sequences * (double)T / seconds, trained.LongCount(x => x), sampler.ScoredSequences);
    }
}
