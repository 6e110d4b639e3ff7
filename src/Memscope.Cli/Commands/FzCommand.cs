using System.CommandLine;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Fz;
using Memscope.Influence.Plans;
using Memscope.Influence.Training;
using Memscope.Theory.Sweep;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope fz train|merge|scores</c>: Feldman–Zhang memorization and influence, and LiRA, from many models.</summary>
public static class FzCommand
{
    public const string Embedded = "embedded";

    public static Command Build()
    {
        var fz = new Command("fz", "Memorization and influence estimation on real data (Feldman & Zhang 2020), and LiRA membership inference from the same models.");
        fz.Subcommands.Add(BuildTrain());
        fz.Subcommands.Add(BuildMerge());
        fz.Subcommands.Add(FzScoresCommand.Build());
        fz.Subcommands.Add(FzUtilityCommand.Build());
        return fz;
    }

    /// <summary>Loads a data set: a CSV or IDX path, or "embedded" for the shipped Fashion-MNIST subset.</summary>
    public static LabeledDataset LoadData(string spec, bool isTrain) =>
        spec == Embedded ? (isTrain ? EmbeddedFashionMnist.LoadTrain() : EmbeddedFashionMnist.LoadTest()) : DatasetLoader.Load(spec);

    private static Command BuildTrain()
    {
        var train = new Option<string>("--train") { Description = "Training data: a CSV file, an IDX image file (labels found beside it), or 'embedded'", Required = true };
        var test = new Option<string>("--test") { Description = "Test data: a CSV file, an IDX image file, or 'embedded'", Required = true };
        var learner = new Option<string>("--learner") { Description = "mlp (default), logistic or knn1", DefaultValueFactory = _ => "mlp" };
        var models = new Option<int>("--models") { Description = "Number of models T", Required = true };
        var fraction = new Option<double>("--subset-fraction") { Description = "Fraction f of the training set each model sees (fz mode)", DefaultValueFactory = _ => 0.7 };
        var mode = new Option<string>("--mode") { Description = "fz (each model sees ⌊f·n⌋ examples) or lira (each example IN for exactly half the models)", DefaultValueFactory = _ => "fz" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
        var hidden = new Option<string>("--hidden") { Description = "MLP hidden widths, comma-separated", DefaultValueFactory = _ => "256" };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var shard = new Option<string>("--shard") { Description = "Run only shard i of N (models m with m mod N = i), e.g. 0/4", DefaultValueFactory = _ => "0/1" };
        var threads = new Option<int>("--threads") { Description = "Models trained at once (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "cpu" };
        var output = new Option<string>("--out") { Description = "Run folder (rerunning the same command on it resumes)", Required = true };
        var ensemble = new Option<int?>("--ensemble")
        {
            Description = $"Logistic models trained together per thread with batched products (results do not depend on it; default {DefaultEnsemble} for logistic on the CPU, else 1; mlp and knn1 take only 1)",
        };
        var cmd = new Command("train", "Train T models on random subsets and store every model's outputs (resumable, shardable).");
        foreach (var o in new Option[] { train, test, learner, models, fraction, mode, epochs, hidden, batch, lr, seed, shard, threads, ensemble, device, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var config = new ModelConfig
            {
                Learner = r.GetValue(learner)!, Epochs = r.GetValue(epochs), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr),
                Hidden = ParseWidths(r.GetValue(hidden)!),
            };
            config.Validate();
            double f = r.GetValue(fraction);
            UsageException.Require(f > 0 && f < 1, $"--subset-fraction must be in (0, 1), got {f}");
            RunTrain(r.GetValue(train)!, r.GetValue(test)!, config, r.GetValue(mode)!, f, r.GetValue(models), r.GetValue(seed),
                ShardSpec.Parse(r.GetValue(shard)!), r.GetValue(threads), r.GetValue(device)!, r.GetValue(output)!, Environment.GetCommandLineArgs().Skip(1),
                r.GetValue(ensemble));
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// <c>--ensemble</c> default for the logistic learner on the CPU: measured G = 8 against G = 1 on the embedded subset
    /// (docs/fz.md, "Batched ensembles"). Results do not depend on it.
    /// </summary>
    public const int DefaultEnsemble = 8;

    /// <summary>The ensemble size used: the one asked for, else <see cref="DefaultEnsemble"/> for logistic on the CPU and 1 otherwise.</summary>
    public static int EnsembleSize(ModelConfig config, string device, int? asked) =>
        asked ?? (config.Learner == "logistic" && device.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase) ? DefaultEnsemble : 1);

    /// <summary>Trains (or resumes) one shard of a run into <paramref name="outDir"/> and writes its run.json.</summary>
    public static TrainSummary RunTrain(string trainSpec, string testSpec, ModelConfig config, string mode, double fraction, int models, ulong seed,
        ShardSpec shardSpec, int threads, string device, string outDir, IEnumerable<string> commandLine, int? ensemble = null)
    {
        config.Validate();
        int groupSize = EnsembleSize(config, device, ensemble);
        FzLearners.CheckEnsemble(config, groupSize);
        var trainData = LoadData(trainSpec, true);
        var testData = LoadData(testSpec, false);
        var plan = new SubsetPlan(mode, fraction, models, trainData.Count, seed);
        var manifest = new RunManifest("fz train", commandLine) { Seed = plan.Seed };
        foreach (var (k, v) in trainData.Sha256) manifest.DataDigests["train:" + k] = v;
        foreach (var (k, v) in testData.Sha256) manifest.DataDigests["test:" + k] = v;
        manifest.SetOption("learner", config.Learner); manifest.SetOption("models", plan.Models); manifest.SetOption("mode", plan.Mode);
        manifest.SetOption("subsetFraction", plan.Fraction); manifest.SetOption("epochs", config.Epochs); manifest.SetOption("hidden", config.Hidden);
        manifest.SetOption("batchSize", config.BatchSize); manifest.SetOption("lr", config.LearningRate); manifest.SetOption("shard", shardSpec.ToString());
        manifest.SetOption("threads", threads); manifest.SetOption("ensemble", groupSize); manifest.SetOption("trainNormalization", trainData.Normalization);
        var summary = manifest.Time("train", () => Terminal.RunWithProgress($"fz train {config.Learner} shard {shardSpec}", progress =>
            FzTrainer.Run(outDir, plan, config, trainData, testData, shardSpec, threads, device,
                new Progress<TrainProgress>(p => progress.Report(new WorkProgress(p.Done, p.Total, "models"))), ensemble: groupSize)));
        if (config.Learner != "knn1") manifest.SetOption("mklVendorOverride", Memscope.Torch.TorchRuntime.MklVendorOverride);
        manifest.Timings.Add(("trainModels", Math.Round(summary.ModelSeconds, 3)));   // "train" without loading LibTorch and the data
        manifest.Write(outDir, [FzPlanManifest.FileName]);
        Terminal.Info($"fz train: shard {shardSpec} owns {summary.Owned} models: {summary.Skipped} already done, {summary.Trained} trained" +
            $"{(summary.Excluded > 0 ? $", {summary.Excluded} excluded by the numerical guard (non-finite loss or margin; reasons in models/m*/model.json)" : "")}" +
            $"{(summary.LeftToOthers > 0 ? $", {summary.LeftToOthers} left to or finished by another worker on this folder" : "")} in {summary.Seconds:F1}s; folder {Path.GetFullPath(outDir)}");
        return summary;
    }

    private static int[] ParseWidths(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(w => int.TryParse(w, out int v) && v >= 1 ? v : throw new UsageException($"--hidden: '{w}' is not a positive integer width")).ToArray();

    private static Command BuildMerge()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Shard folders written by `memscope fz train`", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Merged run folder", Required = true };
        var cmd = new Command("merge", "Combine shard folders into one after checking that their plans agree.");
        cmd.Arguments.Add(dirs);
        cmd.Options.Add(output);
        cmd.SetAction(r =>
        {
            var inputs = r.GetValue(dirs)!;
            string outDir = r.GetValue(output)!;
            var manifest = new RunManifest("fz merge", Environment.GetCommandLineArgs().Skip(1));
            var (models, copied) = manifest.Time("merge", () => FzMerge.Run(inputs, outDir));
            int planned = FzPlanManifest.Read(outDir).Models;
            manifest.SetOption("inputs", inputs);
            manifest.Write(outDir, [FzPlanManifest.FileName]);
            Terminal.Info($"fz merge: {models} of {planned} models in {Path.GetFullPath(outDir)} ({copied} copied)" +
                (models < planned ? $"; {planned - models} still missing: run the remaining shards" : ""));
            return 0;
        });
        return cmd;
    }
}
