using System.Diagnostics;
using System.Text.Json.Nodes;
using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Experiments;
using Memscope.Facts.Pruning;
using Memscope.Facts.Training;
using Memscope.Torch;
using static TorchSharp.torch;

namespace Memscope.Cli.Commands;

/// <summary>
/// <c>memscope bench --torch</c>: the machine's float32 matmul peak through LibTorch (one thread, as Memscope trains) and
/// the fact-model training rate of the quick preset, as tokens/s and as a fraction of that peak.
/// Training FLOPs are counted as 6·P per token for the parameters plus the attention products (12·L·T·d per token),
/// forward and backward.
/// </summary>
public static class TorchBench
{
    public static JsonObject Run(double seconds)
    {
        TorchThreads.UseOnePerModel();
        // matmul peak: 1024×1024 float32 products, one thread
        const int N = 1024;
        using var a = randn(N, N); using var b = randn(N, N);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        int reps = 0; var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds) { using var c = a.matmul(b); c.sum().item<float>(); reps++; }
        double peak = 2.0 * N * N * N * reps / sw.Elapsed.TotalSeconds;

        // facts: 300 steps of the quick preset's model on 1,000 uniform facts
        var p = FactsPreset.Quick;
        var book = Phonebook.Generate(1000, 1);
        var tokens = FactsExperiments.Tokens(book.Facts);
        var config = p.Model(book.Vocabulary.VocabSize, book.Vocabulary.SequenceLength);
        var settings = p.Train with { Steps = 300, WarmupSteps = 30, EvalEvery = 300 };
        var probs = Enumerable.Repeat(1.0 / 1000, 1000).ToArray();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var r = FactTrainer.Train(config, tokens, new StandardSampler(probs, new Rng(1, "bench", 0)), settings, [0], null);
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        int t = tokens.ValueStart + tokens.ValueLength - 1;
        double flopsPerToken = 6.0 * config.ParameterCount + 12.0 * config.Layers * t * config.Width;
        double achieved = r.TokensPerSecond * flopsPerToken;
        return new JsonObject
        {
            ["mkl_vendor_override"] = TorchRuntime.MklVendorOverride,
            ["matmul_gflops_1thread"] = Math.Round(peak / 1e9, 2),
            ["facts_tokens_per_second_1thread"] = Math.Round(r.TokensPerSecond),
            // the same per second of this process's CPU time: steadier than wall time on a shared machine
            ["facts_tokens_per_cpu_second"] = Math.Round(r.TokensPerSecond * r.Seconds / cpuSeconds),
            ["facts_parameters"] = config.ParameterCount,
            ["facts_gflops_achieved"] = Math.Round(achieved / 1e9, 3),
            ["facts_fraction_of_peak"] = Math.Round(achieved / peak, 4),
            ["facts_seconds_per_step"] = Math.Round(r.Seconds / settings.Steps, 4),
        };
    }
}
