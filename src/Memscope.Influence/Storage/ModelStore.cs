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
/// A worker trains model m only while it holds the claim <c>models/.claim-m000123</c>, an OS file lock
/// (<see cref="FileLock"/>) that dies with the process: two workers on one folder never train or write the same model,
/// and a killed worker's claim is free again at once. Temporary folders are removed only by the holder of their
/// model's claim, so a live worker's temporaries (on this host or another sharing the folder) are never touched.
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

    /// <summary>Prefix of temporary model folders: <c>.tmp-m000123-PID-GUID</c>.</summary>
    public const string TempPrefix = ".tmp-";
    private const string ClaimPrefix = ".claim-";

    public string ClaimPath(int model) => Path.Combine(ModelsDir, ClaimPrefix + ModelFolderName(model));

    /// <summary>
    /// Claims <paramref name="model"/> for this worker, or returns null when another live worker holds it. The caller
    /// must recheck <see cref="IsDone"/> after claiming (a worker may have finished it since), and release the claim
    /// with <see cref="FileLock.ReleaseAndDelete"/> once the model is written.
    /// </summary>
    public FileLock? TryClaim(int model)
    {
        Directory.CreateDirectory(ModelsDir);
        return FileLock.TryAcquire(ClaimPath(model));
    }

    /// <summary>Removes the temporary folders of <paramref name="model"/>; call only while holding its claim.</summary>
    public int RemoveTemporaries(int model)
    {
        if (!Directory.Exists(ModelsDir)) return 0;
        int removed = 0;
        foreach (var dir in Directory.GetDirectories(ModelsDir, $"{TempPrefix}{ModelFolderName(model)}-*"))
        {
            try { Directory.Delete(dir, recursive: true); removed++; } catch (DirectoryNotFoundException) { }
        }
        return removed;
    }

    /// <summary>Writes one model atomically. Returns false if another worker finished the same model first.</summary>
    public bool Write(bool[] mask, ModelResult result, double seconds)
    {
        Directory.CreateDirectory(ModelsDir);
        string final = ModelDir(result.Model);
        string tmp = Path.Combine(ModelsDir, $"{TempPrefix}{ModelFolderName(result.Model)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
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

    /// <summary>
    /// Removes temporary folders left by killed processes: for each model with temporaries, takes its claim (skipping
    /// models a live worker holds), removes them and releases the claim; then deletes claim files no live worker holds.
    /// Returns the number of temporary folders removed.
    /// </summary>
    public int CleanStaleTemporaries()
    {
        if (!Directory.Exists(ModelsDir)) return 0;
        var models = new SortedSet<int>();
        foreach (var dir in Directory.GetDirectories(ModelsDir, TempPrefix + "m*"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length > TempPrefix.Length + 7 && int.TryParse(name.AsSpan(TempPrefix.Length + 1, 6), out int m)) models.Add(m);
        }
        int removed = 0;
        foreach (int m in models)
        {
            using var claim = TryClaim(m);
            if (claim is not null) removed += RemoveTemporaries(m);
        }
        // claim files whose worker died between finishing a model and deleting its claim: nobody holds them
        foreach (var file in Directory.GetFiles(ModelsDir, ClaimPrefix + "m*"))
        {
            var name = Path.GetFileName(file);
            if (name.Length != ClaimPrefix.Length + 7 || !int.TryParse(name.AsSpan(ClaimPrefix.Length + 1, 6), out int m)) continue;
            using var claim = TryClaim(m);
            claim?.ReleaseAndDelete();
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
        string todo = $"delete {dir} and rerun `memscope fz train` to retrain that model";
        var meta = JsonFile.ReadObject(Path.Combine(dir, "model.json"), todo);
        var mask = NpyFile.Read<bool>(Path.Combine(dir, "mask.npy")).Data;
        UsageException.Require(mask.Length == trainCount, $"{dir}/mask.npy has {mask.Length} entries but the plan has {trainCount} training examples");
        bool excluded = meta["excluded"] is not null && JsonFile.Get<bool>(meta, "excluded", Path.Combine(dir, "model.json"), todo);
        string? reason = meta["excludedReason"] is null ? null : JsonFile.Get<string>(meta, "excludedReason", Path.Combine(dir, "model.json"), todo);
        double finalLoss = meta["finalLoss"] is null ? double.NaN : JsonFile.Get<double>(meta, "finalLoss", Path.Combine(dir, "model.json"), todo);
        if (excluded)
            return (mask, new ModelResult { Model = model, ExcludedReason = reason ?? "excluded" });
        var r = new ModelResult
        {
            Model = model,
            TrainCorrect = NpyFile.Read<bool>(Path.Combine(dir, "train_correct.npy")).Data,
            TestCorrect = NpyFile.Read<bool>(Path.Combine(dir, "test_correct.npy")).Data,
            TrainMargin = NpyFile.Read<float>(Path.Combine(dir, "train_margin.npy")).Data,
            TestMargin = NpyFile.Read<float>(Path.Combine(dir, "test_margin.npy")).Data,
            FinalLoss = finalLoss,
        };
        UsageException.Require(r.TrainCorrect.Length == trainCount && r.TrainMargin.Length == trainCount
            && r.TestCorrect.Length == testCount && r.TestMargin.Length == testCount,
            $"{dir}: array lengths do not match the plan ({trainCount} train, {testCount} test); the folder is not from this run");
        return (mask, r);
    }
}
