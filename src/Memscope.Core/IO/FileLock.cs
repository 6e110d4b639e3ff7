namespace Memscope.Core.IO;

/// <summary>
/// An exclusive advisory lock on a file, held by an open <see cref="FileStream"/> with <see cref="FileShare.None"/>
/// (flock(LOCK_EX) on Linux and macOS, a sharing lock on Windows). The operating system drops the lock when the
/// process dies, SIGKILL included, so a killed worker never leaves a lock that blocks the next one; the file itself
/// may stay behind and is simply locked again. Locks conflict across processes and across handles within one process.
/// </summary>
public sealed class FileLock : IDisposable
{
    private FileStream? _stream;

    /// <summary>The locked file.</summary>
    public string Path { get; }

    private FileLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>Takes the lock without waiting; null when another handle (in this or another process) holds it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        try
        {
            var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new FileLock(fs, path);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return null;
        }
    }

    /// <summary>Releases the lock and deletes the file while still holding it (safe when whoever locks it next rechecks its state).</summary>
    public void ReleaseAndDelete()
    {
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        Dispose();
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>EWOULDBLOCK (11) on Unix, ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows.</summary>
    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35;
}
