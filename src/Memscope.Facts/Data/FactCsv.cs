using System.Globalization;
using System.Text;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Facts.Data;

/// <summary>
/// Reads and writes a user's facts as CSV: a header row naming the columns <c>key</c> and <c>value</c> and,
/// optionally, <c>count</c> (column names are case-insensitive, in any order; other columns are ignored),
/// then one row per fact. Keys and values are arbitrary strings; fields may be quoted (RFC 4180, on one line),
/// unquoted fields are trimmed, blank lines are skipped. Keys must be distinct and non-empty, values non-empty,
/// counts integers ≥ 0. Every error is a one-line <see cref="UsageException"/> naming file:line.
/// </summary>
public static class FactCsv
{
    public const string KeyColumn = "key";
    public const string ValueColumn = "value";
    public const string CountColumn = "count";

    public static UserFacts Load(string path)
    {
        UsageException.Require(File.Exists(path), $"{path}: no such file; check the path");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        int lineNo = 0;
        string? line;
        do { line = reader.ReadLine(); lineNo++; } while (line is not null && string.IsNullOrWhiteSpace(line));
        UsageException.Require(line is not null,
            $"{path}: the file is empty; a facts CSV needs a header row 'key,value' (optionally ',count') and one row per fact");

        string[] header = CsvLine.Split(line!, path, lineNo);
        int keyCol = FindColumn(header, KeyColumn, path, lineNo, required: true);
        int valueCol = FindColumn(header, ValueColumn, path, lineNo, required: true);
        int countCol = FindColumn(header, CountColumn, path, lineNo, required: false);

        var facts = new List<UserFact>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] f = CsvLine.Split(line, path, lineNo);
            UsageException.Require(f.Length == header.Length,
                $"{path}:{lineNo}: {f.Length} fields but the header has {header.Length}; quote fields that contain commas");
            string key = f[keyCol], value = f[valueCol];
            UsageException.Require(key.Length > 0, $"{path}:{lineNo}: the key is empty; every fact needs a key");
            UsageException.Require(value.Length > 0, $"{path}:{lineNo}: the value of key '{key}' is empty; every fact needs a value");
            if (firstLine.TryGetValue(key, out int earlier))
                throw new UsageException($"{path}:{lineNo}: duplicate key '{key}' (first on line {earlier}); keep one row per key and merge their counts");
            firstLine[key] = lineNo;
            long count = countCol >= 0 ? ParseCount(f[countCol], key, path, lineNo) : 1;
            UsageException.Require(count <= long.MaxValue - total,
                $"{path}:{lineNo}: the counts add up to more than {long.MaxValue}; divide them by a common factor");
            total += count;
            facts.Add(new UserFact(key, value, count));
        }
        UsageException.Require(facts.Count > 0, $"{path}: the header has no rows under it; add one row per fact");
        return new UserFacts(facts, hasCounts: countCol >= 0, source: Path.GetFullPath(path));
    }

    /// <summary>
    /// Writes facts atomically as <c>key,value,count</c> (or <c>key,value</c> without counts), quoting fields
    /// that need it so that <see cref="Load"/> reads back the same strings.
    /// </summary>
    public static void Write(string path, IReadOnlyList<UserFact> facts, bool withCounts = true)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var sb = new StringBuilder();
        sb.Append(KeyColumn).Append(',').Append(ValueColumn);
        if (withCounts) sb.Append(',').Append(CountColumn);
        sb.Append('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var f in facts)
        {
            UsageException.Require(f.Key.Length > 0 && f.Value.Length > 0, $"{path}: cannot write a fact with an empty key or value ('{f.Key}')");
            UsageException.Require(seen.Add(f.Key), $"{path}: cannot write duplicate key '{f.Key}'; merge the facts first");
            UsageException.Require(f.Count >= 0, $"{path}: cannot write key '{f.Key}' with negative count {f.Count}");
            UsageException.Require(!withCounts || f.Count <= long.MaxValue - total,
                $"{path}: the counts add up to more than {long.MaxValue}; divide them by a common factor");
            total += f.Count;
            UsageException.Require(f.Key.IndexOfAny(['\r', '\n']) < 0 && f.Value.IndexOfAny(['\r', '\n']) < 0,
                $"{path}: key '{f.Key.ReplaceLineEndings(" ")}' or its value contains a line break, which a facts CSV cannot hold; remove it");
            sb.Append(Quote(f.Key)).Append(',').Append(Quote(f.Value));
            if (withCounts) sb.Append(',').Append(f.Count.ToString(CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes a <see cref="UserFacts"/> table, with counts if it has them.</summary>
    public static void Write(string path, UserFacts facts) => Write(path, facts.Facts, facts.HasCounts);

    private static int FindColumn(string[] header, string name, string path, int lineNo, bool required)
    {
        int col = -1;
        for (int c = 0; c < header.Length; c++)
        {
            if (!string.Equals(header[c], name, StringComparison.OrdinalIgnoreCase)) continue;
            UsageException.Require(col < 0, $"{path}:{lineNo}: the header has more than one '{name}' column; keep one");
            col = c;
        }
        UsageException.Require(col >= 0 || !required,
            $"{path}:{lineNo}: no '{name}' column in the header ({string.Join(",", header)}); the header must name columns 'key' and 'value' (and optionally 'count')");
        return col;
    }

    private static long ParseCount(string s, string key, string path, int lineNo)
    {
        UsageException.Require(s.Length > 0, $"{path}:{lineNo}: the count of key '{key}' is empty; give an integer ≥ 0");
        UsageException.Require(long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n),
            $"{path}:{lineNo}: the count of key '{key}' is '{s}', not an integer; counts must be whole numbers ≥ 0 (at most {long.MaxValue})");
        UsageException.Require(n >= 0, $"{path}:{lineNo}: the count of key '{key}' is {n}, which is negative; counts must be ≥ 0");
        return n;
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"']) >= 0 || s.Length != s.Trim().Length ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

}
