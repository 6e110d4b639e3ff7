using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memscope.Report;

/// <summary>HTML escaping and the one number format of the report (5 significant digits, invariant culture).</summary>
public static class Html
{
    public static string Esc(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>Integers as they are; other numbers with 5 significant digits ("G5"); non-finite as words.</summary>
    public static string Number(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsInfinity(x)) return x > 0 ? "∞" : "−∞";
        if (x == Math.Round(x) && Math.Abs(x) < 1e15) return x.ToString("0", CultureInfo.InvariantCulture);
        return x.ToString("G5", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON value as cell text: numbers formatted, booleans yes/no, null as an em dash, arrays comma-joined.</summary>
    public static string Value(JsonNode? v) => v switch
    {
        null => "—",
        JsonValue jv when jv.GetValueKind() == JsonValueKind.Number => Number(jv.GetValue<double>()),
        JsonValue jv when jv.GetValueKind() == JsonValueKind.True => "yes",
        JsonValue jv when jv.GetValueKind() == JsonValueKind.False => "no",
        JsonValue jv when jv.GetValueKind() == JsonValueKind.String => jv.GetValue<string>(),
        JsonArray a => string.Join(", ", a.Select(Value)),
        _ => v.ToJsonString(),
    };

    public static bool IsNumber(JsonNode? v) => v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number;

    /// <summary>A relative URL for a file name under the report folder (each path segment escaped).</summary>
    public static string Href(string relative) => string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));
}
