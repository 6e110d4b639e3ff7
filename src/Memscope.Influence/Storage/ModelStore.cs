using System.Diagnostics;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Training;

namespace Memscope.Influence.Storage;

/// <summary>
/// Per-model outputs on disk, readable from NumPy. Layout of <c>DIR/models/m000123/</c>:
/// <list type="table">
/// <item><c>mask.npy</c> |b1 (n): example i was in the model's training subset</item>
/// <item><c>train_correct.npy</c> |b1 (n), <c>test_correct.npy</c> |b1 (k): correct prediction</item>
/// <item><c>train_margin.npy</c> &lt;f4 (n), <c>test_margin.npy</c> &lt;f4 (k): the LiRA statistic</item>
/// <item><c>model.json</c>: model index, final training loss, seconds, and <c>excluded</c> with a reason for a model whose
/// loss went non-finite (then no arrays but the mask are written).</item>
/// </list>
/// A model is written into a temporary folder and renamed into place in one step, so a folder that exists is
/// complete: that rename is the done marker, and a kill at any moment leaves either nothing or a whole model.
/// </summary>
public sealed class ModelStore
{
    public const string ModelsFolder = "models";
    public string Root { get; }
    public string ModelsDir => Path.Combine(Root, ModelsFolder);

    public ModelStore(string root)
    {
        Root = root;
    }

    public static string ModelFolderName(int model) => $"m{model:D6}";

    public string ModelDir(int model) => Path.Combine(ModelsDir, ModelFolderName(model));

    public bool IsDone(int model) => File.Exists(Path.Combine(ModelDir(model), "model.json"));

    /// <summary>Writes one model atomically. Returns false if another worker finished the same model first.</summary>
    public bool Write(bool[] mask, ModelResult result, double seconds)
    {
        Directory.CreateDirectory(ModelsDir);
        string final = ModelDir(result.Model);
        string tmp = Path.Combine(ModelsDir, $".tmp-{ModelFolderName(result.Model)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            NpyFile.Write(Path.Combine(tmp, "mask.npy"), mask, mask.Length);
            if (!result.Excluded)
            {
                NpyFile.Write(Path.Combine(tmp, "train_correct.npy"), result.TrainCorrect, result.TrainCorrect.Length);
                NpyFile.Write(Path.Combine(tmp, "test_correct.npy"), result.TestCorrect, result.TestCorrect.Length);
                NpyFile.Write(Path.Combine(tmp, "train_margin.npy"), result.TrainMargin, result.TrainMargin.Length);
                NpyFile.Write(Path.Combine(tmp, "test_margin.npy"), result.TestMargin, result.TestMargin.Length);
            }
            var meta = new JsonObject
            {
                ["model"] = result.Model,
                ["finalLoss"] = double.IsFinite(result.FinalLoss) ? result.FinalLoss : null,
                ["excluded"] = result.Excluded,
                ["excludedReason"] = result.ExcludedReason,
                ["seconds"] = Math.Round(seconds, 3),
            };
            AtomicFile.WriteAllText(Path.Combine(tmp, "model.json"), meta.ToJsonString(Json.Indented) + "\n");
            try
            {
                Directory.Move(tmp, final);
                return true;
            }
            catch (IOException) when (IsDone(result.Model))
            {
                Directory.Delete(tmp, recursive: true); // a concurrent worker got there first: keep its copy
                return false;
            }
        }
        catch
        {
            try { Directory.Delete(tmp, recursive: true); } catch { /* best effort */ }
            throw;
        }
    }

    /// <summary>Removes temporary folders left by killed processes (those whose process is gone).</summary>
    public int CleanStaleTemporaries()
    {
        if (!Directory.Exists(ModelsDir)) return 0;
        int removed = 0;
        foreach (var dir in Directory.GetDirectories(ModelsDir, ".tmp-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length >= 4 && int.TryParse(parts[2], out int pid) && pid != Environment.ProcessId && !ProcessAlive(pid))
            {
                try { Directory.Delete(dir, recursive: true); removed++; } catch (IOException) { }
            }
        }
        return removed;
    }

    /// <summary>Indices of the finished models present.</summary>
    public IReadOnlyList<int> DoneModels()
    {
        if (!Directory.Exists(ModelsDir)) return [];
        var list = new List<int>();
        foreach (var dir in Directory.GetDirectories(ModelsDir, "m*"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 7 && int.TryParse(name.AsSpan(1), out int m) && File.Exists(Path.Combine(dir, "model.json"))) list.Add(m);
        }
        list.Sort();
        return list;
    }

    /// <summary>Reads one finished model.</summary>
    public (bool[] Mask, ModelResult Result) Read(int model, int trainCount, int testCount)
    {
        string dir = ModelDir(model);
        UsageException.Require(IsDone(model), $"{dir}: model {model} is not finished; rerun `memscope fz train` on this folder to complete it");
        JsonObject meta;
        try { meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model.json"))) as JsonObject ?? throw new System.Text.Json.JsonException("not an object"); }
        catch (System.Text.Json.JsonException e)
        {
            throw new UsageException($"{dir}/model.json is damaged ({e.Message}); delete {dir} and rerun `memscope fz train` to retrain that model");
        }
        var mask = NpyFile.Read<bool>(Path.Combine(dir, "mask.npy")).Data;
        UsageException.Require(mask.Length == trainCount, $"{dir}/mask.npy has {mask.Length} entries but the plan has {trainCount} training examples");
        if (meta["excluded"]?.GetValue<bool>() == true)
            return (mask, new ModelResult { Model = model, ExcludedReason = meta["excludedReason"]?.GetValue<string>() ?? "excluded" });
        var r = new ModelResult
        {
            Model = model,
            TrainCorrect = NpyFile.Read<bool>(Path.Combine(dir, "train_correct.npy")).Data,
            TestCorrect = NpyFile.Read<bool>(Path.Combine(dir, "test_correct.npy")).Data,
            TrainMargin = NpyFile.Read<float>(Path.Combine(dir, "train_margin.npy")).Data,
            TestMargin = NpyFile.Read<float>(Path.Combine(dir, "test_margin.npy")).Data,
            FinalLoss = meta["finalLoss"]?.GetValue<double>() ?? double.NaN,
        };
        UsageException.Require(r.TrainCorrect.Length == trainCount && r.TrainMargin.Length == trainCount
            && r.TestCorrect.Length == testCount && r.TestMargin.Length == testCount,
            $"{dir}: array lengths do not match the plan ({trainCount} train, {testCount} test); the folder is not from this run");
        return (mask, r);
    }

    private static bool ProcessAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
