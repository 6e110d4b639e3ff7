using System.CommandLine;
using System.Text.Json.Nodes;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Estimators;
using Memscope.Influence.Fz;
using Memscope.Influence.Training;
using Memscope.Theory.Sweep;
using ScottPlot;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope fz utility DIR</c>: the marginal utility of memorized examples (FZ Fig. 2).</summary>
public static class FzUtilityCommand
{
    public static Command Build()
    {
        var dir = new Argument<string>("DIR") { Description = "Run folder written by `memscope fz train`" };
        var threshold = new Option<double>("--threshold") { Description = "Remove the training examples with mem ≥ this", DefaultValueFactory = _ => 0.25 };
        var replicates = new Option<int>("--replicates") { Description = "Models trained per arm (error bars)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Models trained at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string?>("--out") { Description = "Output folder (default DIR/utility)" };
        var cmd = new Command("utility", "Marginal utility (FZ Fig. 2): test-accuracy drop from removing the high-memorization examples vs as many random ones.");
        cmd.Arguments.Add(dir);
        foreach (var o in new Option[] { threshold, replicates, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            string d = r.GetValue(dir)!;
            Run(d, r.GetValue(threshold), r.GetValue(replicates), r.GetValue(threads), r.GetValue(output) ?? Path.Combine(d, "utility"),
                Environment.GetCommandLineArgs().Skip(1));
            return 0;
        });
        return cmd;
    }

    public static UtilityResult Run(string dir, double threshold, int replicates, int threads, string outDir, IEnumerable<string> commandLine)
    {
        UsageException.Require(double.IsFinite(threshold), "--threshold must be a number");
        UsageException.Require(threads >= 1, $"--threads must be ≥ 1, got {threads}");
        var manifest = new RunManifest("fz utility", commandLine);
        var run = FzRun.Load(dir);
        manifest.Seed = run.Plan.Seed;
        var train = FzScoresCommand.LoadPlannedData(run.Plan, "train", null);
        var test = FzScoresCommand.LoadPlannedData(run.Plan, "test", null);
        var mem = MemorizationEstimator.Estimate(run.Outputs, run.Included);
        var m = run.Plan.Json["model"]!;
        var config = new ModelConfig
        {
            Learner = m["learner"]!.GetValue<string>(), Epochs = m["epochs"]!.GetValue<int>(), BatchSize = m["batchSize"]!.GetValue<int>(),
            LearningRate = m["learningRate"]!.GetValue<double>(), WeightDecay = m["weightDecay"]!.GetValue<double>(),
            Hidden = m["hidden"]!.AsArray().Select(h => h!.GetValue<int>()).ToArray(),
        };
        manifest.SetOption("threshold", threshold); manifest.SetOption("replicates", replicates); manifest.SetOption("source", Path.GetFullPath(dir));
        var memValues = mem.Memorization.Select(v => double.IsFinite(v) ? v : double.NegativeInfinity).ToArray();
        var result = manifest.Time("train", () => Terminal.RunWithProgress("fz utility", p =>
            MarginalUtility.Run(train, test, memValues, threshold, config, replicates, run.Plan.Seed, threads,
                new Progress<(int Done, int Total)>(x => p.Report(new WorkProgress(x.Done, x.Total, "models"))))));

        if (config.Learner != "knn1") manifest.SetOption("mklVendorOverride", Memscope.Torch.TorchRuntime.MklVendorOverride);
        Directory.CreateDirectory(outDir);
        var csv = new CsvTable("arm", "replicate", "removed", "test_accuracy");
        foreach (var arm in new[] { result.Full, result.HighMemRemoved, result.RandomRemoved })
            for (int i = 0; i < arm.Accuracies.Length; i++) csv.Add(arm.Name, i, arm.Removed, arm.Accuracies[i]);
        csv.WriteAtomic(Path.Combine(outDir, "utility.csv"));
        var (hd, hse) = result.HighMemDrop;
        var (rd, rse) = result.RandomDrop;
        var json = new JsonObject
        {
            ["threshold"] = threshold, ["removed"] = result.HighMemCount, ["replicates"] = replicates, ["learner"] = config.Learner,
            ["fullAccuracy"] = result.Full.Mean, ["fullStdError"] = result.Full.StdError,
            ["highMemRemovedAccuracy"] = result.HighMemRemoved.Mean, ["highMemRemovedStdError"] = result.HighMemRemoved.StdError,
            ["randomRemovedAccuracy"] = result.RandomRemoved.Mean, ["randomRemovedStdError"] = result.RandomRemoved.StdError,
            ["highMemDrop"] = hd, ["highMemDropStdError"] = hse, ["randomDrop"] = rd, ["randomDropStdError"] = rse,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "utility.json"), json.ToJsonString(Json.Indented) + "\n");

        var plt = new Plot();
        double[] drops = [hd, rd], ses = [hse, rse];
        var bars = plt.Add.Bars(new double[] { 0, 1 }, drops);
        bars.Bars[0].FillColor = Colors.OrangeRed;
        bars.Bars[1].FillColor = Colors.SteelBlue;
        var eb = plt.Add.ErrorBar(new double[] { 0, 1 }, drops, ses);
        eb.Color = Colors.Black;
        plt.Axes.Bottom.SetTicks([0, 1], [$"mem ≥ {threshold} removed ({result.HighMemCount})", $"{result.HighMemCount} random removed"]);
        plt.YLabel("test accuracy drop vs full training set");
        plt.Title($"Marginal utility ({config.Learner}, {replicates} models per arm, ± standard error)");
        AtomicFile.WriteVia(Path.Combine(outDir, "utility.png"), tmp => plt.SavePng(tmp, 800, 550));
        manifest.Write(outDir, ["utility.csv", "utility.json", "utility.png"]);
        Terminal.Info($"fz utility: removing {result.HighMemCount} examples with mem ≥ {threshold} costs {hd:P2} ± {hse:P2} test accuracy; " +
            $"as many random ones {rd:P2} ± {rse:P2}; wrote {Path.GetFullPath(outDir)}");
        return result;
    }
}
