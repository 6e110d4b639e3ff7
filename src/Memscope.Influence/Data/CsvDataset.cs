using System.Globalization;
using System.Text;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Influence.Data;

/// <summary>
/// Loads a CSV data set: a header row, a column named exactly <c>label</c> (anywhere) holding non-negative integer
/// class labels, and every other column a finite number (invariant culture, '.' decimal point). Fields may be
/// quoted (RFC 4180, on one line); blank lines are skipped. Features are used as they are (normalization "none").
/// </summary>
public static class CsvDataset
{
    public const string LabelColumn = "label";

    /// <summary>The largest label accepted; a larger one is almost certainly not a class index.</summary>
    public const int MaxLabel = 65535;

    public static LabeledDataset Load(string path)
    {
        UsageException.Require(File.Exists(path), $"{path}: no such file; check the path");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        int lineNo = 0;
        string? line;
        do { line = reader.ReadLine(); lineNo++; } while (line is not null && string.IsNullOrWhiteSpace(line));
        UsageException.Require(line is not null, $"{path}: the file is empty; a CSV data set needs a header row with a '{LabelColumn}' column and one row per example");

        string[] header = CsvLine.Split(line!, path, lineNo);
        int labelCol = Array.IndexOf(header, LabelColumn);
        UsageException.Require(labelCol >= 0,
            $"{path}:{lineNo}: no '{LabelColumn}' column in the header ({Preview(header)}); name the class column exactly '{LabelColumn}' (lowercase)");
        UsageException.Require(Array.IndexOf(header, LabelColumn, labelCol + 1) < 0,
            $"{path}:{lineNo}: the header has more than one '{LabelColumn}' column; keep one");
        int dim = header.Length - 1;
        UsageException.Require(dim > 0, $"{path}:{lineNo}: the header has only the '{LabelColumn}' column; add feature columns");

        var features = new List<float>();
        var labels = new List<int>();
        int max = -1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] fields = CsvLine.Split(line, path, lineNo);
            UsageException.Require(fields.Length == header.Length,
                $"{path}:{lineNo}: {fields.Length} fields but the header has {header.Length}; give every row one value per column");
            for (int c = 0; c < fields.Length; c++)
            {
                string f = fields[c];
                if (c == labelCol)
                {
                    UsageException.Require(int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out int y) && y <= MaxLabel,
                        $"{path}:{lineNo}: label '{f}' is not an integer in [0, {MaxLabel}]; labels must be class indices 0, 1, 2, …");
                    labels.Add(y);
                    if (y > max) max = y;
                    continue;
                }
                UsageException.Require(double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v),
                    $"{path}:{lineNo}: column '{header[c]}' holds '{f}', not a number; features must be numbers like 0.5 or -1e-3");
                float x = (float)v;
                UsageException.Require(float.IsFinite(x),
                    $"{path}:{lineNo}: column '{header[c]}' holds '{f}', which is not a finite float32; remove NaN/Inf values or rescale");
                features.Add(x);
            }
        }
        UsageException.Require(labels.Count > 0, $"{path}: the header has no rows under it; add one row per example");
        UsageException.Require(max >= 1,
            $"{path}: every label is {max}, so there is only one class; a classifier needs at least two");

        var sha = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Path.GetFileName(path)] = RunManifest.Sha256File(path),
        };
        return new LabeledDataset(features.ToArray(), labels.ToArray(), dim, max + 1, null, Path.GetFullPath(path), sha, "none");
    }


    private static string Preview(string[] header) =>
        header.Length <= 8 ? string.Join(",", header) : string.Join(",", header.Take(8)) + $",… ({header.Length} columns)";
}
