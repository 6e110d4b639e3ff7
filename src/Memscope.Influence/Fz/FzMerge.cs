using Memscope.Core;
using Memscope.Influence.Storage;

namespace Memscope.Influence.Fz;

/// <summary>
/// Combines shard folders into one: every folder's plan.json must be identical (else a clear error naming the field),
/// and each model folder is copied once. A model present in two shards must be byte-identical in both.
/// </summary>
public static class FzMerge
{
    public static (int Models, int Copied) Run(IReadOnlyList<string> shardDirs, string outDir)
    {
        UsageException.Require(shardDirs.Count >= 1, "name at least one shard folder to merge");
        var plans = shardDirs.Select(FzPlanManifest.Read).ToArray();
        for (int s = 1; s < plans.Length; s++) plans[0].RequireSame(plans[s], $"{shardDirs[s]}/plan.json (vs {shardDirs[0]})");
        if (FzPlanManifest.Exists(outDir)) FzPlanManifest.Read(outDir).RequireSame(plans[0], $"{outDir}: the merge output");
        Directory.CreateDirectory(outDir);
        var target = new ModelStore(outDir);
        Directory.CreateDirectory(target.ModelsDir);
        int copied = 0;
        foreach (var dir in shardDirs)
        {
            if (Path.GetFullPath(dir) == Path.GetFullPath(outDir)) continue;
            var source = new ModelStore(dir);
            foreach (int m in source.DoneModels())
            {
                string from = source.ModelDir(m), to = target.ModelDir(m);
                if (target.IsDone(m))
                {
                    UsageException.Require(SameFiles(from, to), $"model {m} differs between {dir} and {outDir}; the shards were not made by the same run");
                    continue;
                }
                using var claim = target.TryClaim(m);
                UsageException.Require(claim is not null, $"{outDir}: model {m} is being written by another process; wait for it and rerun the merge");
                if (target.IsDone(m)) { claim!.ReleaseAndDelete(); continue; }
                target.RemoveTemporaries(m);
                string tmp = Path.Combine(target.ModelsDir, $"{ModelStore.TempPrefix}{ModelStore.ModelFolderName(m)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
                Directory.CreateDirectory(tmp);
                foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(tmp, Path.GetFileName(f)));
                Directory.Move(tmp, to);
                claim!.ReleaseAndDelete();
                copied++;
            }
        }
        plans[0].Write(outDir);
        return (target.DoneModels().Count, copied);
    }

    private static bool SameFiles(string a, string b)
    {
        var fa = Directory.GetFiles(a).Select(Path.GetFileName).Where(f => f != "model.json").OrderBy(f => f).ToArray();
        var fb = Directory.GetFiles(b).Select(Path.GetFileName).Where(f => f != "model.json").OrderBy(f => f).ToArray();
        return fa.SequenceEqual(fb) && fa.All(f => File.ReadAllBytes(Path.Combine(a, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f!))));
    }
}
