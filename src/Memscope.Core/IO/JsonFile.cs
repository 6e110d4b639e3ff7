using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memscope.Core.IO;

/// <summary>
/// Reading JSON files that people or killed processes may have damaged: parse errors, a top level that is not an
/// object, duplicate keys (which System.Text.Json only reports when a key is first looked up) and fields of the wrong
/// type all become one-line <see cref="UsageException"/>s that name the file and say what to do.
/// </summary>
public static class JsonFile
{
    /// <summary>Parses <paramref name="path"/> as a JSON object; <paramref name="todo"/> ends every error message.</summary>
    public static JsonObject ReadObject(string path, string todo)
    {
        UsageException.Require(File.Exists(path), $"{path}: no such file; {todo}");
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path));
            UsageException.Require(node is JsonObject, $"{path}: not a JSON object; {todo}");
            Walk(node);
            return (JsonObject)node!;
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not valid JSON ({OneLine(e.Message)}); {todo}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{path}: a key appears twice ({OneLine(e.Message)}); {todo}");
        }
    }

    /// <summary>Field <paramref name="name"/> of <paramref name="o"/> as a <typeparamref name="T"/>, or a clear error.</summary>
    public static T Get<T>(JsonObject o, string name, string path, string todo)
    {
        var node = o[name];
        UsageException.Require(node is JsonValue, $"{path}: field '{name}' is missing or not a single value; {todo}");
        try { return node!.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new UsageException($"{path}: field '{name}' is {node!.ToJsonString()}, not a {typeof(T).Name}; {todo}");
        }
    }

    /// <summary>Field <paramref name="name"/> as a nested object, or a clear error.</summary>
    public static JsonObject GetObject(JsonObject o, string name, string path, string todo)
    {
        UsageException.Require(o[name] is JsonObject, $"{path}: field '{name}' is missing or not an object; {todo}");
        return (JsonObject)o[name]!;
    }

    /// <summary>Touches every object so that duplicate keys are found now, not at a later lookup.</summary>
    private static void Walk(JsonNode? node)
    {
        if (node is JsonObject o) foreach (var kv in o) Walk(kv.Value);
        else if (node is JsonArray a) foreach (var x in a) Walk(x);
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
