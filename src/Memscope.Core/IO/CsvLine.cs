using System.Text;

namespace Memscope.Core.IO;

/// <summary>Splits one CSV line (RFC 4180 quoting; fields cannot span lines) into fields, with one-line errors.</summary>
public static class CsvLine
{
    /// <summary>Quoted fields keep their text ("" is a quote); unquoted fields are trimmed.</summary>
    public static string[] Split(string line, string path, int lineNo)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            int start = i;
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i < line.Length && line[i] == '"')
            {
                sb.Clear();
                i++;
                while (true)
                {
                    UsageException.Require(i < line.Length,
                        $"{path}:{lineNo}: a quoted field is not closed on this line; close the quote (fields cannot span lines)");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
                UsageException.Require(i == line.Length || line[i] == ',',
                    $"{path}:{lineNo}: text after a closing quote at character {i + 1}; quote the whole field");
                fields.Add(sb.ToString());
            }
            else
            {
                i = start;
                while (i < line.Length && line[i] != ',') i++;
                fields.Add(line[start..i].Trim());
            }
            if (i >= line.Length) return fields.ToArray();
            i++;   // the comma
        }
    }
}
