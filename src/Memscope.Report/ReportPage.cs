using System.Text;
using System.Text.Json.Nodes;

namespace Memscope.Report;

/// <summary>
/// The report being written: the HTML body, and each run's files copied under runs/&lt;slug&gt;/ beside index.html so that
/// the folder is self-contained. Sections add figures (with captions that say what was run) and tables through it.
/// </summary>
public sealed class ReportPage
{
    private readonly string _root;
    private readonly Dictionary<string, string> _slugs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _copied = new(StringComparer.Ordinal);

    public StringBuilder Body { get; } = new();
    /// <summary>Files written under the report folder, relative, '/'-separated.</summary>
    public List<string> Files { get; } = new();

    public ReportPage(string root) => _root = root;

    /// <summary>A stable, unique folder name for a run (its path relative to the common input folder).</summary>
    public string Slug(RunFolder run) => _slugs[run.Dir];

    public void AssignSlugs(IReadOnlyList<RunFolder> runs)
    {
        string common = CommonParent(runs.Select(r => r.Dir).ToArray());
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in runs)
        {
            string rel = Path.GetRelativePath(common, r.Dir);
            if (rel == ".") rel = Path.GetFileName(r.Dir); // the folder above the others (demo's out/)
            rel = rel.Replace(Path.DirectorySeparatorChar, '-');
            string baseSlug = new string(rel.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()).Trim('-');
            if (baseSlug.Length == 0 || baseSlug == ".") baseSlug = "run";
            string slug = baseSlug;
            for (int i = 2; !used.Add(slug); i++) slug = $"{baseSlug}-{i}";
            _slugs[r.Dir] = slug;
        }
    }

    private static string CommonParent(string[] dirs)
    {
        if (dirs.Length == 1) return Path.GetDirectoryName(dirs[0]) ?? dirs[0];
        var parts = dirs.Select(d => d.Split(Path.DirectorySeparatorChar)).ToArray();
        int n = 0;
        while (parts.All(p => p.Length > n && p[n] == parts[0][n])) n++;
        return string.Join(Path.DirectorySeparatorChar, parts[0].Take(n)) is { Length: > 0 } s ? s : Path.DirectorySeparatorChar.ToString();
    }

    /// <summary>Copies DIR/file to runs/&lt;slug&gt;/file (once) and returns its relative href.</summary>
    public string Copy(RunFolder run, string file)
    {
        string rel = $"runs/{Slug(run)}/{file.Replace(Path.DirectorySeparatorChar, '/')}";
        if (_copied.Add(rel))
        {
            string dest = Path.Combine(_root, rel.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(Path.Combine(run.Dir, file), dest, overwrite: true);
            Files.Add(rel);
        }
        return Html.Href(rel);
    }

    public void Add(string html) => Body.Append(html).Append('\n');

    public void Heading(string text, int level = 3) => Add($"<h{level}>{Html.Esc(text)}</h{level}>");

    public void Paragraph(string text, string? cssClass = null) =>
        Add(cssClass is null ? $"<p>{Html.Esc(text)}</p>" : $"<p class=\"{cssClass}\">{Html.Esc(text)}</p>");

    /// <summary>
    /// A figure: the PNG copied beside the report, and a caption with what the figure shows, the command line, seed,
    /// sizes and code version from run.json (<paramref name="manifests"/>: the commands that made it), and links to
    /// the data files it came from.
    /// </summary>
    public void Figure(RunFolder run, string png, string description, IReadOnlyList<JsonObject> manifests, params string[] sources)
    {
        if (!File.Exists(Path.Combine(run.Dir, png))) return;
        string href = Copy(run, png);
        var sb = new StringBuilder();
        sb.Append($"<figure><a href=\"{href}\"><img src=\"{href}\" alt=\"{Html.Esc(description)}\" loading=\"eager\"></a>");
        sb.Append($"<figcaption><span class=\"what\">{Html.Esc(description)}</span>");
        sb.Append(Provenance(manifests));
        sb.Append(DataLinks(run, sources));
        sb.Append("</figcaption></figure>");
        Add(sb.ToString());
    }

    /// <summary>Links to the data files (copied beside the report) and to run.json.</summary>
    public string DataLinks(RunFolder run, IEnumerable<string> sources)
    {
        var links = sources.Append(Core.IO.RunManifest.FileName).Distinct().Where(s => File.Exists(Path.Combine(run.Dir, s)))
            .Select(s => $"<a href=\"{Copy(run, s)}\">{Html.Esc(s)}</a>");
        return $"<span class=\"data\">data: {string.Join(", ", links)}</span>";
    }

    /// <summary>"command · seed · sizes · code version · date" for each manifest.</summary>
    public static string Provenance(IReadOnlyList<JsonObject> manifests)
    {
        var sb = new StringBuilder();
        foreach (var m in manifests)
        {
            sb.Append("<span class=\"run\"><code>").Append(Html.Esc(RunFolder.CommandLineText(m))).Append("</code>");
            var seed = m["seed"];
            sb.Append(" · seed ").Append(Html.Esc(seed is null ? "none" : Html.Value(seed)));
            if (m["options"] is JsonObject o && o.Count > 0)
                sb.Append(" · ").Append(Html.Esc(string.Join(", ", o.Where(kv => kv.Value is not null && kv.Key != "threads")
                    .Select(kv => $"{kv.Key} = {Html.Value(kv.Value)}"))));
            sb.Append(" · code ").Append(Html.Esc(m["codeVersion"]?.GetValue<string>() ?? "unknown"));
            if (m["finishedUtc"]?.GetValue<string>() is string t) sb.Append(" · ").Append(Html.Esc(t.Length >= 16 ? t[..16].Replace('T', ' ') + " UTC" : t));
            sb.Append("</span>");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A table of JSON rows (<paramref name="rows"/>: the row's id, an array index or object key under
    /// <paramref name="rowsPath"/>, and the row). The table names its source file and rows path so that the numbers can
    /// be checked against the JSON.
    /// </summary>
    public void JsonTable(RunFolder run, string source, string rowsPath, IEnumerable<(string Id, JsonNode Row)> rows,
        IReadOnlyList<ReportColumn> columns, string caption)
    {
        string href = Copy(run, source);
        var sb = new StringBuilder();
        sb.Append($"<div class=\"table\"><table data-source=\"{href}\" data-rows=\"{Html.Esc(rowsPath)}\">");
        sb.Append($"<caption>{Html.Esc(caption)} <span class=\"data\">(from <a href=\"{href}\">{Html.Esc(source)}</a>)</span></caption><thead><tr>");
        foreach (var c in columns) sb.Append("<th>").Append(Html.Esc(c.Header)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var (id, row) in rows)
        {
            sb.Append($"<tr data-row=\"{Html.Esc(id)}\">");
            foreach (var c in columns)
            {
                if (c.IsRowId) sb.Append($"<td>{Html.Esc(id)}</td>");
                else if (c.Key is not null)
                {
                    var v = row[c.Key];
                    string cls = Html.IsNumber(v) ? " class=\"num\"" : "";
                    sb.Append($"<td data-key=\"{Html.Esc(c.Key)}\"{cls}>{Html.Esc(Html.Value(v))}</td>");
                }
                else sb.Append($"<td>{Html.Esc(c.Compute!(row))}</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        Add(sb.ToString());
    }

    /// <summary>A two-column table of an object's scalar properties (key, value), checked the same way.</summary>
    public void KeyValueTable(RunFolder run, string source, string rowsPath, JsonObject obj, IEnumerable<string>? keys, string caption)
    {
        var list = (keys ?? obj.Where(kv => kv.Value is JsonValue or null).Select(kv => kv.Key)).Where(obj.ContainsKey).ToArray();
        if (list.Length == 0) return;
        string href = Copy(run, source);
        var sb = new StringBuilder();
        sb.Append($"<div class=\"table\"><table class=\"kv\" data-source=\"{href}\" data-rows=\"{Html.Esc(rowsPath)}\">");
        sb.Append($"<caption>{Html.Esc(caption)} <span class=\"data\">(from <a href=\"{href}\">{Html.Esc(source)}</a>)</span></caption><tbody>");
        foreach (var k in list)
        {
            var v = obj[k];
            string cls = Html.IsNumber(v) ? " class=\"num\"" : "";
            sb.Append($"<tr data-row=\"\"><th>{Html.Esc(k)}</th><td data-key=\"{Html.Esc(k)}\"{cls}>{Html.Esc(Html.Value(v))}</td></tr>");
        }
        sb.Append("</tbody></table></div>");
        Add(sb.ToString());
    }

    /// <summary>The first rows of a CSV file as a plain table (no JSON to check against).</summary>
    public void CsvPreview(RunFolder run, string csv, int maxRows)
    {
        string href = Copy(run, csv);
        var lines = File.ReadLines(Path.Combine(run.Dir, csv)).Take(maxRows + 1).ToArray();
        if (lines.Length == 0) return;
        var sb = new StringBuilder($"<div class=\"table\"><table class=\"csv\"><caption>first rows of <a href=\"{href}\">{Html.Esc(csv)}</a></caption><thead><tr>");
        foreach (var h in SplitCsv(lines[0])) sb.Append("<th>").Append(Html.Esc(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var l in lines.Skip(1))
        {
            sb.Append("<tr>");
            foreach (var f in SplitCsv(l)) sb.Append("<td>").Append(Html.Esc(f)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        Add(sb.ToString());
    }

    /// <summary>RFC 4180 fields of one line (quoted fields with doubled quotes).</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var cur = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        fields.Add(cur.ToString());
        return fields;
    }
}
