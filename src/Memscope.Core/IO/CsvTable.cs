using System.Globalization;
using System.Text;

namespace Memscope.Core.IO;

/// <summary>A small CSV writer with invariant-culture numbers (round-trip precision) and RFC 4180 quoting.</summary>
public sealed class CsvTable(params string[] columns)
{
    private readonly List<string[]> _rows = new();
    public IReadOnlyList<string> Columns { get; } = columns;

    public void Add(params object?[] values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"row has {values.Length} values but the table has {Columns.Count} columns");
        _rows.Add(values.Select(Format).ToArray());
    }

    public static string Format(object? v) => v switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Columns.Select(Quote)));
        foreach (var r in _rows) sb.AppendLine(string.Join(',', r.Select(Quote)));
        return sb.ToString();
    }

    public void WriteAtomic(string path) => AtomicFile.WriteAllText(path, ToString());

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
