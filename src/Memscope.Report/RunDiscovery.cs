using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Report;

/// <summary>
/// Finds run folders: each given folder that holds a run.json, and every folder below it that does (demo's out/ holds
/// one per step). It does not descend into history/ or an FZ run's models/ (thousands of files, no run.json), nor
/// into hidden folders (temporary ones). Folders written by `memscope report` itself are left out.
/// </summary>
public static class RunDiscovery
{
    /// <summary>An FZ run's model store (ModelStore.ModelsFolder), beside its plan.json.</summary>
    private const string FzModelsFolder = "models";
    private const string FzPlanFile = "plan.json";

    public static IReadOnlyList<string> Find(IEnumerable<string> inputs, string? exclude = null)
    {
        string? excluded = exclude is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(exclude));
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            UsageException.Require(Directory.Exists(input), $"{input}: no such folder; give folders written by memscope commands (or a folder above them)");
            int before = found.Count;
            Walk(Path.TrimEndingDirectorySeparator(Path.GetFullPath(input)), excluded, found, seen);
            UsageException.Require(found.Count > before || seen.Contains(Path.TrimEndingDirectorySeparator(Path.GetFullPath(input))),
                $"{input}: no run.json in it or below it; point at folders written by memscope commands");
        }
        return found;
    }

    private static void Walk(string dir, string? excluded, List<string> found, HashSet<string> seen)
    {
        if (excluded is not null && dir == excluded) return;
        if (File.Exists(Path.Combine(dir, RunManifest.FileName)) && seen.Add(dir)) found.Add(dir);
        foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(sub);
            if (name.StartsWith('.') || name == RunManifest.HistoryFolder) continue;
            if (name == FzModelsFolder && File.Exists(Path.Combine(dir, FzPlanFile))) continue;
            if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) != 0) continue; // no symlink loops
            Walk(sub, excluded, found, seen);
        }
    }
}
