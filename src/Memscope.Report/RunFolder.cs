using System.Text.Json;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Report;

/// <summary>
/// One output folder of a memscope command, as its run.json describes it: the latest command run there, and the
/// manifests under history/ of every command run there before (fz train, then fz scores, share a folder).
/// </summary>
public sealed class RunFolder
{
    public string Dir { get; }
    public JsonObject Manifest { get; }
    /// <summary>Every manifest kept under history/, oldest first (empty for folders written before history/ existed).</summary>
    public IReadOnlyList<JsonObject> History { get; }

    public RunFolder(string dir, JsonObject manifest, IReadOnlyList<JsonObject> history)
    {
        Dir = dir;
        Manifest = manifest;
        History = history;
    }

    /// <summary>Reads DIR/run.json (a UsageException names the file if it is missing or malformed) and DIR/history/*.json.</summary>
    public static RunFolder Load(string dir)
    {
        var manifest = RunManifest.Read(dir);
        var history = new List<JsonObject>();
        string h = Path.Combine(dir, RunManifest.HistoryFolder);
        if (Directory.Exists(h))
            foreach (var f in Directory.GetFiles(h, "*.json").Order(StringComparer.Ordinal))
            {
                try { if (JsonNode.Parse(File.ReadAllText(f)) is JsonObject o) history.Add(o); }
                catch (JsonException) { /* a history record that does not parse is left out; run.json is authoritative */ }
            }
        return new RunFolder(dir, manifest, history);
    }

    public string Command => Manifest["command"]?.GetValue<string>() ?? "";
    public string? CodeVersion => Manifest["codeVersion"]?.GetValue<string>();
    public ulong? Seed => Manifest["seed"] is JsonValue v && v.TryGetValue(out ulong s) ? s : null;
    public string? StartedUtc => Manifest["startedUtc"]?.GetValue<string>();
    public JsonObject Options => Manifest["options"] as JsonObject ?? new JsonObject();

    /// <summary>The files the command listed as its outputs in run.json (relative names), those that still exist.</summary>
    public IReadOnlyList<string> Outputs => (Manifest["outputs"] as JsonObject)?.Select(kv => kv.Key)
        .Where(f => File.Exists(Path.Combine(Dir, f))).ToArray() ?? [];

    public bool HasOutput(string name) => Outputs.Contains(name, StringComparer.Ordinal);

    /// <summary>The command line as typed (memscope …); a command run by another (demo) shows both.</summary>
    public static string CommandLineText(JsonObject manifest)
    {
        string command = manifest["command"]?.GetValue<string>() ?? "?";
        var args = (manifest["commandLine"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToArray() ?? [];
        string typed = "memscope " + string.Join(' ', args.Select(Quote));
        return args.Length > 0 && string.Join(' ', args).StartsWith(command, StringComparison.Ordinal)
            ? typed
            : $"memscope {command} (run by `{typed}`)";
    }

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_.,/:=+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    /// <summary>Reads a JSON file of this folder; a UsageException names the file if it does not parse.</summary>
    public JsonNode ReadJson(string name)
    {
        string path = Path.Combine(Dir, name);
        try { return JsonNode.Parse(File.ReadAllText(path)) ?? throw new UsageException($"{path}: empty JSON"); }
        catch (JsonException e) { throw new UsageException($"{path}: not valid JSON ({e.Message})"); }
    }
}
