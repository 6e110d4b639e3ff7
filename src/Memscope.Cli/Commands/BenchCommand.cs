using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Core.Random;

namespace Memscope.Cli.Commands;

/// <summary>
/// <c>memscope bench</c>: single-thread throughput of the sampling kernels on vectors of dimension d, printed as
/// nanoseconds per value and values per second per core (JSON with --json). bench/compare-numpy.sh runs it next to
/// NumPy's Generator and prints the ratios.
/// </summary>
public static class BenchCommand
{
    public static Command Build()
    {
        var d = new Option<int>("--d") { Description = "Vector dimension", DefaultValueFactory = _ => 10_000 };
        var seconds = new Option<double>("--seconds") { Description = "Time budget per kernel", DefaultValueFactory = _ => 1.0 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var torchOpt = new Option<bool>("--torch") { Description = "Also measure the float32 matmul peak (LibTorch, 1 thread) and the fact model's training rate as a fraction of it" };
        var cmd = new Command("bench", "Throughput of the random sampling kernels (per core), for comparison with NumPy.");
        cmd.Options.Add(d); cmd.Options.Add(seconds); cmd.Options.Add(json); cmd.Options.Add(torchOpt);
        cmd.SetAction(r =>
        {
            int dim = r.GetValue(d);
            UsageException.Require(dim >= 1, $"--d must be ≥ 1, got {dim}");
            double budget = r.GetValue(seconds);
            UsageException.Require(budget > 0, $"--seconds must be > 0, got {budget}");
            var rng = new Rng(1, "bench", 0);
            var dbl = new double[dim];
            var sb = new sbyte[dim];
            var results = new JsonObject
            {
                ["d"] = dim,
                ["normal_ns_per_value"] = Measure(budget, dim, () => rng.FillNormal(dbl)),
                ["uniform_ns_per_value"] = Measure(budget, dim, () => rng.FillUniform(dbl)),
                ["bernoulli_sign_ns_per_value"] = Measure(budget, dim, () => rng.FillSigns(sb, 0.65)),
                ["uniform_sign_ns_per_value"] = Measure(budget, dim, () => rng.FillUniformSigns(sb)),
            };
            if (r.GetValue(torchOpt)) foreach (var kv in TorchBench.Run(budget)) results[kv.Key] = kv.Value?.DeepClone();
            if (r.GetValue(json)) Console.WriteLine(results.ToJsonString(Json.Indented));
            else
                foreach (var kv in results.Where(kv => kv.Key != "d"))
                    Console.WriteLine(kv.Key.EndsWith("ns_per_value")
                        ? $"{kv.Key,-30} {kv.Value!.GetValue<double>(),8:F3} ns  ({1e3 / kv.Value!.GetValue<double>(),8:F1} M values/s per core, d = {dim})"
                        : $"{kv.Key,-30} {kv.Value}");
            return 0;
        });
        return cmd;
    }

    private static double Measure(double budgetSeconds, int dim, Action kernel)
    {
        // Warm up for a fixed time, not a fixed count: TensorPrimitives code runs in its slow first-tier form until
        // tiered compilation promotes it, which takes seconds.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Max(1.5, budgetSeconds)) kernel();
        long reps = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < budgetSeconds) { kernel(); reps++; }
        return Math.Round(sw.Elapsed.TotalNanoseconds / (reps * (double)dim), 3);
    }
}
