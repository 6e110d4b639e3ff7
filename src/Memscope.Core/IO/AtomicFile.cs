using System.Text;

namespace Memscope.Core.IO;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, is flushed to disk,
/// and is then renamed over the target. A reader never sees a half-written file, and a failed write leaves
/// the previous file (or nothing) in place.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(content));

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort */ }
            throw;
        }
    }

    /// <summary>Writes through a callback that renders to a temporary path (e.g. a PNG encoder), then renames.</summary>
    public static void WriteVia(string path, Action<string> writeTo)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string ext = Path.GetExtension(full);
        string tmp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}{ext}");
        try
        {
            writeTo(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort */ }
            throw;
        }
    }
}
