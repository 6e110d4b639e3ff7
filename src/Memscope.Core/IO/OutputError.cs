namespace Memscope.Core.IO;

/// <summary>
/// One-line messages for file-system failures that are the environment's fault rather than a bug: disk full, quota,
/// read-only file system, permission denied. On Unix .NET puts the errno in <see cref="Exception.HResult"/>.
/// Every write in Memscope goes through a temporary name and a rename, so after any of these the folder holds only
/// complete files, and rerunning the same command resumes.
/// </summary>
public static class OutputError
{
    private const int Eacces = 13, Enospc = 28, Erofs = 30, Edquot = 122;
    private const int WinDiskFull = 112, WinHandleDiskFull = 39, WinWriteProtect = 19;

    /// <summary>The exception a parallel loop threw: of an <see cref="AggregateException"/>'s flattened inner ones, a <see cref="UsageException"/> if any, else the first.</summary>
    public static Exception Unwrap(Exception e)
    {
        if (e is not AggregateException a) return e;
        var inner = a.Flatten().InnerExceptions;
        return inner.Count == 0 ? e : inner.FirstOrDefault(x => x is UsageException) ?? inner[0];
    }

    /// <summary>A one-line description of <paramref name="e"/> when it is an I/O failure, else null.</summary>
    public static string? Describe(Exception e)
    {
        const string resume = "finished work is kept; fix that and rerun the same command to resume";
        if (e is UnauthorizedAccessException)
            return $"permission denied: {Detail(e)}; make the --out folder writable or choose another one ({resume})";
        if (e is not IOException) return null;
        string? what = OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) switch
            {
                WinDiskFull or WinHandleDiskFull => "no space left on the device",
                WinWriteProtect => "the medium is write-protected",
                _ => null,
            }
            : e.HResult switch
            {
                Enospc => "no space left on the device",
                Edquot => "disk quota exceeded",
                Erofs => "read-only file system",
                Eacces => "permission denied",
                _ => null,
            };
        string todo = what switch
        {
            "no space left on the device" or "disk quota exceeded" => "free some space or choose another --out",
            null => "check the paths, permissions and free space",
            _ => "choose a writable --out",
        };
        return $"{what ?? "cannot read or write a file"}: {Detail(e)}; {todo} ({resume})";
    }

    private static string Detail(Exception e) => e.Message.Replace('\n', ' ').Replace('\r', ' ').Trim();
}
