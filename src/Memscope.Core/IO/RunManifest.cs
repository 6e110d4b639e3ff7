using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memscope.Core.IO;

/// <summary>
/// The <c>run.json</c> that every command leaves in its output folder: the command line, seed, options, code
/// version, data digests, output digests and timings. Later stages read it instead of guessing.
/// </summary>
public sealed class RunManifest
{
    public const string FileName = "run.json";
    public const int SchemaVersion = 1;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTime _started = DateTime.UtcNow;

    public string Command { get; }
    public string[] CommandLine { get; }
    public ulong? Seed { get; set; }
    public SortedDictionary<string, JsonNode?> Options { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> DataDigests { get; } = new(StringComparer.Ordinal);
    public List<(string Name, double Seconds)> Timings { get; } = new();

    public RunManifest(string command, IEnumerable<string> commandLine)
    {
        Command = command;
        CommandLine = commandLine.ToArray();
    }

    /// <summary>Records an option value.</summary>
    public void SetOption(string name, object? value) => Options[name] = JsonSerializer.SerializeToNode(value);

    /// <summary>Runs <paramref name="work"/> and records its wall time under <paramref name="name"/>.</summary>
    public T Time<T>(string name, Func<T> work)
    {
        var sw = Stopwatch.StartNew();
        T result = work();
        Timings.Add((name, sw.Elapsed.TotalSeconds));
        return result;
    }

    /// <summary>Writes run.json into <paramref name="dir"/> atomically, with the SHA-256 of each listed output.</summary>
    public void Write(string dir, IEnumerable<string> outputFiles)
    {
        var outputs = new JsonObject();
        foreach (var f in outputFiles.OrderBy(f => f, StringComparer.Ordinal))
            outputs[f] = Sha256File(Path.Combine(dir, f));
        var timings = new JsonObject();
        foreach (var (name, s) in Timings) timings[name] = Math.Round(s, 3);
        timings["total"] = Math.Round(_clock.Elapsed.TotalSeconds, 3);
        var root = new JsonObject
        {
            ["schema"] = SchemaVersion,
            ["tool"] = "memscope",
            ["command"] = Command,
            ["commandLine"] = new JsonArray(CommandLine.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["seed"] = Seed is null ? null : JsonValue.Create(Seed.Value),
            ["options"] = new JsonObject(Options.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))),
            ["codeVersion"] = CodeVersion.Current,
            ["dataDigests"] = new JsonObject(DataDigests.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["outputs"] = outputs,
            ["startedUtc"] = _started.ToString("O"),
            ["finishedUtc"] = DateTime.UtcNow.ToString("O"),
            ["machine"] = new JsonObject
            {
                ["processorCount"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            ["timingsSeconds"] = timings,
        };
        string text = root.ToJsonString(Json.Indented) + "\n";
        // Several commands can share a folder (fz train, then fz scores): run.json is the latest, and every run also
        // keeps its own copy under history/ so that no command's record is lost.
        string stamp = _started.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(Path.Combine(dir, HistoryFolder, $"{stamp}-{Command.Replace(' ', '-')}-{Environment.ProcessId}.json"), text);
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), text);
    }

    /// <summary>Folder (inside an output folder) with one manifest per command run there.</summary>
    public const string HistoryFolder = "history";

    /// <summary>Reads a run.json, failing with a clear message when it is missing or malformed.</summary>
    public static JsonObject Read(string dir)
    {
        string path = Path.Combine(dir, FileName);
        UsageException.Require(File.Exists(path), $"{path}: no run.json here; point at a folder written by a memscope command");
        return JsonFile.ReadObject(path, "rerun the command that wrote it");
    }

    public static string Sha256File(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}

/// <summary>Shared JSON settings.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
