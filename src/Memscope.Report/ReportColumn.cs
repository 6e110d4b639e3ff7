using System.Text.Json.Nodes;

namespace Memscope.Report;

/// <summary>
/// A table column over JSON rows: the header, and the property <see cref="Key"/> of each row whose value the cell shows
/// (the cell carries data-key so that a test can check it against the JSON file), or a computed text.
/// </summary>
public sealed record ReportColumn(string Header, string? Key, Func<JsonNode, string>? Compute = null, bool IsRowId = false)
{
    /// <summary>The row's id (an object key under the rows path, or the array index).</summary>
    public static ReportColumn RowId(string header) => new(header, null, null, true);
    public static ReportColumn Of(string header, string key) => new(header, key);
    public static ReportColumn Computed(string header, Func<JsonNode, string> compute) => new(header, null, compute);
}
