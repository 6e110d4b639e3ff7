using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Plans;
using Memscope.Influence.Training;

namespace Memscope.Influence.Fz;

/// <summary>
/// <c>plan.json</c>: everything that determines an FZ run's models — seed, mode, fraction, model count, data digests,
/// model configuration and code version. Train, merge and scores refuse folders whose plan differs, naming the field.
/// File paths are recorded for information but not compared (data may move; its digest may not change).
/// </summary>
public sealed class FzPlanManifest
{
    public const string FileName = "plan.json";
    public JsonObject Json { get; }

    private FzPlanManifest(JsonObject json) => Json = json;

    public static FzPlanManifest Create(SubsetPlan plan, ModelConfig config, LabeledDataset train, LabeledDataset test, string device = "cpu") => new(new JsonObject
    {
        ["schema"] = 1,
        ["kind"] = "memscope-fz-plan",
        ["seed"] = plan.Seed,
        ["mode"] = plan.Mode,
        ["subsetFraction"] = plan.Fraction,
        ["models"] = plan.Models,
        ["trainCount"] = train.Count,
        ["testCount"] = test.Count,
        ["classes"] = Math.Max(train.Classes, test.Classes),
        ["dim"] = train.Dim,
        ["train"] = DataNode(train),
        ["test"] = DataNode(test),
        ["model"] = new JsonObject
        {
            ["learner"] = config.Learner,
            ["hidden"] = new JsonArray(config.Hidden.Select(h => (JsonNode?)h).ToArray()),
            ["epochs"] = config.Epochs,
            ["batchSize"] = config.BatchSize,
            ["learningRate"] = config.LearningRate,
            ["weightDecay"] = config.WeightDecay,
            ["device"] = config.Learner == "knn1" ? "cpu" : device.Trim().ToLowerInvariant(),
        },
        ["codeVersion"] = CodeVersion.Current,
        ["paths"] = new JsonObject { ["train"] = train.Source, ["test"] = test.Source },
    });

    private static JsonObject DataNode(LabeledDataset d) => new()
    {
        ["count"] = d.Count,
        ["dim"] = d.Dim,
        ["classes"] = d.Classes,
        ["normalization"] = d.Normalization,
        ["sha256"] = new JsonObject(d.Sha256.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
    };

    public int Models => Json["models"]!.GetValue<int>();
    public int TrainCount => Json["trainCount"]!.GetValue<int>();
    public int TestCount => Json["testCount"]!.GetValue<int>();
    public string Mode => Json["mode"]!.GetValue<string>();
    public ulong Seed => Json["seed"]!.GetValue<ulong>();

    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, FileName));

    public static FzPlanManifest Read(string dir)
    {
        string path = Path.Combine(dir, FileName);
        UsageException.Require(File.Exists(path), $"{dir}: no {FileName}; point at a folder written by `memscope fz train`");
        const string todo = "the folder is damaged, start a new --out";
        var obj = JsonFile.ReadObject(path, todo);
        UsageException.Require(obj["kind"] is JsonValue k && k.TryGetValue(out string? kind) && kind == "memscope-fz-plan",
            $"{path}: not a memscope FZ plan; start a new --out");
        // every field that train, merge and scores read, with its type and range
        string mode = JsonFile.Get<string>(obj, "mode", path, todo);
        UsageException.Require(mode is "fz" or "lira", $"{path}: mode '{mode}' is neither fz nor lira; {todo}");
        JsonFile.Get<ulong>(obj, "seed", path, todo);
        double f = JsonFile.Get<double>(obj, "subsetFraction", path, todo);
        UsageException.Require(f > 0 && f < 1, $"{path}: subsetFraction {f} is not in (0, 1); {todo}");
        foreach (var name in new[] { "models", "trainCount", "testCount", "classes", "dim" })
            UsageException.Require(JsonFile.Get<int>(obj, name, path, todo) >= 1, $"{path}: {name} must be ≥ 1; {todo}");
        foreach (var which in new[] { "train", "test" })
        {
            var sha = JsonFile.GetObject(JsonFile.GetObject(obj, which, path, todo), "sha256", path, todo);
            foreach (var kv in sha) JsonFile.Get<string>(sha, kv.Key, path, todo);
        }
        JsonFile.GetObject(obj, "model", path, todo);
        if (obj["paths"] is not null)
        {
            var paths = JsonFile.GetObject(obj, "paths", path, todo);
            foreach (var kv in paths) JsonFile.Get<string>(paths, kv.Key, path, todo);
        }
        return new FzPlanManifest(obj);
    }

    public void Write(string dir) => AtomicFile.WriteAllText(Path.Combine(dir, FileName), Json.ToJsonString(Core.IO.Json.Indented) + "\n");

    /// <summary>The first field (other than paths) where two plans differ, or null when they agree.</summary>
    public string? FirstDifference(FzPlanManifest other)
    {
        foreach (var key in Json.Select(kv => kv.Key).Union(other.Json.Select(kv => kv.Key)).Where(k => k != "paths"))
        {
            string a = Json[key]?.ToJsonString() ?? "null", b = other.Json[key]?.ToJsonString() ?? "null";
            if (a != b) return $"{key}: {a} vs {b}";
        }
        return null;
    }

    /// <summary>Throws a clear error when <paramref name="other"/> differs from this plan.</summary>
    public void RequireSame(FzPlanManifest other, string what)
    {
        string? diff = FirstDifference(other);
        UsageException.Require(diff is null, $"{what} does not match the existing plan ({diff}); use the same options and data, or a new --out");
    }
}
